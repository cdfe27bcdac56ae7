package org.geohazard.bus;

/**
 * A stored alert and whether it is new ({@code created}) or an active one it was merged into; {@code unchanged}
 * when nothing was stored because the image already has its alert of this hazard, one the draft may not merge into
 * (resolved, rejected, expired, or of the other publication class): one alert per image and hazard, so a result
 * sent again or analysed again neither raises a second nor revives a settled one.
 */
public record AlertSaved(boolean created, Alert alert, boolean unchanged) {

  public AlertSaved(boolean created, Alert alert) {
    this(created, alert, false);
  }
}
