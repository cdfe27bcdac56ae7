package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Looks an API key up by its SHA-256 ({@code persistence.apikeys.find}).
 */
public record ApiKeyQuery(String keyHash) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("key_hash", keyHash);
  }

  public static ApiKeyQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ApiKeyQuery");
    return new ApiKeyQuery(
        json.getString("key_hash"));
  }
}
