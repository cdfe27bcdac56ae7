package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;
import org.junit.jupiter.api.Test;

/** Which earlier scene a new scene is paired with automatically, and why none. */
class AutoPairingTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A north-up UTM 33N scene at 10 m whose top-left corner is at {@code x0}, 4 000 000. */
  private static PairPlan.SceneFacts s2(int side, double x0) throws Exception {
    return new PairPlan.SceneFacts(side, side, 13, false, Optional.empty(),
        Optional.of(GeoReference.ofGeoTransform(32633, true, x0, 10, 0, 4_000_000, 0, -10)));
  }

  private static SceneFootprint box(String family, int epsg, double minX, double minY, double maxX, double maxY) {
    return new SceneFootprint(family, epsg, minX, minY, maxX, maxY);
  }

  private static PairCandidate candidate(String id, SceneFootprint where, int hoursAfterT0) {
    return new PairCandidate(id, "content-" + id, "sha-" + id, where, T0.plusSeconds(hoursAfterT0 * 3600L));
  }

  private static final SceneFootprint SCENE = box("sentinel2-13", 32633, 0, 0, 1000, 1000);

  @Test
  void footprintIsTheEnvelopeOfTheFourCornersInTheScenesCrs() throws Exception {
    SceneFootprint footprint = AutoPairing.footprintOf(s2(100, 500_000)).orElseThrow();
    assertThat(footprint).isEqualTo(box("sentinel2-13", 32633, 500_000, 3_999_000, 501_000, 4_000_000));
  }

  @Test
  void familiesKeepApartWhatPairPlanWouldRefuse() throws Exception {
    assertThat(AutoPairing.familyOf(s2(10, 0))).contains("sentinel2-13");
    PairPlan.SceneFacts twelveBands = new PairPlan.SceneFacts(10, 10, 12, false, Optional.of(Sensor.SENTINEL2),
        Optional.empty());
    assertThat(AutoPairing.familyOf(twelveBands)).contains("sentinel2-12");
    PairPlan.SceneFacts dbRadar = new PairPlan.SceneFacts(10, 10, 1, true, Optional.empty(), Optional.empty());
    assertThat(AutoPairing.familyOf(dbRadar)).contains("sentinel1-float");
    PairPlan.SceneFacts byteRadar = new PairPlan.SceneFacts(10, 10, 1, false, Optional.of(Sensor.SENTINEL1),
        Optional.empty());
    assertThat(AutoPairing.familyOf(byteRadar)).contains("sentinel1-8bit");
    // Three 8-bit bands of no named sensor: the node does not know its SWIR/NIR/green, nothing to pair it by.
    PairPlan.SceneFacts rgb = new PairPlan.SceneFacts(10, 10, 3, false, Optional.empty(), Optional.empty());
    assertThat(AutoPairing.familyOf(rgb)).isEmpty();
  }

  @Test
  void aSceneWithoutGeoreferenceHasNoFootprint() {
    PairPlan.SceneFacts plain = new PairPlan.SceneFacts(10, 10, 13, false, Optional.empty(), Optional.empty());
    assertThat(AutoPairing.footprintOf(plain)).isEmpty();
  }

  @Test
  void coverageIsTheShareOfTheNewSceneTheEarlierOneCovers() {
    assertThat(AutoPairing.coverage(SCENE, box("sentinel2-13", 32633, 500, 0, 1500, 1000))).isEqualTo(0.5);
    assertThat(AutoPairing.coverage(SCENE, box("sentinel2-13", 32633, -100, -100, 2000, 2000))).isEqualTo(1.0);
    assertThat(AutoPairing.coverage(SCENE, box("sentinel2-13", 32633, 1000, 0, 2000, 1000))).isZero();
    assertThat(AutoPairing.coverage(SCENE, box("sentinel2-13", 32634, 0, 0, 1000, 1000))).isZero();
  }

  @Test
  void picksTheMostRecentEarlierSceneCoveringHalf() {
    PairCandidate old = candidate("old", box("sentinel2-13", 32633, 0, 0, 1000, 1000), 1);
    PairCandidate recent = candidate("recent", box("sentinel2-13", 32633, 400, 0, 1400, 1000), 5);
    PairCandidate newestButShort = candidate("short", box("sentinel2-13", 32633, 600, 0, 1600, 1000), 9);
    AutoPairing.Choice choice = AutoPairing.choose(SCENE, "sha-new", List.of(old, newestButShort, recent));
    assertThat(choice.chosen()).contains(recent);
    assertThat(choice.coverage()).isEqualTo(0.6);
    assertThat(choice.reason()).startsWith("paired automatically").contains("covers 60 %");
  }

  @Test
  void exactlyHalfQualifiesAsPairPlanAccepts() {
    PairCandidate half = candidate("half", box("sentinel2-13", 32633, 500, 0, 1500, 1000), 1);
    assertThat(AutoPairing.choose(SCENE, "sha-new", List.of(half)).chosen()).contains(half);
  }

  @Test
  void otherFamiliesOtherCrsAndTheSameBytesAreNeverChosen() {
    List<PairCandidate> candidates = List.of(
        candidate("radar", box("sentinel1-float", 32633, 0, 0, 1000, 1000), 3),
        candidate("twelve", box("sentinel2-12", 32633, 0, 0, 1000, 1000), 4),
        candidate("zone34", box("sentinel2-13", 32634, 0, 0, 1000, 1000), 5),
        candidate("new", box("sentinel2-13", 32633, 0, 0, 1000, 1000), 6));
    AutoPairing.Choice choice = AutoPairing.choose(SCENE, "sha-new", candidates);
    assertThat(choice.chosen()).isEmpty();
    assertThat(choice.coverage()).isZero();
    assertThat(choice.reason()).startsWith("none found").contains("sentinel2-13").contains("EPSG:32633")
        .contains("these very bytes").endsWith("analysed alone");
  }

  @Test
  void noneFoundSaysHowCloseTheBestCame() {
    PairCandidate third = candidate("third", box("sentinel2-13", 32633, 700, 0, 1700, 1000), 1);
    AutoPairing.Choice choice = AutoPairing.choose(SCENE, "sha-new", List.of(third));
    assertThat(choice.chosen()).isEmpty();
    assertThat(choice.reason()).contains("the best covers 30 %");
    assertThat(AutoPairing.choose(SCENE, "sha-new", List.of()).reason()).startsWith("none found")
        .doesNotContain("best");
  }
}
