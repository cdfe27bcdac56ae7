package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * An administrator's act on API keys ({@code persistence.apikeys.admin}). The key itself never crosses the bus:
 * the API node makes it and sends its SHA-256.
 *
 * @param action create, list, revoke or rotate
 * @param keyId the key revoked or rotated
 * @param keyHash the new key's SHA-256 (create, rotate)
 * @param scopes comma-separated (create)
 * @param expiresAt ISO-8601 UTC or null (create)
 * @param overlapSeconds how long the rotated key keeps working (rotate)
 */
public record ApiKeyCommand(String action, Long keyId, String keyHash, String name, String scopes,
                            Integer requestsPerWindow, String expiresAt, Integer overlapSeconds) {

  public static final int VERSION = 1;

  public ApiKeyCommand {
    if (!java.util.Set.of("create", "list", "revoke", "rotate").contains(action)) {
      throw new IllegalArgumentException("an API key is created, listed, revoked or rotated, not " + action);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("action", action).put("key_id", keyId).put("key_hash", keyHash)
        .put("name", name).put("scopes", scopes).put("requests_per_window", requestsPerWindow)
        .put("expires_at", expiresAt).put("overlap_seconds", overlapSeconds);
  }

  public static ApiKeyCommand fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ApiKeyCommand");
    return new ApiKeyCommand(json.getString("action"), json.getLong("key_id"), json.getString("key_hash"),
        json.getString("name"), json.getString("scopes"), json.getInteger("requests_per_window"),
        json.getString("expires_at"), json.getInteger("overlap_seconds"));
  }
}
