package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * An alert was raised, renewed, acknowledged or resolved ({@code alerts.raised}, and the value of the
 * {@code alerts.critical} Kafka record).
 *
 * @param created true for a new alert, false for a change of an existing one
 * @param at when the change was announced (ISO-8601 UTC), the same on every node that hears it
 */
public record AlertRaised(boolean created, Alert alert, String at) {
  public static final int VERSION = 1;

  /** One id per change, the same on every node: the stream's event id. */
  public String eventId() {
    return java.time.Instant.parse(at).toEpochMilli() + "-" + alert.alertId() + "-" + alert.version() + "-"
        + alert.state().wireName().charAt(0);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("created", created)
        .put("alert", alert.toJson())
        .put("at", at);
  }
}
