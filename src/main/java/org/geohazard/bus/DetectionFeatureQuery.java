package org.geohazard.bus;

/**
 * A page of georeferenced detections of completed results ({@code persistence.images.detections}) for the OGC API -
 * Features collection {@code detections}: those of the uploads one tenant made, or of every upload (an operator);
 * newest upload first, then in the order of the result's detections. The same query pages the collection
 * {@code flood_extents} ({@code persistence.images.floodExtents}), in the order of each extent's polygons.
 *
 * @param bbox west, south, east, north (west greater than east: across the antimeridian); null: anywhere
 * @param from ISO-8601 UTC, result completed at or after it; null: open
 * @param to ISO-8601 UTC, completed at or before it; null: open
 * @param tenantId the uploads of this tenant (ignored with {@code everyTenant}); null without it: none
 */
public record DetectionFeatureQuery(double[] bbox, String from, String to, Long tenantId, boolean everyTenant,
                                    int limit, int offset) {}
