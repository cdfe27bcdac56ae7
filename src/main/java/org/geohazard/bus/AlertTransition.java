package org.geohazard.bus;

/**
 * An operator acknowledges, resolves or confirms an alert ({@code alerts.transition}).
 *
 * @param by the API key's name that did it
 */
public record AlertTransition(String alertId, Action action, String by) {

  /** What the operator does; confirming publishes an unverified alert. */
  public enum Action { ACKNOWLEDGE, RESOLVE, CONFIRM }

  public AlertTransition {
    if (action == null) {
      throw new IllegalArgumentException("an alert is acknowledged, resolved or confirmed");
    }
  }
}
