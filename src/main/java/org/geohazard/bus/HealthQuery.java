package org.geohazard.bus;

/**
 * Asks a verticle whether it can do its work ({@code persistence.health}, {@code inference.health}).
 */
public record HealthQuery() {}
