package org.geohazard.change;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.geohazard.detection.SceneView;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;

/**
 * Automatic pairing ({@code before=auto} on an upload, issue 22): which of the caller's earlier scenes a new scene is
 * analysed against. Plain and immutable; the candidates come from persistence, already narrowed to the caller's
 * tenant, the scene's family and CRS, and envelopes that meet the scene's.
 *
 * <p>The rule: among those, the most recently uploaded one whose envelope covers at least {@link
 * PairPlan#MIN_OVERLAP} of the new scene's (the share {@link PairPlan} asks of any pair), never the new scene's own
 * bytes. Envelopes are the bounds of a scene's four corners in its CRS: exact for north-up grids (the usual GeoTIFF),
 * generous for rotated ones, whose chosen pair {@link PairPlan} then checks on the real grids as it checks a named
 * one.
 */
public final class AutoPairing {

  /**
   * The most candidates one lookup reads, newest first: with more earlier scenes of the same place, the older ones
   * are not looked at (the newest that meet the scene are the likeliest to cover it).
   */
  public static final int CANDIDATE_LIMIT = 50;

  private AutoPairing() {}

  /**
   * What automatic pairing decided for one upload.
   *
   * @param chosen the before scene, when one qualifies
   * @param coverage the share of the new scene the chosen one's envelope covers (0 when none)
   * @param reason for an operator: why this one, or why none
   */
  public record Choice(Optional<PairCandidate> chosen, double coverage, String reason) {
    static Choice alone(String reason) {
      return new Choice(Optional.empty(), 0, reason);
    }
  }

  /** A scene without a footprint (not a georeferenced GeoTIFF of a family the node compares) is analysed alone. */
  public static Choice noFootprint() {
    return Choice.alone("none found: this scene is not a georeferenced GeoTIFF of a sensor whose bands the node knows"
        + " (a Sentinel-2 or Landsat stack, or Sentinel-1 radar; name it with 'sensor'), so no earlier scene can be"
        + " matched to it; analysed alone");
  }

  /** An anonymous upload belongs to no tenant, so it has no earlier scenes of its own. */
  public static Choice anonymous() {
    return Choice.alone("none found: an upload without an API key belongs to no tenant and has no earlier scenes of"
        + " its own; analysed alone");
  }

  /**
   * The pairing family of a scene: the sensor the caller named or its layout shows ({@link Sensor#guess}), with
   * what {@link PairPlan} needs alike on both sides (an optical stack's band count; whether radar samples are
   * floats or an 8-bit rendering). Empty when the node could not compare it with anything.
   */
  public static Optional<String> familyOf(PairPlan.SceneFacts facts) {
    Optional<Sensor> sensor = facts.namedSensor().or(() -> Sensor.guess(facts.bands(), facts.floatingPoint()));
    if (sensor.isEmpty()) {
      return Optional.empty();
    }
    Sensor known = sensor.get();
    if (known.radar()) {
      return Optional.of(known.wireName() + (facts.floatingPoint() ? "-float" : "-8bit"));
    }
    return known.bands(SceneView.SWIR_NIR_GREEN, facts.bands()).isEmpty() ? Optional.empty()
        : Optional.of(known.wireName() + "-" + facts.bands());
  }

  /** The footprint kept with an upload of this scene; empty when it cannot be paired (no georeference or family). */
  public static Optional<SceneFootprint> footprintOf(PairPlan.SceneFacts facts) {
    Optional<String> family = familyOf(facts);
    if (family.isEmpty() || facts.georeference().isEmpty()) {
      return Optional.empty();
    }
    GeoReference reference = facts.georeference().get();
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] corner : new double[][] {{0, 0}, {facts.width(), 0}, {0, facts.height()},
        {facts.width(), facts.height()}}) {
      double[] xy = reference.toCrs(corner[0], corner[1]);
      minX = Math.min(minX, xy[0]);
      maxX = Math.max(maxX, xy[0]);
      minY = Math.min(minY, xy[1]);
      maxY = Math.max(maxY, xy[1]);
    }
    if (!(minX < maxX && minY < maxY) || !Double.isFinite(maxX - minX) || !Double.isFinite(maxY - minY)) {
      return Optional.empty();
    }
    return Optional.of(new SceneFootprint(family.get(), reference.epsg(), minX, minY, maxX, maxY));
  }

  /** The share of {@code scene} that {@code before} covers, judged on their envelopes (0..1). */
  public static double coverage(SceneFootprint scene, SceneFootprint before) {
    return scene.epsg() != before.epsg() ? 0 : Math.min(1.0, scene.sharedArea(before) / scene.area());
  }

  /**
   * The before scene for a new scene at {@code scene} whose content is {@code sceneSha256}, among {@code candidates}
   * (the caller's own earlier uploads, in any order).
   */
  public static Choice choose(SceneFootprint scene, String sceneSha256, List<PairCandidate> candidates) {
    List<PairCandidate> newestFirst = new ArrayList<>(candidates);
    newestFirst.sort(Comparator.comparing(PairCandidate::uploadedAt).reversed());
    int sameBytes = 0;
    double bestShort = 0;
    for (PairCandidate candidate : newestFirst) {
      SceneFootprint before = candidate.footprint();
      if (!before.family().equals(scene.family()) || before.epsg() != scene.epsg()) {
        continue;
      }
      if (candidate.sha256().equals(sceneSha256)) {
        sameBytes++;
        continue;
      }
      double covered = coverage(scene, before);
      if (covered >= PairPlan.MIN_OVERLAP) {
        return new Choice(Optional.of(candidate), covered, String.format(Locale.ROOT,
            "paired automatically: your most recent earlier %s scene in EPSG:%d covering at least %.0f %% of this"
                + " one (it covers %.0f %%), uploaded %s", scene.family(), scene.epsg(), PairPlan.MIN_OVERLAP * 100,
            covered * 100, candidate.uploadedAt()));
      }
      bestShort = Math.max(bestShort, covered);
    }
    StringBuilder reason = new StringBuilder(String.format(Locale.ROOT,
        "none found: no earlier upload of yours of the same sensor family (%s) in EPSG:%d covers at least %.0f %% of"
            + " this scene", scene.family(), scene.epsg(), PairPlan.MIN_OVERLAP * 100));
    if (bestShort > 0) {
      reason.append(String.format(Locale.ROOT, " (the best covers %.0f %%)", bestShort * 100));
    }
    if (sameBytes > 0) {
      reason.append(" (an earlier upload of these very bytes is not a before scene)");
    }
    return Choice.alone(reason.append("; analysed alone").toString());
  }
}
