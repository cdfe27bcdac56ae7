package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * One image's result document, as {@code GET /api/v1/results/{id}} returns it.
 *
 * @param location the caller's point, if one was given
 * @param createdAt ISO-8601 UTC
 * @param progress while a sliced scene is analysed
 * @param analysis once completed
 */
public record ImageResult(String imageId, ImageStatus status, String sha256, String filename, String contentType, long sizeBytes, int width, int height, Priority priority, Location location, String createdAt, String updatedAt, String completedAt, int attempts, String failureReason, TileProgress progress, Analysis analysis) {
  /** The same document with the progress of a scene still being analysed. */
  public ImageResult withProgress(TileProgress current) {
    return new ImageResult(imageId, status, sha256, filename, contentType, sizeBytes, width, height, priority, location,
        createdAt, updatedAt, completedAt, attempts, failureReason, current, analysis);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("image_id", imageId)
        .put("status", status.wireName())
        .put("sha256", sha256)
        .put("filename", filename)
        .put("content_type", contentType)
        .put("size_bytes", sizeBytes)
        .put("width", width)
        .put("height", height)
        .put("priority", priority.wireName())
        .put("location", location == null ? null : location.toJson())
        .put("created_at", createdAt)
        .put("updated_at", updatedAt)
        .put("completed_at", completedAt)
        .put("attempts", attempts)
        .put("failure_reason", failureReason)
        .put("progress", progress == null ? null : progress.toJson())
        .put("analysis", analysis == null ? null : analysis.toJson());
  }
}
