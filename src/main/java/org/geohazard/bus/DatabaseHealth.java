package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * The database answered a trivial query in this time.
 */
public record DatabaseHealth(double latencyMs) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("latency_ms", latencyMs);
  }

  public static DatabaseHealth fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "DatabaseHealth");
    return new DatabaseHealth(
        json.getDouble("latency_ms", 0.0));
  }
}
