package org.geohazard.alerts;

import org.geohazard.bus.AlertDraft;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

  private final AnalysisBuilder builder =
      new AnalysisBuilder(List.of("landslide", "flood", "water_body", "vegetation_loss"), "m1");
  private final AlertRules rules = new AlertRules(RiskLevel.HIGH, 24);

  private Analysis analysis(Detection... detections) {
    return builder.build(List.of(detections), 1000, 1000, 1, Instant.EPOCH);
  }

  @Test
  void highFloodRaisesOneFloodAlertAtTheCallersPoint() {
    List<AlertDraft> drafts = rules.evaluate("img", analysis(new Detection(1, 0.9f, 0, 0, 100, 100)), 45.0, 9.0, null);
    assertThat(drafts).hasSize(1);
    AlertDraft draft = drafts.get(0);
    assertThat(draft.alertType()).isEqualTo("flood");
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
    assertThat(drafts).extracting(AlertDraft::alertType).containsExactly("landslide", "flood");
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
    Analysis analysis = builder.build(List.of(new Detection(1, 0.7f, 0, 0, 100, 100),
            new Detection(1, 0.95f, 800, 800, 900, 900)), 1000, 1000, java.util.Optional.of(placement), 1, 1,
        Instant.EPOCH);
    AlertDraft draft = rules.evaluate("img", analysis, 0.0, 0.0, 10.0).get(0);
    org.geohazard.geo.LonLat best = placement.toWgs84(850, 850);
    assertThat(draft.latitude()).isCloseTo(best.lat(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(draft.longitude()).isCloseTo(best.lon(), org.assertj.core.data.Offset.offset(1e-6));
    // reaches the far corner of the other flood box, (0, 0): ~12 km away at 10 m/px
    assertThat(draft.radiusKm()).isBetween(11.5, 12.5);
  }

  @Test
  void draftsRefuseAbsurdValues() {
    assertThatThrownBy(() -> new AlertDraft("i", "flood", RiskLevel.HIGH, 91, 0, 1, 0.9, 0.9, "t", "d", 24))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AlertDraft("i", "flood", RiskLevel.LOW, 0, 0, 1, 0.9, 0.9, "t", "d", 24))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AlertRules(RiskLevel.LOW, 24)).isInstanceOf(IllegalArgumentException.class);
  }
}
