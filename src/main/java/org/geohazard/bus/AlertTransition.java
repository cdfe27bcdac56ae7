package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * An operator acknowledges, resolves or confirms an alert ({@code alerts.transition}).
 *
 * @param action acknowledge, resolve or confirm (an unverified alert: published)
 * @param by the API key's name that did it
 */
public record AlertTransition(String alertId, String action, String by) {

  public static final int VERSION = 1;

  public AlertTransition {
    if (!action.equals("acknowledge") && !action.equals("resolve") && !action.equals("confirm")) {
      throw new IllegalArgumentException("an alert is acknowledged, resolved or confirmed, not " + action);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("alert_id", alertId)
        .put("action", action)
        .put("by", by);
  }

  public static AlertTransition fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "AlertTransition");
    return new AlertTransition(
        json.getString("alert_id"),
        json.getString("action"),
        json.getString("by"));
  }
}
