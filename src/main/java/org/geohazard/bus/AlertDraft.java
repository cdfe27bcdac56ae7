package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;

/**
 * An alert the rules want raised, before it is merged with nearby alerts and stored.
 *
 * @param evidence the analysis's evidence section for this hazard ({@code HazardEvidence} as JSON): why the
 *     severity is what it is; null when the analysis had none
 * @param areaPolygons the analysis's flood extent as CAP polygon values (reduced), empty when it has none
 */
public record AlertDraft(String imageId, Hazard alertType, RiskLevel severity, double latitude, double longitude,
                         double radiusKm, double probability, double confidence, String title, String description,
                         int ttlHours, JsonObject evidence, List<String> areaPolygons) {
  /** A draft without an extent area. */
  public AlertDraft(String imageId, Hazard alertType, RiskLevel severity, double latitude, double longitude,
                    double radiusKm, double probability, double confidence, String title, String description,
                    int ttlHours, JsonObject evidence) {
    this(imageId, alertType, severity, latitude, longitude, radiusKm, probability, confidence, title, description,
        ttlHours, evidence, List.of());
  }

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
    areaPolygons = areaPolygons == null ? List.of() : List.copyOf(areaPolygons);
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
