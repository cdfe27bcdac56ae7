package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * An analysis is durable ({@code results.saved}, and the value of the {@code ml.results} Kafka record).
 *
 * @param latitude the caller's point
 */
public record ResultSaved(String imageId, String sha256, Double latitude, Double longitude, Double gsdM, Analysis analysis) {
  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("sha256", sha256)
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("gsd_m", gsdM)
        .put("analysis", analysis == null ? null : analysis.toJson());
  }
}
