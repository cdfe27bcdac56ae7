package org.geohazard.bus;

import java.util.Locale;

/**
 * Queue priority of an upload: {@code high} goes to {@code images.process.high} and is consumed and batched
 * first; {@code batch} is bulk back-fill that may wait; {@code normal} is everything else.
 */
public enum Priority {
  NORMAL, HIGH, BATCH;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; absent means normal. */
  public static Priority fromWire(String name) {
    return name == null ? NORMAL : valueOf(name.toUpperCase(Locale.ROOT));
  }
}
