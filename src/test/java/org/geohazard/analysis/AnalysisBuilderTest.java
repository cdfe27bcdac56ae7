package org.geohazard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class AnalysisBuilderTest {

  private final AnalysisBuilder builder =
      new AnalysisBuilder(List.of("landslide", "flood", "water_body", "vegetation_loss"), "m1");
  private final Instant now = Instant.parse("2026-11-28T12:00:00Z");

  @Test
  void nothingDetectedIsLowRiskWithZeroConfidence() {
    Analysis analysis = builder.build(List.of(), 100, 50, 12.5, now);
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(analysis.confidenceScore()).isZero();
    assertThat(analysis.detectionCounts()).containsEntry("flood", 0).containsEntry("landslide", 0);
  }

  @Test
  void hazardProbabilityIsTheBestBoxNotASum() {
    Analysis analysis = builder.build(List.of(
        new Detection(1, 0.5f, 0, 0, 10, 10),
        new Detection(1, 0.6f, 20, 20, 30, 30),
        new Detection(0, 0.3f, 40, 40, 50, 50)), 100, 100, 1, now);
    assertThat(analysis.floodProbability()).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(analysis.landslideProbability()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(analysis.floodCount()).isEqualTo(2);
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(analysis.confidenceScore()).isCloseTo((0.5 + 0.6 + 0.3) / 3, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void waterBodiesAloneDoNotRaiseTheRisk() {
    Analysis analysis = builder.build(List.of(new Detection(2, 0.99f, 0, 0, 10, 10),
        new Detection(3, 0.95f, 0, 0, 10, 10)), 100, 100, 1, now);
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.LOW);
    assertThat(analysis.detectionCounts()).containsEntry("water_body", 1).containsEntry("vegetation_loss", 1);
  }

  @Test
  void riskLevelsFollowTheThresholds() {
    assertThat(RiskLevel.forProbability(0.39)).isEqualTo(RiskLevel.LOW);
    assertThat(RiskLevel.forProbability(0.40)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(RiskLevel.forProbability(0.65)).isEqualTo(RiskLevel.HIGH);
    assertThat(RiskLevel.forProbability(0.85)).isEqualTo(RiskLevel.CRITICAL);
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    Analysis analysis = builder.build(List.of(new Detection(0, 0.91f, 1.25f, 2.5f, 30.75f, 40f)), 640, 480, 33.3, now);
    Analysis back = Analysis.fromJson(analysis.toJson());
    assertThat(back.toJson()).isEqualTo(analysis.toJson());
    // 0.91 is critical by the default bands, but a model without a card has no real-label evidence: capped.
    assertThat(analysis.toJson().getString("risk_level")).isEqualTo("medium");
    assertThat(analysis.toJson().getJsonObject("evidence").getJsonObject("landslide").getString("level_before_cap"))
        .isEqualTo("critical");
    assertThat(analysis.toJson().getJsonArray("detections").getJsonObject(0).getString("class_name"))
        .isEqualTo("landslide");
  }

  @Test
  void unknownClassIdGetsANeutralName() {
    Analysis analysis = builder.build(List.of(new Detection(7, 0.9f, 0, 0, 1, 1)), 10, 10, 1, now);
    assertThat(analysis.detections().get(0).className()).isEqualTo("class_7");
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.LOW);
  }

  @Test
  void calibratedThresholdsDecideTheLevelAndSeveralModelsAreReadTogether() {
    org.geohazard.detection.HazardThresholds calibrated = org.geohazard.detection.HazardThresholds.fromMetadata(
        "{\"flood\":{\"report\":0.2,\"medium\":0.3,\"high\":0.45}}");
    AnalysisBuilder.ModelDetections spectral = new AnalysisBuilder.ModelDetections(
        new ModelUse("s2-1", "swir_nir_green", new int[] {12, 8, 3}, 10.0, 0.89), List.of("flood"), calibrated,
        List.of(new Detection(0, 0.5f, 0, 0, 10, 10)));
    AnalysisBuilder.ModelDetections colour = new AnalysisBuilder.ModelDetections(
        new ModelUse("rgb-1", "rgb", new int[] {4, 3, 2}, 10.0, 0.89),
        List.of("landslide", "flood", "water_body", "vegetation_loss"), org.geohazard.detection.HazardThresholds.NONE,
        List.of(new Detection(2, 0.9f, 0, 0, 10, 10)));
    Analysis analysis = builder.buildFrom(List.of(spectral, colour), 100, 100, java.util.Optional.empty(), 2, 1, now);
    // 0.5 is only MEDIUM by the default bands, but HIGH by the flood model's calibration (>= 0.45); with no
    // real-label evidence (no card) and no other view agreeing, the evidence rule then caps it to MEDIUM.
    assertThat(analysis.evidenceOf("flood").orElseThrow().levelBeforeCap()).isEqualTo(RiskLevel.HIGH);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(analysis.landslideRisk()).isEqualTo(RiskLevel.LOW);
    assertThat(analysis.modelVersion()).isEqualTo("s2-1;rgb-1");
    assertThat(analysis.detections()).extracting(AnalyzedDetection::model).containsExactly(1, 0);
    assertThat(analysis.detectionCounts()).containsEntry("flood", 1).containsEntry("water_body", 1);
    Analysis back = Analysis.fromJson(analysis.toJson());
    assertThat(back.toJson()).isEqualTo(analysis.toJson());
    assertThat(back.models().get(0).bands()).containsExactly(12, 8, 3);
  }

  @Test
  void aLevelTheModelCannotReachIsNeverGiven() {
    org.geohazard.detection.HazardThresholds onlyMedium = org.geohazard.detection.HazardThresholds.fromMetadata(
        "{\"flood\":{\"report\":0.2,\"medium\":0.3}}");
    assertThat(AnalysisBuilder.level(onlyMedium, "flood", 0.99)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(AnalysisBuilder.level(onlyMedium, "flood", 0.25)).isEqualTo(RiskLevel.LOW);
    assertThat(AnalysisBuilder.level(onlyMedium, "landslide", 0.9)).isEqualTo(RiskLevel.CRITICAL);
  }
}
