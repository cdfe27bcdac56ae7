package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The claims of pending images that never reached Kafka, rebuilt from their rows. */
public record LostClaims(List<ImageClaim> claims) {

  public static final int VERSION = 1;

  public LostClaims {
    claims = List.copyOf(claims);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("claims",
        claims.stream().map(ImageClaim::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static LostClaims fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "LostClaims");
    return new LostClaims(json.getJsonArray("claims", new JsonArray()).stream()
        .map(item -> ImageClaim.fromJson((JsonObject) item)).toList());
  }
}
