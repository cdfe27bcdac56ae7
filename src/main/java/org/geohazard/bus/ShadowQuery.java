package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/** The newest shadow comparisons ({@code persistence.shadow.list}), of one candidate or (null) of all. */
public record ShadowQuery(String candidateVersion, int limit) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("candidate_version", candidateVersion).put("limit", limit);
  }

  public static ShadowQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ShadowQuery");
    return new ShadowQuery(json.getString("candidate_version"), json.getInteger("limit", 1000));
  }
}
