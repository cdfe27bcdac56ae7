package org.geohazard.alerts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.AlertDraft;
import org.geohazard.extent.CapPolygons;
import org.geohazard.geo.GeoMath;
import org.geohazard.geo.LonLat;

/**
 * Decides which alerts a stored analysis raises. Rules (documented in the README):
 * <ul>
 *   <li>one alert per hazard type (landslide, flood) whose risk level in the analysis reaches {@code minLevel};
 *       the alert's severity is that level: the level after the evidence rule ({@code AnalysisBuilder}: a level
 *       above medium that neither real-label evidence nor corroboration backs is capped first, so an unverified
 *       critical raises no alert under the default {@code minLevel} high), and the alert carries the hazard's
 *       evidence section;</li>
 *   <li>placement: where the detections have ground footprints (a GeoTIFF, or the caller's point with
 *       a ground sample distance), the alert sits at the centroid of the hazard's most confident
 *       detection and its radius reaches the farthest footprint corner of that hazard's detections;
 *       otherwise it sits at the caller's point, with a radius from the boxes' extent when the ground
 *       sample distance is known, else a default per severity;</li>
 *   <li>no location at all, no alert: an alert that cannot be placed cannot warn anyone (the analysis
 *       is still stored and visible);</li>
 *   <li>radius at least {@link #MIN_RADIUS_KM} and never more than {@link #MAX_RADIUS_KM} (the
 *       active-alert query relies on that bound).</li>
 * </ul>
 */
public final class AlertRules {

  public static final double MIN_RADIUS_KM = AlertDraft.MIN_RADIUS_KM;
  public static final double MAX_RADIUS_KM = AlertDraft.MAX_RADIUS_KM;

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
    hazard(imageId, Hazard.LANDSLIDE, analysis.landslideProbability(), analysis.landslideCount(), analysis,
        latitude, longitude, gsdM, drafts);
    hazard(imageId, Hazard.FLOOD, analysis.floodProbability(), analysis.floodCount(), analysis,
        latitude, longitude, gsdM, drafts);
    return drafts;
  }

  private void hazard(String imageId, Hazard hazard, double probability, int count, Analysis analysis,
                      Double latitude, Double longitude, Double gsdM, List<AlertDraft> out) {
    String type = hazard.wireName(); // the models' class name
    // The level the analysis gave the hazard: calibrated per model and class where the model says so.
    RiskLevel level = analysis.hazardRisk(type);
    if (count == 0 || !level.atLeast(minLevel)) {
      return;
    }
    double alertLatitude;
    double alertLongitude;
    double radius;
    Optional<AnalyzedDetection> placed = analysis.detections().stream()
        .filter(d -> d.className().equals(type) && d.footprint() != null)
        .max(Comparator.comparingDouble(AnalyzedDetection::confidence));
    if (placed.isPresent()) {
      LonLat centre = placed.get().footprint().centroid();
      alertLatitude = centre.lat();
      alertLongitude = centre.lon();
      radius = footprintRadiusKm(type, centre, analysis);
    } else if (latitude != null && longitude != null) {
      alertLatitude = latitude;
      alertLongitude = longitude;
      radius = radiusKm(type, level, analysis, gsdM);
    } else {
      return;
    }
    String title = capitalized(type) + " risk " + level.wireName() + " near "
        + String.format(Locale.ROOT, "%.4f, %.4f", alertLatitude, alertLongitude);
    String description = String.format(Locale.ROOT,
        "%d %s detection(s) with probability up to %.2f (model %s). Valid for %d hours unless renewed.",
        count, type, probability, analysis.modelVersion(), ttlHours);
    out.add(new AlertDraft(imageId, hazard, level, alertLatitude, alertLongitude, radius, probability,
        analysis.confidenceScore(), title, description, ttlHours,
        analysis.evidenceOf(type).map(HazardEvidence::toJson).orElse(null), area(hazard, analysis)));
  }

  /**
   * A flood alert's area from the analysis's flood extent: its polygons as CAP 1.2 values, reduced to what CAP
   * receivers take (at most {@value CapPolygons#DEFAULT_MAX_POLYGONS} polygons, the largest, of at most
   * {@value CapPolygons#DEFAULT_MAX_VERTICES} points each); none for other hazards or without an extent.
   */
  static List<String> area(Hazard hazard, Analysis analysis) {
    if (hazard != Hazard.FLOOD) {
      return List.of();
    }
    return analysis.floodExtent().filter(extent -> !extent.polygons().isEmpty())
        .map(extent -> CapPolygons.of(extent.toFloodExtent(), CapPolygons.DEFAULT_MAX_VERTICES,
            CapPolygons.DEFAULT_MAX_POLYGONS).polygons())
        .orElse(List.of());
  }

  /** Distance from the centre to the farthest footprint corner of the hazard's detections, in km, bounded. */
  static double footprintRadiusKm(String type, LonLat centre, Analysis analysis) {
    double farthestKm = 0;
    for (AnalyzedDetection d : analysis.detections()) {
      if (d.className().equals(type) && d.footprint() != null) {
        for (LonLat corner : d.footprint().ring()) {
          farthestKm = Math.max(farthestKm, GeoMath.distanceKm(centre.lat(), centre.lon(), corner.lat(), corner.lon()));
        }
      }
    }
    return Math.min(MAX_RADIUS_KM, Math.max(MIN_RADIUS_KM, farthestKm));
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
