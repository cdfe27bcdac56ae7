package org.geohazard.analysis;

import java.util.Locale;

/** What an alert warns of; the wire names are the models' class names and the API's {@code alert_type}. */
public enum Hazard {
  LANDSLIDE, FLOOD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a wire name; anything else is refused with the names it could have been. */
  public static Hazard fromWire(String name) {
    for (Hazard hazard : values()) {
      if (hazard.wireName().equals(name)) {
        return hazard;
      }
    }
    throw new IllegalArgumentException("type must be landslide or flood, was " + name);
  }
}
