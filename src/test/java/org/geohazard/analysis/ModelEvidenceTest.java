package org.geohazard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.geohazard.detection.HazardThresholds;
import org.junit.jupiter.api.Test;

/** Which levels a model card's real-label figures support, and how a level is capped. */
class ModelEvidenceTest {

  static final HazardThresholds THRESHOLDS = HazardThresholds.fromMetadata(
      "{\"flood\":{\"report\":0.1,\"medium\":0.1,\"high\":0.3,\"critical\":0.6}}");

  /** A card with two independent sets and their counts per level (tp, fp), and a subset that must not be pooled. */
  static JsonObject card(int[] aMedium, int[] aHigh, int[] aCritical, int[] bMedium, int[] bHigh, int[] bCritical) {
    return new JsonObject()
        .put("evidence", new JsonObject().put("flood", new JsonObject().put("sets",
            new io.vertx.core.json.JsonArray().add("set_a").add("set_b"))))
        .put("real_labels", new JsonObject()
            .put("set_a", set(aMedium, aHigh, aCritical))
            .put("set_b", set(bMedium, bHigh, bCritical))
            .put("set_b_subset", set(new int[] {100, 0}, new int[] {100, 0}, new int[] {100, 0})));
  }

  static JsonObject set(int[] medium, int[] high, int[] critical) {
    return new JsonObject().put("image_level", new JsonObject()
        .put("medium", level(0.1, medium)).put("high", level(0.3, high)).put("critical", level(0.6, critical)));
  }

  static JsonObject level(double threshold, int[] counts) {
    return new JsonObject().put("threshold", threshold).put("tp", counts[0]).put("fp", counts[1]);
  }

  @Test
  void countsArePooledOverTheNamedSetsOnly() {
    // set_a alone would support critical (30/30); pooled with set_b (10 of 20 wrong) it does not: 40/50 = 0.80.
    ModelEvidence evidence = ModelEvidence.fromCard(card(new int[] {90, 10}, new int[] {60, 4}, new int[] {30, 0},
        new int[] {50, 30}, new int[] {40, 5}, new int[] {10, 10}), THRESHOLDS);
    ModelEvidence.LevelEvidence critical = evidence.at("flood", RiskLevel.CRITICAL).orElseThrow();
    assertThat(critical.truePositives()).isEqualTo(40);
    assertThat(critical.falsePositives()).isEqualTo(10);
    assertThat(critical.sets()).containsExactly("set_a", "set_b");
    assertThat(critical.supported()).isFalse();
    // high: (60 + 40) / (64 + 45) = 0.917 >= 0.85; medium: 140 / 180 = 0.78 >= 0.70.
    assertThat(evidence.supports("flood", RiskLevel.HIGH)).isTrue();
    assertThat(evidence.supports("flood", RiskLevel.MEDIUM)).isTrue();
    assertThat(evidence.cap("flood", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.HIGH);
    assertThat(evidence.cap("flood", RiskLevel.HIGH)).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void tooFewFlaggedImagesSupportNothing() {
    // 19 of 19 right at critical is still not enough images (MIN_FLAGGED 20).
    ModelEvidence evidence = ModelEvidence.fromCard(card(new int[] {90, 10}, new int[] {60, 4}, new int[] {10, 0},
        new int[] {50, 10}, new int[] {40, 5}, new int[] {9, 0}), THRESHOLDS);
    assertThat(evidence.at("flood", RiskLevel.CRITICAL).orElseThrow().flagged()).isEqualTo(19);
    assertThat(evidence.supports("flood", RiskLevel.CRITICAL)).isFalse();
    assertThat(evidence.cap("flood", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.HIGH);
  }

  @Test
  void evidenceAtAnotherThresholdIsNotEvidence() {
    JsonObject card = card(new int[] {90, 10}, new int[] {60, 4}, new int[] {30, 0},
        new int[] {50, 10}, new int[] {40, 5}, new int[] {30, 0});
    HazardThresholds recalibrated = HazardThresholds.fromMetadata(
        "{\"flood\":{\"report\":0.1,\"medium\":0.1,\"high\":0.3,\"critical\":0.5}}");
    assertThat(ModelEvidence.fromCard(card, THRESHOLDS).supports("flood", RiskLevel.CRITICAL)).isTrue();
    assertThat(ModelEvidence.fromCard(card, recalibrated).supports("flood", RiskLevel.CRITICAL)).isFalse();
  }

  @Test
  void noCardMeansNoEvidenceAndEverythingAboveMediumIsCappedToMedium() {
    ModelEvidence none = ModelEvidence.fromCard(null, THRESHOLDS);
    assertThat(none).isSameAs(ModelEvidence.NONE);
    assertThat(none.cap("flood", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(none.cap("flood", RiskLevel.HIGH)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(none.cap("flood", RiskLevel.MEDIUM)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(none.cap("flood", RiskLevel.LOW)).isEqualTo(RiskLevel.LOW);
    assertThat(none.supports("flood", RiskLevel.MEDIUM)).isFalse();
    // A card from before the evidence section (only the accuracy tables): no evidence either.
    assertThat(ModelEvidence.fromCard(new JsonObject().put("real_labels", new JsonObject()), THRESHOLDS).isEmpty())
        .isTrue();
    // A class the card has no evidence for (landslide here) is capped like a model without a card.
    ModelEvidence flood = ModelEvidence.fromCard(card(new int[] {90, 10}, new int[] {60, 4}, new int[] {30, 0},
        new int[] {50, 10}, new int[] {40, 5}, new int[] {30, 0}), THRESHOLDS);
    assertThat(flood.cap("flood", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.CRITICAL);
    assertThat(flood.cap("landslide", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.MEDIUM);
  }

  @Test
  void aCardCountsOnlyForTheFileItWasMeasuredOn() {
    JsonObject card = card(new int[] {90, 10}, new int[] {60, 4}, new int[] {30, 0},
        new int[] {50, 10}, new int[] {40, 5}, new int[] {30, 0}).put("sha256", "ab12");
    assertThat(ModelEvidence.fromCard(card, THRESHOLDS, "AB12").supports("flood", RiskLevel.CRITICAL)).isTrue();
    assertThat(ModelEvidence.fromCard(card, THRESHOLDS, "cd34")).isSameAs(ModelEvidence.NONE);
    assertThat(ModelEvidence.fromCard(card.copy().put("sha256", null), THRESHOLDS, "ab12"))
        .isSameAs(ModelEvidence.NONE);
  }

  @Test
  void aClassTheModelDidNotCalibrateIsMeasuredAtTheDefaultBands() {
    JsonObject bands = new JsonObject()
        .put("evidence", new JsonObject().put("flood", new JsonObject().put("sets",
            new io.vertx.core.json.JsonArray().add("s"))))
        .put("real_labels", new JsonObject().put("s", new JsonObject().put("image_level", new JsonObject()
            .put("high", level(RiskLevel.HIGH.threshold(), new int[] {40, 2}))
            .put("critical", level(RiskLevel.CRITICAL.threshold(), new int[] {30, 0})))));
    ModelEvidence evidence = ModelEvidence.fromCard(bands, HazardThresholds.NONE);
    assertThat(evidence.supports("flood", RiskLevel.CRITICAL)).isTrue();
    assertThat(evidence.supports("flood", RiskLevel.HIGH)).isTrue();
  }

  /**
   * The shipped cards, as the node reads them: the natural-colour model's flood evidence (OMBRIA in approximate true
   * colour, test + 2021 pooled) supports no level above medium, which is what caps its false floods over the sea
   * and bare soil; and every level the cards mark is measured at the served threshold.
   */
  @Test
  void theShippedNaturalColourModelIsVerifiedAboveMediumNowhere() throws Exception {
    JsonObject rgb = new JsonObject(Files.readString(Path.of("models/geohazard-rgb.card.json")));
    HazardThresholds rgbThresholds = HazardThresholds.fromMetadata(
        "{\"flood\":{\"report\":0.0704,\"medium\":0.0704,\"high\":0.2253,\"critical\":0.4455}}");
    ModelEvidence evidence = ModelEvidence.fromCard(rgb, rgbThresholds,
        org.geohazard.image.ContentHash.sha256(Path.of("models/geohazard-rgb.onnx")));
    assertThat(evidence.isEmpty()).isFalse();
    assertThat(evidence.at("flood", RiskLevel.HIGH).orElseThrow().sets())
        .containsExactlyInAnyOrder("ombria_test_approx_true_colour", "ombria_2021_approx_true_colour");
    assertThat(evidence.supports("flood", RiskLevel.HIGH)).isFalse();
    assertThat(evidence.supports("flood", RiskLevel.CRITICAL)).isFalse();
    assertThat(evidence.cap("flood", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.MEDIUM);
    assertThat(evidence.cap("landslide", RiskLevel.CRITICAL)).isEqualTo(RiskLevel.MEDIUM);
  }
}
