package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Why one file of a batch was refused.
 */
public record ItemError(String code, String message, String requestId) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("code", code)
        .put("message", message)
        .put("request_id", requestId);
  }
}
