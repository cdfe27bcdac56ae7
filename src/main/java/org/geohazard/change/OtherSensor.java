package org.geohazard.change;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.analysis.ModelUse;
import org.geohazard.analysis.OtherSensorSection;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.detection.SceneView;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * A scene analysed with a scene of the same place by the other sensor family (issue 22: "with S1 + S2 fused where
 * both exist, better than either alone"): a Sentinel-2 or Landsat stack with a Sentinel-1 scene, either way round.
 * The other scene's boxes corroborate this scene's boxes of the same hazard where they overlap
 * ({@link HazardEvidence.CorroborationSource#OTHER_SENSOR}), which is the rule measured on OMBRIA test places both
 * sensors saw ({@code fusion_s2_s1_ombria_test}: one at high, the other at least at report). Plain and immutable.
 *
 * <p>Unlike a before/after pair the two need not share a CRS: a radar scene is often delivered in geographic
 * coordinates and an optical one in UTM, and nothing here compares pixels; the other scene's box footprints
 * (WGS84) are placed on this scene's grid by its georeference. They must overlap on the ground by at least
 * {@link #MIN_OVERLAP} of this scene (the footprints as WGS84 polygons, each side traced at
 * {@link #EDGE_POINTS} points; a scene across the antimeridian is not handled and reads as not overlapping).
 * Only the multispectral and radar views count on both sides: natural colour was not measured with radar.
 */
public final class OtherSensor {

  /** The other scene must cover at least this share of this one, as a before scene must. */
  public static final double MIN_OVERLAP = PairPlan.MIN_OVERLAP;
  /**
   * The highest level the other sensor's boxes vouch for. Measured with the shipped detectors
   * ({@code training/evaluate_real.py}, {@code fusion_s2_s1_*} in training/metrics-real.json; pooled OMBRIA test and
   * the 2021 events, an optical box corroborated by a radar box over it): at high precision 0.860 (166 of 193
   * flagged images right; target 0.85), at critical 0.863 (120 of 139; target 0.95: Guyana's hazy tiles, 19 false
   * criticals). A radar box at high corroborated by an optical one: 0.950 (76 of 80). So a corroborated box keeps
   * its level up to high; at critical it stands only on its own model's evidence.
   */
  public static final RiskLevel CORROBORATES_UP_TO = RiskLevel.HIGH;
  /** Points per side of a scene's ground outline (a UTM grid's edges are not straight in WGS84). */
  static final int EDGE_POINTS = 16;

  private static final GeometryFactory GEOMETRY = new GeometryFactory();

  private OtherSensor() {
  }

  /**
   * What this scene gets from the other: corroborations in this scene's pixels and the section the analysis
   * carries.
   */
  public record Look(List<AnalysisBuilder.Corroboration> corroborations, OtherSensorSection section) {
    public Look {
      corroborations = List.copyOf(corroborations);
    }
  }

  /**
   * The sensor family of a scene as this rule counts it: {@code radar} (Sentinel-1), {@code optical} (a stack the
   * node knows SWIR, NIR and green of), or empty (anything else: an RGB picture has no measured part in it).
   */
  public static Optional<String> familyOf(PairPlan.SceneFacts facts) {
    Optional<Sensor> sensor = facts.namedSensor().or(() -> Sensor.guess(facts.bands(), facts.floatingPoint()));
    if (sensor.isEmpty()) {
      return Optional.empty();
    }
    if (sensor.get().radar()) {
      return Optional.of("radar");
    }
    return sensor.get().bands(SceneView.SWIR_NIR_GREEN, facts.bands()).map(bands -> "optical");
  }

  /**
   * Whether {@code other} can be looked at with {@code scene}; the check the API makes before storing anything and
   * inference makes again when it has both scenes open.
   *
   * @return the share of this scene the other covers on the ground
   * @throws CoRegistration.Refused with the reason (a 4xx for the caller)
   */
  public static double check(PairPlan.SceneFacts scene, PairPlan.SceneFacts other) throws CoRegistration.Refused {
    GeoReference sceneRef = scene.georeference().orElseThrow(() -> new CoRegistration.Refused("this scene has no"
        + " georeference this node reads; a scene of the other sensor is placed on it by both georeferences"));
    GeoReference otherRef = other.georeference().orElseThrow(() -> new CoRegistration.Refused("the other sensor's"
        + " scene has no georeference this node reads"));
    String sceneFamily = familyOf(scene).orElseThrow(() -> new CoRegistration.Refused(unknownFamily("this scene",
        scene)));
    String otherFamily = familyOf(other).orElseThrow(() -> new CoRegistration.Refused(unknownFamily(
        "the other sensor's scene", other)));
    if (sceneFamily.equals(otherFamily)) {
      throw new CoRegistration.Refused("both scenes are " + sceneFamily + "; other_sensor_image_id names a scene of"
          + " the other sensor family (radar for an optical scene, optical for a radar one); a scene of the same"
          + " family is a before scene (before_image_id)");
    }
    double share;
    try {
      share = overlapShare(sceneRef, scene.width(), scene.height(), otherRef, other.width(), other.height());
    } catch (IllegalArgumentException offTheEarth) {
      // A georeference whose corners have no WGS84 position (a latitude past 90, a projection that cannot take
      // the point): the scenes cannot be placed together, which is the caller's input, not the node's fault.
      throw new CoRegistration.Refused("a scene's corners have no position on the Earth: "
          + offTheEarth.getMessage());
    }
    if (share < MIN_OVERLAP) {
      throw new CoRegistration.Refused(String.format(Locale.ROOT, "the other sensor's scene covers %.0f %% of this"
          + " scene on the ground; at least %.0f %% is needed", share * 100, MIN_OVERLAP * 100));
    }
    return share;
  }

  private static String unknownFamily(String which, PairPlan.SceneFacts facts) {
    return which + " (" + facts.bands() + " bands" + (facts.floatingPoint() ? " of floats" : "") + ") is neither a"
        + " Sentinel-1 radar scene nor an optical stack with SWIR, NIR and green bands the node knows (Sentinel-2,"
        + " Landsat); name its sensor with 'sensor' where it is one";
  }

  /** The share of {@code scene}'s ground outline that {@code other}'s covers (WGS84 degrees, as a ratio). */
  public static double overlapShare(GeoReference scene, int width, int height, GeoReference other, int otherWidth,
                                    int otherHeight) {
    Polygon mine = outline(scene, width, height);
    Polygon theirs = outline(other, otherWidth, otherHeight);
    if (!mine.isValid() || !theirs.isValid() || mine.getArea() == 0) {
      return 0;
    }
    return mine.intersection(theirs).getArea() / mine.getArea();
  }

  private static Polygon outline(GeoReference reference, int width, int height) {
    List<Coordinate> ring = new ArrayList<>(4 * EDGE_POINTS + 1);
    double[][] corners = {{0, 0}, {width, 0}, {width, height}, {0, height}};
    for (int side = 0; side < 4; side++) {
      double[] from = corners[side];
      double[] to = corners[(side + 1) % 4];
      for (int i = 0; i < EDGE_POINTS; i++) {
        double t = (double) i / EDGE_POINTS;
        LonLat point = reference.toWgs84(from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t);
        ring.add(new Coordinate(point.lon(), point.lat()));
      }
    }
    ring.add(ring.get(0));
    return GEOMETRY.createPolygon(ring.toArray(Coordinate[]::new));
  }

  /**
   * The other scene's boxes on this scene's grid: each footprint's corners placed by {@code scene}'s georeference,
   * the box around them clipped to the scene; boxes off the scene, without a footprint, or of a natural-colour model
   * are left out.
   *
   * @param other the other scene's analysis (every box it reports; permanent water already set aside there)
   * @param otherSha256 its content
   * @param otherFamily {@code radar} or {@code optical}
   * @param overlapShare from {@link #check}
   */
  public static Look look(Analysis other, String otherSha256, String otherFamily, double overlapShare,
                          GeoReference scene, int width, int height) {
    List<AnalysisBuilder.Corroboration> corroborations = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (AnalyzedDetection detection : other.detections()) {
      if (detection.footprint() == null || !measuredView(other, detection.model())) {
        continue;
      }
      double x1 = Double.POSITIVE_INFINITY;
      double y1 = Double.POSITIVE_INFINITY;
      double x2 = Double.NEGATIVE_INFINITY;
      double y2 = Double.NEGATIVE_INFINITY;
      try {
        for (LonLat corner : detection.footprint().ring()) {
          double[] pixel = scene.pixelOf(corner);
          x1 = Math.min(x1, pixel[0]);
          y1 = Math.min(y1, pixel[1]);
          x2 = Math.max(x2, pixel[0]);
          y2 = Math.max(y2, pixel[1]);
        }
      } catch (IllegalArgumentException noPosition) {
        continue; // a corner with no position in this scene's CRS: far off the scene
      }
      x1 = Math.max(0, x1);
      y1 = Math.max(0, y1);
      x2 = Math.min(width, x2);
      y2 = Math.min(height, y2);
      if (!(x2 > x1 && y2 > y1)) {
        continue; // off the scene, or a corner without a number
      }
      corroborations.add(new AnalysisBuilder.Corroboration(detection.className(), x1, y1, x2, y2,
          HazardEvidence.CorroborationSource.OTHER_SENSOR, CORROBORATES_UP_TO));
      counts.merge(detection.className(), 1, Integer::sum);
    }
    return new Look(corroborations, new OtherSensorSection(otherSha256, otherFamily, other.modelVersion(),
        other.riskLevel(), overlapShare, counts));
  }

  /** Whether a box of model {@code index} was made by a multispectral or radar model (an unknown model: no). */
  private static boolean measuredView(Analysis other, int index) {
    if (index < 0 || index >= other.models().size()) {
      return false;
    }
    ModelUse use = other.models().get(index);
    try {
      return !SceneView.fromMetadata(use.view()).isColour();
    } catch (IllegalArgumentException unknownView) {
      return false;
    }
  }
}
