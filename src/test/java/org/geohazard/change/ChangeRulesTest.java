package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The pieces of the change rules that the fidelity fixtures (PNGs, no missing samples) cannot reach. */
class ChangeRulesTest {

  @Test
  void boxMeanClipsTheWindowAtTheEdgesAndSkipsMissingSamples() {
    // 3 x 2 grid:  1 2 3
    //              4 NaN 6
    float[] values = {1, 2, 3, 4, Float.NaN, 6};
    double[] mean = ChangeRules.boxMean(values, 3, 2, 3);
    assertThat(mean[0]).isCloseTo((1 + 2 + 4) / 3.0, within(1e-12));   // corner: 2 x 2 window, one sample missing
    assertThat(mean[1]).isCloseTo((1 + 2 + 3 + 4 + 6) / 5.0, within(1e-12));
    assertThat(mean[4]).isNaN();                                       // a missing pixel stays missing
    assertThat(mean[5]).isCloseTo((2 + 3 + 6) / 3.0, within(1e-12));
  }

  @Test
  void relativeToMedianUsesTheMeanOfTheTwoMiddleValuesAndIgnoresMissingOnes() {
    double[] values = {4, Double.NaN, 1, 3, 10};
    ChangeRules.relativeToMedian(values);
    assertThat(values).containsExactly(0.5, Double.NaN, -2.5, -0.5, 6.5);
  }

  @Test
  void eightBitRadarIsReadRelativeToEachScenesOwnStretch() {
    // The same ground stretched two ways: the later scene 30 levels brighter overall. A dark patch appears in the
    // later scene only; the overall shift alone is no change.
    int w = 60;
    int h = 60;
    float[] before = new float[w * h];
    float[] after = new float[w * h];
    for (int i = 0; i < w * h; i++) {
      before[i] = 150;
      after[i] = 180;
    }
    for (int y = 20; y < 45; y++) {
      for (int x = 10; x < 50; x++) {
        after[y * w + x] = 40;
      }
    }
    ChangeRules.Layers layers = ChangeRules.backscatterDrop(after, before, true, w, h);
    assertThat(layers.changed()[32 * w + 30]).isTrue();
    assertThat(layers.changed()[5 * w + 5]).isFalse();
    assertThat(layers.waterBefore()[32 * w + 30]).isFalse();
    // Brighter everywhere by a stretch only, nothing darkened: no change at all.
    float[] brighter = new float[w * h];
    java.util.Arrays.fill(brighter, 200);
    boolean[] none = ChangeRules.backscatterDrop(brighter, before, true, w, h).changed();
    for (boolean c : none) {
      assertThat(c).isFalse();
    }
  }

  @Test
  void opticalNewWaterNeedsTheSwirNotToBrighten() {
    // Index -0.2 before, 0.2 after (rise 0.4) in both pixels; in the second the SWIR sample brightened (haze).
    float[] greenBefore = {40, 40};
    float[] swirBefore = {60, 60};
    float[] greenAfter = {36, 99};
    float[] swirAfter = {24, 66};
    ChangeRules.Layers layers = ChangeRules.newWater(greenAfter, swirAfter, greenBefore, swirBefore);
    assertThat(layers.changed()).containsExactly(true, false);
  }
}
