package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.analysis.ModelEvidence;
import org.geohazard.analysis.ModelUse;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.junit.jupiter.api.Test;

class OtherSensorTest {

  private static final int SIDE = 256;

  /** A Sentinel-2 L1C stack: 256² at 10 m in UTM 30N, inland Murcia. */
  private static GeoReference optical() throws Exception {
    return GeoReference.ofGeoTransform(32630, true, 612_340, 10, 0, 4_200_000, 0, -10);
  }

  /**
   * A Sentinel-1 scene in geographic coordinates (as SNAP's terrain correction writes it) around the optical scene:
   * 20 of its pixels (about 10 m) beyond each side, shifted by {@code shiftDegrees} of longitude.
   */
  private static GeoReference radar(double shiftDegrees) throws Exception {
    LonLat corner = optical().toWgs84(0, 0);
    return GeoReference.ofGeoTransform(4326, false, corner.lon() - 20 * LON_STEP + shiftDegrees, LON_STEP, 0,
        corner.lat() + 20 * LAT_STEP, 0, -LAT_STEP);
  }

  private static final double LON_STEP = 1.14e-4; // about 10 m at 37.9° N
  private static final double LAT_STEP = 9.0e-5;
  private static final int RADAR_SIDE = SIDE + 40;

  private static PairPlan.SceneFacts s2(GeoReference reference) {
    return new PairPlan.SceneFacts(SIDE, SIDE, 13, false, Optional.empty(), Optional.of(reference));
  }

  private static PairPlan.SceneFacts s1(GeoReference reference) {
    return new PairPlan.SceneFacts(RADAR_SIDE, RADAR_SIDE, 1, true, Optional.empty(), Optional.of(reference));
  }

  @Test
  void aRadarSceneInAnotherCrsCoveringTheOpticalSceneIsAccepted() throws Exception {
    assertThat(OtherSensor.check(s2(optical()), s1(radar(0)))).isCloseTo(1.0, within(1e-6));
    // Either way round: the radar scene's own share covered by the optical one is what it is (about 77 %).
    assertThat(OtherSensor.check(s1(radar(0)), s2(optical()))).isBetween(0.7, 0.8);
    assertThat(OtherSensor.familyOf(s2(optical()))).contains("optical");
    assertThat(OtherSensor.familyOf(s1(radar(0)))).contains("radar");
    // An 8-bit radar rendering is radar when its uploader says so.
    assertThat(OtherSensor.familyOf(new PairPlan.SceneFacts(SIDE, SIDE, 1, false, Optional.of(Sensor.SENTINEL1),
        Optional.of(optical())))).contains("radar");
  }

  @Test
  void whatCannotBeLookedAtTogetherIsRefusedWithTheReason() throws Exception {
    assertThatThrownBy(() -> OtherSensor.check(s2(optical()), s2(optical())))
        .isInstanceOf(CoRegistration.Refused.class).hasMessageContaining("both scenes are optical")
        .hasMessageContaining("before_image_id");
    assertThatThrownBy(() -> OtherSensor.check(s1(radar(0)), s1(radar(0)))).hasMessageContaining("both scenes are radar");
    PairPlan.SceneFacts picture = new PairPlan.SceneFacts(SIDE, SIDE, 3, false, Optional.empty(),
        Optional.of(optical()));
    assertThatThrownBy(() -> OtherSensor.check(picture, s1(radar(0))))
        .hasMessageContaining("this scene (3 bands) is neither a Sentinel-1 radar scene nor an optical stack");
    PairPlan.SceneFacts unplaced = new PairPlan.SceneFacts(RADAR_SIDE, RADAR_SIDE, 1, true, Optional.empty(),
        Optional.empty());
    assertThatThrownBy(() -> OtherSensor.check(s2(optical()), unplaced)).hasMessageContaining("no georeference");
    // Shifted east by 60 % of the scene: it covers about 40 %.
    assertThatThrownBy(() -> OtherSensor.check(s2(optical()), s1(radar(0.6 * SIDE * LON_STEP))))
        .hasMessageContaining("covers 4").hasMessageContaining("at least 50 %");
    // Geographic corners past the pole: refused as the caller's scene, not failed as the node's error.
    GeoReference pastThePole = GeoReference.ofGeoTransform(4326, false, 10, LON_STEP, 0, 95, 0, -LAT_STEP);
    assertThatThrownBy(() -> OtherSensor.check(s2(optical()), s1(pastThePole)))
        .isInstanceOf(CoRegistration.Refused.class).hasMessageContaining("no position on the Earth");
  }

  @Test
  void theRadarScenesBoxesLandWhereTheyAreOnTheOpticalGrid() throws Exception {
    GeoReference s2 = optical();
    GeoReference s1 = radar(0);
    // The optical pixels (100, 120)-(150, 160), as a box of the radar scene: its corners through the ground.
    double[] a = s1.pixelOf(s2.toWgs84(100, 120));
    double[] b = s1.pixelOf(s2.toWgs84(150, 160));
    Detection flood = new Detection(0, 0.35f, (float) Math.min(a[0], b[0]), (float) Math.min(a[1], b[1]),
        (float) Math.max(a[0], b[0]), (float) Math.max(a[1], b[1]));
    // One box off the optical scene altogether, one half over its east edge.
    Detection away = new Detection(0, 0.5f, 0, 0, 10, 10);
    double[] edge = s1.pixelOf(s2.toWgs84(230, 10));
    Detection overEdge = new Detection(0, 0.4f, (float) edge[0], (float) edge[1], (float) edge[0] + 50,
        (float) edge[1] + 20);
    Analysis radarAnalysis = analysis(s1, new ModelUse("s1-1", "sar_vv_pair", new int[] {1}, 10.0, 1.0),
        flood, away, overEdge);

    OtherSensor.Look look = OtherSensor.look(radarAnalysis, "b".repeat(64), "radar", 1.0, s2, SIDE, SIDE);

    assertThat(look.corroborations()).hasSize(2);
    AnalysisBuilder.Corroboration placed = look.corroborations().stream().filter(c -> c.x2() < 200).findFirst()
        .orElseThrow();
    // Within a pixel or two: a UTM grid is turned by the meridian convergence against a geographic one, so the box
    // around the turned corners is a little larger.
    assertThat(placed.x1()).isCloseTo(100, within(2.0));
    assertThat(placed.y1()).isCloseTo(120, within(2.0));
    assertThat(placed.x2()).isCloseTo(150, within(2.0));
    assertThat(placed.y2()).isCloseTo(160, within(2.0));
    assertThat(placed.hazard()).isEqualTo("flood");
    assertThat(placed.source()).isEqualTo(HazardEvidence.CorroborationSource.OTHER_SENSOR);
    // It vouches for high, not critical (the measured precision at critical is under its target).
    assertThat(placed.upTo()).isEqualTo(RiskLevel.HIGH);
    AnalysisBuilder.Corroboration clipped = look.corroborations().stream().filter(c -> c.x2() >= 200).findFirst()
        .orElseThrow();
    assertThat(clipped.x2()).isEqualTo(SIDE);
    assertThat(look.section().detections()).containsEntry("flood", 2);
    assertThat(look.section().sensor()).isEqualTo("radar");
    assertThat(look.section().modelVersion()).isEqualTo("s1-1");

    // The section crosses JSON with the analysis it is part of.
    Analysis withSection = analysis(s2, new ModelUse("s2-1", "swir_nir_green", new int[] {12, 8, 3}, 10.0, 1.0))
        .withOtherSensor(look.section());
    assertThat(Analysis.fromJson(withSection.toJson()).otherSensor()).isEqualTo(look.section());
    assertThat(withSection.toJson().getJsonObject("other_sensor").getDouble("overlap_share")).isEqualTo(1.0);
  }

  @Test
  void boxesOfANaturalColourModelAreNotCarriedOver() throws Exception {
    GeoReference s2 = optical();
    Analysis colour = analysis(s2, new ModelUse("rgb-1", "rgb", new int[] {4, 3, 2}, 10.0, 1.0),
        new Detection(0, 0.9f, 10, 10, 100, 100));
    OtherSensor.Look look = OtherSensor.look(colour, "b".repeat(64), "optical", 1.0, s2, SIDE, SIDE);
    assertThat(look.corroborations()).isEmpty();
    assertThat(look.section().detections()).isEmpty();
  }

  private static Analysis analysis(GeoReference placement, ModelUse use, Detection... detections) {
    AnalysisBuilder builder = new AnalysisBuilder(List.of("flood"), "", null);
    return builder.buildFrom(List.of(new AnalysisBuilder.ModelDetections(use, List.of("flood"),
            HazardThresholds.NONE, ModelEvidence.NONE, List.of(detections))), RADAR_SIDE, RADAR_SIDE,
        Optional.of(placement), 1, 1, Instant.parse("2026-12-07T00:00:00Z"));
  }
}
