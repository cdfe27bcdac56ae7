package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One flooded polygon of a completed result's extent as it is stored ({@code analysis.AnalysisExtent.Region}: its
 * {@code geometry}, {@code area_km2} and {@code mean_probability}), with the upload it is shown as, its place among
 * the extent's polygons and what the extent says of all of them.
 *
 * @param uploadId the upload (the id its owner reads the result by)
 * @param number 1 for the extent's first (largest) polygon
 * @param completedAt when the result was completed, ISO-8601 UTC
 * @param model the mask model's version
 * @param floodedKm2 the extent's total flooded area, km²
 */
public record ExtentFeature(String uploadId, int number, String completedAt, String model, double floodedKm2,
                            JsonObject region) {}
