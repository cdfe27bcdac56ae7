package org.geohazard.bus;

/**
 * A page of published alerts for the OGC API - Features collection {@code alerts} ({@code persistence.alerts.features}):
 * newest first, filtered in SQL.
 *
 * @param bbox west, south, east, north (west greater than east: across the antimeridian); null: anywhere
 * @param from ISO-8601 UTC, raised at or after it; null: open
 * @param to ISO-8601 UTC, raised at or before it; null: open
 * @param type {@code landslide} or {@code flood}; null: both
 * @param severity exactly this severity; null: any
 */
public record AlertFeatureQuery(double[] bbox, String from, String to, String type, String severity, int limit,
                                int offset) {}
