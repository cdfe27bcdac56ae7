package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks for pending images whose claim is lost ({@code persistence.images.lostclaims}), at most {@code limit} of
 * them, oldest first: registered more than {@code olderThanSeconds} ago and never marked queued (the accepting
 * node died before sending it), or queued more than {@code requeueAfterSeconds} ago and still not taken (the
 * topic's retention may delete a claim that waits too long: it is sent again before that; 0: never).
 */
public record LostClaimsQuery(int olderThanSeconds, int limit, int requeueAfterSeconds) {

  public LostClaimsQuery(int olderThanSeconds, int limit) {
    this(olderThanSeconds, limit, 0);
  }

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("older_than_seconds", olderThanSeconds).put("limit", limit)
        .put("requeue_after_seconds", requeueAfterSeconds);
  }

  public static LostClaimsQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "LostClaimsQuery");
    return new LostClaimsQuery(json.getInteger("older_than_seconds", 0), json.getInteger("limit", 0),
        json.getInteger("requeue_after_seconds", 0));
  }
}
