package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks a verticle whether it can do its work ({@code persistence.health}, {@code inference.health}).
 */
public record HealthQuery() {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
    ;
  }

  public static HealthQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "HealthQuery");
    return new HealthQuery(
);
  }
}
