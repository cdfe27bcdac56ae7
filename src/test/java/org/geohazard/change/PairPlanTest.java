package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;
import org.junit.jupiter.api.Test;

/** Which pairs the node compares, and the 4xx reasons for those it does not. */
class PairPlanTest {

  private static Optional<GeoReference> utm(double x0) throws Exception {
    return Optional.of(GeoReference.ofGeoTransform(32633, true, x0, 10, 0, 4_000_000, 0, -10));
  }

  private static PairPlan.SceneFacts s2(int side, Optional<GeoReference> where) {
    return new PairPlan.SceneFacts(side, side, 13, false, Optional.empty(), where);
  }

  private static PairPlan.SceneFacts s1(boolean floats, Optional<GeoReference> where) {
    return new PairPlan.SceneFacts(100, 100, 1, floats, floats ? Optional.empty() : Optional.of(Sensor.SENTINEL1),
        where);
  }

  @Test
  void sentinel2StacksArePairedThroughTheirSwirNirGreenAndRedBands() throws Exception {
    PairPlan plan = PairPlan.of(s2(100, utm(500_000)), s2(120, utm(499_900)));
    assertThat(plan.radar()).isFalse();
    assertThat(plan.swirNirGreen()).containsExactly(12, 8, 3);
    assertThat(plan.red()).isEqualTo(4);
    assertThat(plan.overlapShare()).isEqualTo(1.0);
    assertThat(plan.grid().width()).isEqualTo(100);
  }

  @Test
  void largeScenesRunOnAGridOfAtMost2048PixelsASide() throws Exception {
    PairPlan plan = PairPlan.of(s2(4096, utm(500_000)), s2(4096, utm(500_000)));
    assertThat(plan.grid().width()).isEqualTo(2048);
    assertThat(plan.grid().sceneStepX()).isEqualTo(2.0);
    assertThat(plan.grid().reference().toCrs(1, 0)[0]).isEqualTo(500_020.0);
  }

  @Test
  void radarPairsNeedOneSampleKind() throws Exception {
    PairPlan plan = PairPlan.of(s1(true, utm(500_000)), s1(true, utm(500_000)));
    assertThat(plan.radar()).isTrue();
    assertThat(plan.eightBit()).isFalse();
    assertThat(PairPlan.of(s1(false, utm(500_000)), s1(false, utm(500_000))).eightBit()).isTrue();
    assertThatThrownBy(() -> PairPlan.of(s1(true, utm(500_000)), s1(false, utm(500_000))))
        .hasMessageContaining("8-bit");
  }

  @Test
  void refusalsSayWhy() throws Exception {
    assertThatThrownBy(() -> PairPlan.of(s2(100, Optional.empty()), s2(100, utm(500_000))))
        .isInstanceOf(CoRegistration.Refused.class).hasMessageContaining("this scene has no georeference");
    assertThatThrownBy(() -> PairPlan.of(s2(100, utm(500_000)), s2(100, Optional.empty())))
        .hasMessageContaining("the before scene has no georeference");
    assertThatThrownBy(() -> PairPlan.of(s2(100, utm(500_000)), s1(true, utm(500_000))))
        .hasMessageContaining("different sensor families");
    // 60 % of the scene outside the before scene.
    assertThatThrownBy(() -> PairPlan.of(s2(100, utm(500_000)), s2(100, utm(500_600))))
        .hasMessageContaining("covers 40 %");
    PairPlan.SceneFacts rgb = new PairPlan.SceneFacts(100, 100, 3, false, Optional.empty(), utm(500_000));
    assertThatThrownBy(() -> PairPlan.of(rgb, rgb)).hasMessageContaining("green, NIR and SWIR");
  }
}
