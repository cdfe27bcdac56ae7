package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for pending images whose claim never reached Kafka ({@code persistence.images.lostclaims}): registered
 * more than {@code olderThanSeconds} ago and never marked queued, at most {@code limit} of them, oldest first.
 */
public record LostClaimsQuery(int olderThanSeconds, int limit) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("older_than_seconds", olderThanSeconds).put("limit", limit);
  }

  public static LostClaimsQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "LostClaimsQuery");
    return new LostClaimsQuery(json.getInteger("older_than_seconds", 0), json.getInteger("limit", 0));
  }
}
