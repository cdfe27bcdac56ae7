package org.geohazard.bus;

/**
 * Asks the inference verticle whether it can do its work ({@code inference.health}, {@code node.models.describe}).
 */
public record HealthQuery() {}
