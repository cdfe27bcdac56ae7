package org.geohazard.bus;

/**
 * A stored alert and whether it is new ({@code created}) or an active one it was merged into.
 */
public record AlertSaved(boolean created, Alert alert) {}
