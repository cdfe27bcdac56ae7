package org.geohazard.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.AlertDraft;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

  private final AnalysisBuilder builder =
      new AnalysisBuilder(List.of("landslide", "flood", "water_body", "vegetation_loss"), "m1");
  private final AlertRules rules = new AlertRules(RiskLevel.HIGH, 24);

  /**
   * Real-label evidence (made up for these tests) supporting every level of both hazards at the default bands: the
   * rules below are about placement and severity, so the evidence rule leaves these levels as the scores give them.
   */
  static final org.geohazard.analysis.ModelEvidence VERIFIED = verified();

  static org.geohazard.analysis.ModelEvidence verified() {
    io.vertx.core.json.JsonObject levels = new io.vertx.core.json.JsonObject();
    for (RiskLevel level : List.of(RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)) {
      levels.put(level.wireName(), new io.vertx.core.json.JsonObject().put("threshold", level.threshold())
          .put("tp", 100).put("fp", 0));
    }
    io.vertx.core.json.JsonObject sets = new io.vertx.core.json.JsonObject().put("sets",
        new io.vertx.core.json.JsonArray().add("test_set"));
    return org.geohazard.analysis.ModelEvidence.fromCard(new io.vertx.core.json.JsonObject()
        .put("evidence", new io.vertx.core.json.JsonObject().put("landslide", sets).put("flood", sets))
        .put("real_labels", new io.vertx.core.json.JsonObject().put("test_set",
            new io.vertx.core.json.JsonObject().put("image_level", levels))),
        org.geohazard.detection.HazardThresholds.NONE);
  }

  private Analysis analysis(Detection... detections) {
    return analysis(java.util.Optional.empty(), VERIFIED, detections);
  }

  private Analysis analysis(java.util.Optional<org.geohazard.geo.PixelGeolocation> placement,
                            org.geohazard.analysis.ModelEvidence evidence, Detection... detections) {
    return builder.buildFrom(List.of(new AnalysisBuilder.ModelDetections(
        new org.geohazard.analysis.ModelUse("m1", "rgb", null, null, null),
        List.of("landslide", "flood", "water_body", "vegetation_loss"), org.geohazard.detection.HazardThresholds.NONE,
        evidence, List.of(detections))), 1000, 1000, placement, 1, 1, Instant.EPOCH);
  }

  @Test
  void anUnverifiedCriticalRaisesNoAlertAndAVerifiedOneCarriesItsEvidence() {
    Detection critical = new Detection(1, 0.9f, 0, 0, 100, 100);
    // The same score from a model with no real-label evidence: capped to medium, below the alert level.
    Analysis unverified = analysis(java.util.Optional.empty(), org.geohazard.analysis.ModelEvidence.NONE, critical);
    assertThat(unverified.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(rules.evaluate("img", unverified, 45.0, 9.0, null)).isEmpty();
    AlertDraft draft = rules.evaluate("img", analysis(critical), 45.0, 9.0, null).get(0);
    assertThat(draft.severity()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(draft.evidence().getBoolean("verified")).isTrue();
    assertThat(draft.evidence().getString("level")).isEqualTo("critical");
    assertThat(draft.evidence().getJsonArray("precision_sets")).containsExactly("test_set");
  }

  @Test
  void highFloodRaisesOneFloodAlertAtTheCallersPoint() {
    List<AlertDraft> drafts = rules.evaluate("img", analysis(new Detection(1, 0.9f, 0, 0, 100, 100)), 45.0, 9.0, null);
    assertThat(drafts).hasSize(1);
    AlertDraft draft = drafts.get(0);
    assertThat(draft.alertType()).isEqualTo(Hazard.FLOOD);
    assertThat(draft.severity()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(draft.latitude()).isEqualTo(45.0);
    assertThat(draft.radiusKm()).isEqualTo(10.0);
    assertThat(draft.ttlHours()).isEqualTo(24);
  }

  @Test
  void belowTheMinimumLevelNothingIsRaised() {
    assertThat(rules.evaluate("img", analysis(new Detection(1, 0.5f, 0, 0, 10, 10)), 45.0, 9.0, null)).isEmpty();
  }

  @Test
  void withoutALocationNothingIsRaised() {
    assertThat(rules.evaluate("img", analysis(new Detection(0, 0.99f, 0, 0, 10, 10)), null, 9.0, null)).isEmpty();
  }

  @Test
  void bothHazardsRaiseTwoAlerts() {
    List<AlertDraft> drafts = rules.evaluate("img", analysis(new Detection(0, 0.7f, 0, 0, 10, 10),
        new Detection(1, 0.9f, 0, 0, 10, 10)), 1.0, 2.0, null);
    assertThat(drafts).extracting(AlertDraft::alertType).containsExactly(Hazard.LANDSLIDE, Hazard.FLOOD);
    assertThat(drafts.get(0).severity()).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void radiusFollowsTheDetectionExtentWhenTheGroundSampleDistanceIsKnown() {
    // Boxes spanning 3000 x 4000 px at 10 m/px: diagonal 50 km, radius 25 km.
    List<AlertDraft> drafts = rules.evaluate("img", analysis(new Detection(1, 0.9f, 0, 0, 1000, 1000),
        new Detection(1, 0.8f, 2000, 3000, 3000, 4000)), 1.0, 2.0, 10.0);
    assertThat(drafts.get(0).radiusKm()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(1e-9));
    // A tiny scar is still given the minimum radius, and a huge extent is capped.
    assertThat(rules.evaluate("img", analysis(new Detection(1, 0.9f, 0, 0, 2, 2)), 1.0, 2.0, 1.0).get(0).radiusKm())
        .isEqualTo(AlertRules.MIN_RADIUS_KM);
    assertThat(rules.evaluate("img", analysis(new Detection(1, 0.9f, 0, 0, 100000, 100000)), 1.0, 2.0, 10.0).get(0)
        .radiusKm()).isEqualTo(AlertRules.MAX_RADIUS_KM);
  }

  @Test
  void placedDetectionsPutTheAlertOnTheMostConfidentOneNotOnTheCallersPoint() {
    org.geohazard.geo.ApproximatePlacement placement =
        org.geohazard.geo.ApproximatePlacement.centredAt(45.0, 9.0, 1000, 1000, 10);
    Analysis analysis = analysis(java.util.Optional.of(placement), VERIFIED, new Detection(1, 0.7f, 0, 0, 100, 100),
        new Detection(1, 0.95f, 800, 800, 900, 900));
    AlertDraft draft = rules.evaluate("img", analysis, 0.0, 0.0, 10.0).get(0);
    org.geohazard.geo.LonLat best = placement.toWgs84(850, 850);
    assertThat(draft.latitude()).isCloseTo(best.lat(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(draft.longitude()).isCloseTo(best.lon(), org.assertj.core.data.Offset.offset(1e-6));
    // reaches the far corner of the other flood box, (0, 0): ~12 km away at 10 m/px
    assertThat(draft.radiusKm()).isBetween(11.5, 12.5);
  }

  @Test
  void draftsRefuseAbsurdValues() {
    assertThatThrownBy(() -> new AlertDraft("i", Hazard.FLOOD, RiskLevel.HIGH, 91, 0, 1, 0.9, 0.9, "t", "d", 24))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AlertDraft("i", Hazard.FLOOD, RiskLevel.LOW, 0, 0, 1, 0.9, 0.9, "t", "d", 24))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AlertRules(RiskLevel.LOW, 24)).isInstanceOf(IllegalArgumentException.class);
  }
}
