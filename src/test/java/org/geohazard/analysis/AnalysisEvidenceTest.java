package org.geohazard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.geo.ApproximatePlacement;
import org.junit.jupiter.api.Test;

/** The evidence rule and the permanent-water rule of {@link AnalysisBuilder}. */
class AnalysisEvidenceTest {

  private final Instant now = Instant.parse("2026-12-07T05:00:00Z");
  private static final List<String> RGB_CLASSES = List.of("landslide", "flood", "water_body", "vegetation_loss");
  private static final HazardThresholds FLOOD = ModelEvidenceTest.THRESHOLDS; // medium 0.1, high 0.3, critical 0.6

  /** Real evidence supporting every level of flood (pooled 80/81, 64/65, 60/60). */
  private static ModelEvidence verified() {
    return ModelEvidence.fromCard(ModelEvidenceTest.card(new int[] {40, 1}, new int[] {32, 0}, new int[] {30, 0},
        new int[] {40, 0}, new int[] {32, 1}, new int[] {30, 0}), FLOOD);
  }

  private static AnalysisBuilder.ModelDetections spectral(ModelEvidence evidence, Detection... detections) {
    return new AnalysisBuilder.ModelDetections(new ModelUse("s2-1", "swir_nir_green", new int[] {12, 8, 3}, 10.0, 1.0),
        List.of("flood"), FLOOD, evidence, List.of(detections));
  }

  private static AnalysisBuilder.ModelDetections colour(Detection... detections) {
    // No card: the natural-colour model of an operator, or the shipped one for a class it has no evidence for.
    return new AnalysisBuilder.ModelDetections(new ModelUse("rgb-1", "rgb", new int[] {4, 3, 2}, 10.0, 1.0),
        RGB_CLASSES, HazardThresholds.fromMetadata(
            "{\"flood\":{\"report\":0.1,\"medium\":0.1,\"high\":0.2,\"critical\":0.4}}"), ModelEvidence.NONE,
        List.of(detections));
  }

  private final AnalysisBuilder builder = new AnalysisBuilder(RGB_CLASSES, "", null);

  @Test
  void anUnverifiedCriticalIsCappedToMediumAndSaysWhy() {
    Analysis analysis = builder.buildFrom(List.of(colour(new Detection(1, 0.78f, 0, 0, 50, 50))), 100, 100,
        Optional.empty(), 1, 1, now);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(analysis.riskLevel()).isEqualTo(RiskLevel.MEDIUM);
    HazardEvidence flood = analysis.evidenceOf("flood").orElseThrow();
    assertThat(flood.levelBeforeCap()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(flood.level()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(flood.capped()).isTrue();
    assertThat(flood.verified()).isFalse();
    assertThat(flood.corroborated()).isFalse();
    assertThat(flood.precision()).isNull();
    assertThat(flood.reason()).startsWith("capped from critical: unverified natural colour");
    assertThat(flood.seenBy()).singleElement().satisfies(s -> {
      assertThat(s.view()).isEqualTo("rgb");
      assertThat(s.levelBeforeCap()).isEqualTo(RiskLevel.CRITICAL);
      assertThat(s.level()).isEqualTo(RiskLevel.MEDIUM);
    });
    assertThat(analysis.evidenceOf("landslide")).isEmpty();
  }

  @Test
  void realEvidenceKeepsTheLevelAndNamesItsPrecision() {
    Analysis analysis = builder.buildFrom(List.of(spectral(verified(), new Detection(0, 0.7f, 0, 0, 50, 50))), 100,
        100, Optional.empty(), 1, 1, now);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.CRITICAL);
    HazardEvidence flood = analysis.evidenceOf("flood").orElseThrow();
    assertThat(flood.verified()).isTrue();
    assertThat(flood.capped()).isFalse();
    assertThat(flood.precision()).isEqualTo(1.0);
    assertThat(flood.precisionLevel()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(flood.precisionSets()).containsExactly("set_a", "set_b");
    assertThat(flood.flaggedImages()).isEqualTo(60);
    assertThat(flood.reason()).startsWith("verified: real-label precision 1.00 on set_a + set_b");
  }

  @Test
  void twoViewsThatAgreeWhereTheyOverlapCorroborateEachOther() {
    // The spectral model has no evidence here; the colour model reports flood inside its box: both keep their levels.
    Analysis analysis = builder.buildFrom(List.of(
        spectral(ModelEvidence.NONE, new Detection(0, 0.7f, 0, 0, 100, 100)),
        colour(new Detection(1, 0.15f, 20, 20, 40, 40))), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.CRITICAL);
    HazardEvidence flood = analysis.evidenceOf("flood").orElseThrow();
    assertThat(flood.corroborated()).isTrue();
    assertThat(flood.corroboratedBy()).containsExactly(HazardEvidence.CorroborationSource.INDEPENDENT_VIEW);
    assertThat(flood.verified()).isFalse();
    assertThat(flood.reason()).startsWith("critical by corroboration");
    assertThat(flood.seenBy()).extracting(HazardEvidence.Sighting::view).containsExactly("swir_nir_green", "rgb");
  }

  @Test
  void noCorroborationFromElsewhereInTheImageFromTheSameViewOrFromALowScore() {
    // Another view's box elsewhere in the image: not the same place.
    Analysis apart = builder.buildFrom(List.of(
        spectral(ModelEvidence.NONE, new Detection(0, 0.7f, 0, 0, 40, 40)),
        colour(new Detection(1, 0.5f, 60, 60, 100, 100))), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(apart.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(apart.evidenceOf("flood").orElseThrow().corroborated()).isFalse();
    // Two boxes of the same view: not independent.
    Analysis sameView = builder.buildFrom(List.of(colour(new Detection(1, 0.5f, 0, 0, 40, 40),
        new Detection(1, 0.45f, 10, 10, 30, 30))), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(sameView.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    // Another view at the same place, but below its own medium threshold (0.1): it reports nothing.
    Analysis weak = builder.buildFrom(List.of(
        spectral(ModelEvidence.NONE, new Detection(0, 0.7f, 0, 0, 40, 40)),
        colour(new Detection(1, 0.05f, 0, 0, 40, 40))), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(weak.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
  }

  @Test
  void aChangeRuleCorroboratesThroughTheHook() {
    AnalysisBuilder.Corroboration change = new AnalysisBuilder.Corroboration("flood", 0, 0, 60, 60,
        HazardEvidence.CorroborationSource.CHANGE_RULE);
    Analysis analysis = builder.buildFrom(List.of(colour(new Detection(1, 0.5f, 10, 10, 50, 50))), List.of(change),
        100, 100, Optional.empty(), 1, 1, now);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(analysis.evidenceOf("flood").orElseThrow().corroboratedBy())
        .containsExactly(HazardEvidence.CorroborationSource.CHANGE_RULE);
    // A change rule about landslides says nothing about this flood.
    Analysis other = builder.buildFrom(List.of(colour(new Detection(1, 0.5f, 10, 10, 50, 50))),
        List.of(new AnalysisBuilder.Corroboration("landslide", 0, 0, 60, 60,
            HazardEvidence.CorroborationSource.CHANGE_RULE)), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(other.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
  }

  @Test
  void anotherSensorsBoxCorroboratesAMultispectralBoxButNotANaturalColourOne() {
    // As change.OtherSensor makes them: vouching up to high.
    AnalysisBuilder.Corroboration radar = new AnalysisBuilder.Corroboration("flood", 0, 0, 60, 60,
        HazardEvidence.CorroborationSource.OTHER_SENSOR, RiskLevel.HIGH);
    // Unverified SWIR/NIR/green box at high (0.4: high 0.3, critical 0.6): capped to medium alone, high with the
    // radar box over it.
    Analysis alone = builder.buildFrom(List.of(spectral(ModelEvidence.NONE, new Detection(0, 0.4f, 10, 10, 50, 50))),
        100, 100, Optional.empty(), 1, 1, now);
    assertThat(alone.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    Analysis fused = builder.buildFrom(List.of(spectral(ModelEvidence.NONE, new Detection(0, 0.4f, 10, 10, 50, 50))),
        List.of(radar), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(fused.floodRisk()).isEqualTo(RiskLevel.HIGH);
    HazardEvidence flood = fused.evidenceOf("flood").orElseThrow();
    assertThat(flood.corroboratedBy()).containsExactly(HazardEvidence.CorroborationSource.OTHER_SENSOR);
    assertThat(flood.capped()).isFalse();
    assertThat(flood.reason()).startsWith("high by corroboration (a scene of the same place by the other sensor"
        + " reports flood there)");
    // At critical (0.7) the other sensor vouches for high only (its measured precision at critical is under the
    // target), where a change rule over the same box lets critical stand.
    Analysis critical = builder.buildFrom(List.of(spectral(ModelEvidence.NONE, new Detection(0, 0.7f, 10, 10, 50,
        50))), List.of(radar), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(critical.floodRisk()).isEqualTo(RiskLevel.HIGH);
    HazardEvidence capped = critical.evidenceOf("flood").orElseThrow();
    assertThat(capped.capped()).isTrue();
    assertThat(capped.levelBeforeCap()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(capped.reason()).startsWith("capped from critical: high by corroboration (a scene of the same place");
    Analysis both = builder.buildFrom(List.of(spectral(ModelEvidence.NONE, new Detection(0, 0.7f, 10, 10, 50, 50))),
        List.of(radar, new AnalysisBuilder.Corroboration("flood", 0, 0, 60, 60,
            HazardEvidence.CorroborationSource.CHANGE_RULE)), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(both.floodRisk()).isEqualTo(RiskLevel.CRITICAL);
    // Beside the box, not over half of the smaller one: no corroboration.
    Analysis beside = builder.buildFrom(List.of(spectral(ModelEvidence.NONE, new Detection(0, 0.4f, 10, 10, 50, 50))),
        List.of(new AnalysisBuilder.Corroboration("flood", 40, 40, 100, 100,
            HazardEvidence.CorroborationSource.OTHER_SENSOR, RiskLevel.HIGH)), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(beside.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    // Natural colour calls bare soil flood, and the rule was not measured for it: the radar box leaves it capped,
    // where a change rule over the same place does corroborate it (aChangeRuleCorroboratesThroughTheHook).
    Analysis colourOnly = builder.buildFrom(List.of(colour(new Detection(1, 0.5f, 10, 10, 50, 50))), List.of(radar),
        100, 100, Optional.empty(), 1, 1, now);
    assertThat(colourOnly.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(colourOnly.evidenceOf("flood").orElseThrow().corroborated()).isFalse();
  }

  @Test
  void aVerifiedHighUnderAnUnverifiedCriticalIsKeptAsHigh() {
    // Evidence for high, not for critical (pooled critical 40/50): a critical score is capped to high, verified.
    ModelEvidence toHigh = ModelEvidence.fromCard(ModelEvidenceTest.card(new int[] {90, 10}, new int[] {60, 4},
        new int[] {30, 0}, new int[] {50, 30}, new int[] {40, 5}, new int[] {10, 10}), FLOOD);
    Analysis analysis = builder.buildFrom(List.of(spectral(toHigh, new Detection(0, 0.9f, 0, 0, 50, 50))), 100, 100,
        Optional.empty(), 1, 1, now);
    assertThat(analysis.floodRisk()).isEqualTo(RiskLevel.HIGH);
    HazardEvidence flood = analysis.evidenceOf("flood").orElseThrow();
    assertThat(flood.levelBeforeCap()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(flood.precisionLevel()).isEqualTo(RiskLevel.HIGH);
    assertThat(flood.reason()).startsWith("capped from critical: unverified SWIR/NIR/green (real-label precision 0.80");
  }

  @Test
  void evidenceSurvivesTheJsonRoundTrip() {
    Analysis analysis = builder.buildFrom(List.of(
        spectral(verified(), new Detection(0, 0.7f, 0, 0, 100, 100)),
        colour(new Detection(1, 0.15f, 20, 20, 40, 40), new Detection(0, 0.9f, 50, 50, 60, 60))), 100, 100,
        Optional.empty(), 1, 1, now);
    JsonObject json = analysis.toJson();
    assertThat(json.getJsonObject("evidence").fieldNames()).containsExactly("landslide", "flood");
    assertThat(json.getJsonObject("evidence").getJsonObject("landslide").getString("reason"))
        .startsWith("capped from critical: unverified natural colour (no real-label evidence");
    assertThat(Analysis.fromJson(json).toJson()).isEqualTo(json);
  }

  @Test
  void aFloodOverTheSeaIsPermanentWater() {
    AnalysisBuilder earth = new AnalysisBuilder(RGB_CLASSES, "");
    // 100 x 100 px at 30 m: a 3 km image centred in the Straits of Florida, then one over inland Florida.
    ApproximatePlacement sea = ApproximatePlacement.centredAt(25.45, -79.6, 100, 100, 30);
    ApproximatePlacement land = ApproximatePlacement.centredAt(27.35, -81.4, 100, 100, 30);
    AnalysisBuilder.ModelDetections flood = colour(new Detection(1, 0.9f, 10, 10, 90, 90),
        new Detection(2, 0.5f, 0, 0, 100, 100));
    Analysis atSea = earth.buildFrom(List.of(flood), 100, 100, Optional.of(sea), 1, 1, now);
    assertThat(atSea.floodCount()).isZero();
    assertThat(atSea.floodRisk()).isEqualTo(RiskLevel.LOW);
    assertThat(atSea.detections()).extracting(AnalyzedDetection::className).containsExactly("water_body");
    HazardEvidence excluded = atSea.evidenceOf("flood").orElseThrow();
    assertThat(excluded.permanentWaterExcluded()).isEqualTo(1);
    assertThat(excluded.seenBy()).isEmpty();
    assertThat(excluded.reason()).contains("1 box(es) over the sea set aside as permanent water");
    Analysis onLand = earth.buildFrom(List.of(flood), 100, 100, Optional.of(land), 1, 1, now);
    assertThat(onLand.floodCount()).isEqualTo(1);
    assertThat(onLand.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(onLand.evidenceOf("flood").orElseThrow().permanentWaterExcluded()).isZero();
    // Without a ground position there is nothing to check: the box stands.
    Analysis unplaced = earth.buildFrom(List.of(flood), 100, 100, Optional.empty(), 1, 1, now);
    assertThat(unplaced.floodCount()).isEqualTo(1);
  }
}
