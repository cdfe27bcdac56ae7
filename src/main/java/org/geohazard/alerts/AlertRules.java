package org.geohazard.alerts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.RiskLevel;

/**
 * Decides which alerts a stored analysis raises. Rules (documented in the README):
 * <ul>
 *   <li>one alert per hazard type (landslide, flood) whose probability reaches {@code minLevel};
 *       the alert's severity is the risk level of that probability;</li>
 *   <li>no location, no alert: an alert that cannot be placed cannot warn anyone (the analysis is
 *       still stored and visible);</li>
 *   <li>radius: with a ground sample distance, half the diagonal of the union of that hazard's boxes
 *       in kilometres, at least {@link #MIN_RADIUS_KM}; without one, a default per severity;
 *       never more than {@link #MAX_RADIUS_KM} (the active-alert query relies on that bound).</li>
 * </ul>
 */
public final class AlertRules {

  public static final double MIN_RADIUS_KM = 0.5;
  public static final double MAX_RADIUS_KM = 50.0;

  private final RiskLevel minLevel;
  private final int ttlHours;

  public AlertRules(RiskLevel minLevel, int ttlHours) {
    if (minLevel == RiskLevel.LOW) {
      throw new IllegalArgumentException("alerts cannot be raised for low risk");
    }
    this.minLevel = minLevel;
    this.ttlHours = ttlHours;
  }

  public List<AlertDraft> evaluate(String imageId, Analysis analysis, Double latitude, Double longitude, Double gsdM) {
    List<AlertDraft> drafts = new ArrayList<>(2);
    if (latitude == null || longitude == null) {
      return drafts;
    }
    hazard(imageId, "landslide", analysis.landslideProbability(), analysis.landslideCount(), analysis,
        latitude, longitude, gsdM, drafts);
    hazard(imageId, "flood", analysis.floodProbability(), analysis.floodCount(), analysis,
        latitude, longitude, gsdM, drafts);
    return drafts;
  }

  private void hazard(String imageId, String type, double probability, int count, Analysis analysis,
                      double latitude, double longitude, Double gsdM, List<AlertDraft> out) {
    RiskLevel level = RiskLevel.forProbability(probability);
    if (count == 0 || !level.atLeast(minLevel)) {
      return;
    }
    double radius = radiusKm(type, level, analysis, gsdM);
    String title = capitalized(type) + " risk " + level.wireName() + " near "
        + String.format(Locale.ROOT, "%.4f, %.4f", latitude, longitude);
    String description = String.format(Locale.ROOT,
        "%d %s detection(s) with probability up to %.2f (model %s, image %s). Valid for %d hours unless renewed.",
        count, type, probability, analysis.modelVersion(), imageId, ttlHours);
    out.add(new AlertDraft(imageId, type, level, latitude, longitude, radius, probability,
        analysis.confidenceScore(), title, description, ttlHours));
  }

  static double radiusKm(String type, RiskLevel level, Analysis analysis, Double gsdM) {
    if (gsdM == null || gsdM <= 0) {
      return switch (level) {
        case CRITICAL -> 10.0;
        case HIGH -> 5.0;
        default -> 2.0;
      };
    }
    double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (AnalyzedDetection d : analysis.detections()) {
      if (d.className().equals(type)) {
        minX = Math.min(minX, d.x1());
        minY = Math.min(minY, d.y1());
        maxX = Math.max(maxX, d.x2());
        maxY = Math.max(maxY, d.y2());
      }
    }
    double diagonalPx = Math.hypot(maxX - minX, maxY - minY);
    double radius = diagonalPx * gsdM / 2 / 1000.0;
    return Math.min(MAX_RADIUS_KM, Math.max(MIN_RADIUS_KM, radius));
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
