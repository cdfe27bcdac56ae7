package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** These images' claims are on Kafka ({@code persistence.images.queued}). */
public record ClaimsQueued(List<String> imageIds) {

  public static final int VERSION = 1;

  public ClaimsQueued {
    imageIds = List.copyOf(imageIds);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("image_ids", new JsonArray(imageIds));
  }

  public static ClaimsQueued fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ClaimsQueued");
    return new ClaimsQueued(json.getJsonArray("image_ids", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
