package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;

/**
 * An alert the rules want raised, before it is merged with nearby alerts and stored.
 *
 * @param evidence the analysis's evidence section for this hazard ({@code HazardEvidence} as JSON): why the
 *     severity is what it is; null when the analysis had none
 */
public record AlertDraft(String imageId, Hazard alertType, RiskLevel severity, double latitude, double longitude,
                         double radiusKm, double probability, double confidence, String title, String description,
                         int ttlHours, JsonObject evidence) {
  /** A draft without evidence. */
  public AlertDraft(String imageId, Hazard alertType, RiskLevel severity, double latitude, double longitude,
                    double radiusKm, double probability, double confidence, String title, String description,
                    int ttlHours) {
    this(imageId, alertType, severity, latitude, longitude, radiusKm, probability, confidence, title, description,
        ttlHours, null);
  }

  /** Smallest alert radius: a point-like detection still warns its surroundings. */
  public static final double MIN_RADIUS_KM = 0.5;
  /** Largest alert radius: beyond it an alert says nothing about where to look (and radius queries stay bounded). */
  public static final double MAX_RADIUS_KM = 50.0;

  public AlertDraft {
    if (latitude < -90 || latitude > 90 || longitude < -180 || longitude > 180) {
      throw new IllegalArgumentException("alert location out of range: " + latitude + ", " + longitude);
    }
    if (severity == RiskLevel.LOW) {
      throw new IllegalArgumentException("a low risk does not raise an alert");
    }
    if (!(radiusKm > 0 && radiusKm <= MAX_RADIUS_KM)) {
      throw new IllegalArgumentException("alert radius must be in (0, " + MAX_RADIUS_KM + "] km, was " + radiusKm);
    }
  }
}
