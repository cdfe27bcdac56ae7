package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * One detection of a completed result as it is stored ({@code analysis.AnalyzedDetection#toJson()}), with the upload
 * it is shown as and its place among the result's detections.
 *
 * @param uploadId the upload (the id its owner reads the result by)
 * @param number 1 for the result's first detection
 * @param completedAt when the result was completed, ISO-8601 UTC
 */
public record DetectionFeature(String uploadId, int number, String completedAt, String modelVersion,
                               JsonObject detection) {}
