package org.geohazard.bus;

import java.util.Locale;

/** A webhook subscription is delivered to ({@code active}) or stopped after failing deliveries ({@code disabled}). */
public enum WebhookState {
  ACTIVE, DISABLED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static WebhookState fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
