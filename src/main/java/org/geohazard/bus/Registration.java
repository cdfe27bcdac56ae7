package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * The image that now stands for an upload's content: new ({@code created}), a failed one reset for another try
 * ({@code requeue}), or an existing one with its status (and analysis when completed).
 *
 * @param analysis present when the existing image is completed
 */
public record Registration(String imageId, ImageStatus status, boolean created, boolean requeue, Analysis analysis) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("status", status.wireName())
        .put("created", created)
        .put("requeue", requeue)
        .put("analysis", analysis == null ? null : analysis.toJson());
  }

  public static Registration fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "Registration");
    return new Registration(
        json.getString("image_id"),
        ImageStatus.fromWire(json.getString("status")),
        json.getBoolean("created", false),
        json.getBoolean("requeue", false),
        json.getJsonObject("analysis") == null ? null : Analysis.fromJson(json.getJsonObject("analysis")));
  }
}
