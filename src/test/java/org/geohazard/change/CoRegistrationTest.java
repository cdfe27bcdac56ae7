package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.geohazard.geo.GeoReference;
import org.junit.jupiter.api.Test;

/** Co-registration on the georeference: after pixels mapped into the before scene, nearest-neighbour resampling. */
class CoRegistrationTest {

  /** UTM 33N, 10 m pixels, upper-left corner at (x0, y0). */
  private static GeoReference utm(double x0, double y0, double pixel) throws Exception {
    return GeoReference.ofGeoTransform(32633, true, x0, pixel, 0, y0, 0, -pixel);
  }

  @Test
  void aShiftedGridMapsEachPixelToTheBeforePixelUnderItsCentre() throws Exception {
    // The after scene starts 20 m east and 10 m south of the before scene: before = after + (2, 1) pixels.
    CoRegistration co = CoRegistration.of(utm(500_020, 4_000_000 - 10, 10), 4, 3, utm(500_000, 4_000_000, 10), 5, 5);
    assertThat(co.beforeColumn(0.5, 0.5)).isCloseTo(2.5, within(1e-9));
    assertThat(co.beforeRow(0.5, 0.5)).isCloseTo(1.5, within(1e-9));
    float[] before = new float[25];
    for (int i = 0; i < 25; i++) {
      before[i] = i;
    }
    float[] on = co.resample(before, 0, 0, 5, 5, 5, 5);
    assertThat(on[0]).isEqualTo(7f);       // before (2, 1)
    assertThat(on[1 * 4 + 2]).isEqualTo(14f); // after (2, 1) -> before (4, 2)
    assertThat(on[3]).isNaN();             // after (3, 0) -> before column 5: outside
    // 4 x 3 after pixels, columns 0..2 and rows 0..2 inside (rows 1..3 of the before scene): 9 of 12.
    assertThat(co.overlapShare()).isCloseTo(9.0 / 12, within(1e-9));
    assertThat(co.beforeWindow()).containsExactly(2, 1, 3, 3);
  }

  @Test
  void aCoarserBeforeSceneIsSampledAtItsOwnPixels() throws Exception {
    CoRegistration co = CoRegistration.of(utm(500_000, 4_000_000, 10), 4, 4, utm(500_000, 4_000_000, 20), 2, 2);
    float[] on = co.resample(new float[] {1, 2, 3, 4}, 0, 0, 2, 2, 2, 2);
    assertThat(on).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    assertThat(co.overlapShare()).isEqualTo(1.0);
  }

  @Test
  void aWindowReadDownsampledIsIndexedAtItsOwnScale() throws Exception {
    // The before window (0, 0, 4, 4) read at 2 x 2: after pixel (3, 3) -> before (3.5, 3.5) -> sample (1, 1).
    CoRegistration co = CoRegistration.of(utm(500_000, 4_000_000, 10), 4, 4, utm(500_000, 4_000_000, 10), 4, 4);
    float[] on = co.resample(new float[] {1, 2, 3, 4}, 0, 0, 4, 4, 2, 2);
    assertThat(on[15]).isEqualTo(4f);
    assertThat(on[0]).isEqualTo(1f);
  }

  @Test
  void scenesInTwoCrssAreRefusedAndDisjointScenesHaveNoWindow() throws Exception {
    GeoReference other = GeoReference.ofGeoTransform(32634, true, 500_000, 10, 0, 4_000_000, 0, -10);
    assertThatThrownBy(() -> CoRegistration.of(utm(500_000, 4_000_000, 10), 4, 4, other, 4, 4))
        .isInstanceOf(CoRegistration.Refused.class).hasMessageContaining("EPSG:32634").hasMessageContaining("EPSG:32633");
    CoRegistration far = CoRegistration.of(utm(600_000, 4_000_000, 10), 4, 4, utm(500_000, 4_000_000, 10), 4, 4);
    assertThat(far.beforeWindow()).isNull();
    assertThat(far.overlapShare()).isZero();
  }
}
