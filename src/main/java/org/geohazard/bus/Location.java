package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * A caller's point, WGS84 degrees.
 */
public record Location(double latitude, double longitude) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("latitude", latitude)
        .put("longitude", longitude);
  }
}
