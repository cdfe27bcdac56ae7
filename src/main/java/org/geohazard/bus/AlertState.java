package org.geohazard.bus;

import java.util.Locale;

/**
 * Where an alert is in its life: held for an operator ({@code unverified}, from an upload without the right to
 * publish), public ({@code active}, {@code acknowledged}), ended by an operator ({@code resolved}), or refused
 * before it was ever public ({@code rejected}).
 */
public enum AlertState {
  UNVERIFIED, ACTIVE, ACKNOWLEDGED, RESOLVED, REJECTED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AlertState fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** On the lists, the feed, the stream and webhooks. */
  public boolean isPublic() {
    return this != UNVERIFIED && this != REJECTED;
  }
}
