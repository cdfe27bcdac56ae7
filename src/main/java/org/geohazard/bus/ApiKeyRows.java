package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * API keys as stored, without the keys themselves: the answer of {@code persistence.apikeys.admin} (a created or
 * rotated key first, the key it replaced second).
 */
public record ApiKeyRows(List<Row> keys) {

  public static final int VERSION = 1;

  /** @param keyHash the SHA-256 the key is looked up by: for dropping it from the nodes' caches, never shown */
  public record Row(long id, String name, String scopes, Integer requestsPerWindow, String createdAt,
                    String expiresAt, String revokedAt, String keyHash) {

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("name", name).put("scopes", scopes)
          .put("requests_per_window", requestsPerWindow).put("created_at", createdAt).put("expires_at", expiresAt)
          .put("revoked_at", revokedAt).put("key_hash", keyHash);
    }

    static Row fromJson(JsonObject json) {
      return new Row(json.getLong("id"), json.getString("name"), json.getString("scopes"),
          json.getInteger("requests_per_window"), json.getString("created_at"), json.getString("expires_at"),
          json.getString("revoked_at"), json.getString("key_hash"));
    }
  }

  public JsonObject toJson() {
    JsonArray rows = new JsonArray();
    keys.forEach(row -> rows.add(row.toJson()));
    return new JsonObject().put("v", VERSION).put("keys", rows);
  }

  public static ApiKeyRows fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ApiKeyRows");
    return new ApiKeyRows(json.getJsonArray("keys").stream().map(o -> Row.fromJson((JsonObject) o)).toList());
  }
}
