package org.geohazard.bus;

import java.util.Locale;

/** Where an image is in its life: queued, being analysed, analysed, or given up on (with a reason). */
public enum ImageStatus {
  PENDING, PROCESSING, COMPLETED, FAILED;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ImageStatus fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** Still on its way: a reader should ask again later. */
  public boolean inFlight() {
    return this == PENDING || this == PROCESSING;
  }
}
