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
    ChangeRules.Layers layers = ChangeRules.newWater(greenAfter, swirAfter, greenBefore, swirBefore, 2, 1,
        Double.NaN);
    assertThat(layers.changed()).containsExactly(true, false);
    assertThat(layers.clearShare()).isEqualTo(1.0);
  }

  /** A w x h pair of land (MNDWI -0.4), with {@code flood} pixels turned to water in the later scene. */
  private static float[][] pair(int w, int h) {
    float[] greenBefore = new float[w * h];
    float[] swirBefore = new float[w * h];
    java.util.Arrays.fill(greenBefore, 30);
    java.util.Arrays.fill(swirBefore, 70);
    float[] greenAfter = greenBefore.clone();
    float[] swirAfter = swirBefore.clone();
    return new float[][] {greenAfter, swirAfter, greenBefore, swirBefore};
  }

  private static void fill(float[] band, int w, int x0, int y0, int x1, int y1, float value) {
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        band[y * w + x] = value;
      }
    }
  }

  @Test
  void cloudInEitherDateIsJudgedNeitherWayWithItsEdges() {
    int w = 60;
    int h = 40;
    float[][] p = pair(w, h);
    // New water (MNDWI 0.38 after, SWIR darker) on columns 0-39 of the later scene.
    fill(p[0], w, 0, 0, 40, h, 55);
    fill(p[1], w, 0, 0, 40, h, 25);
    // A cloud in the earlier scene over columns 20-29 (bright in every band, green above SWIR); a cloud in the
    // later scene over columns 50-59 over land that was water before there.
    fill(p[2], w, 20, 0, 30, h, 175);
    fill(p[3], w, 20, 0, 30, h, 150);
    fill(p[2], w, 50, 0, 60, h, 50);
    fill(p[3], w, 50, 0, 60, h, 15);
    fill(p[0], w, 50, 0, 60, h, 200);
    fill(p[1], w, 50, 0, 60, h, 180);
    ChangeRules.Layers masked = ChangeRules.newWater(p[0], p[1], p[2], p[3], w, h, 1.0);
    ChangeRules.Layers unmasked = ChangeRules.newWater(p[0], p[1], p[2], p[3], w, h, Double.NaN);
    int row = 20 * w;
    // Without the mask: new water right up to the cloud of the earlier scene; the cloud of the later scene still
    // counts as water before.
    assertThat(unmasked.changed()[row + 19]).isTrue();
    assertThat(unmasked.waterBefore()[row + 55]).isTrue();
    // With it: the cloud, and HAZE_DILATE pixels around it, neither new water nor water before.
    assertThat(masked.changed()[row + 5]).isTrue();
    assertThat(masked.changed()[row + 20 - ChangeRules.HAZE_DILATE - 1]).isTrue();
    assertThat(masked.changed()[row + 20 - ChangeRules.HAZE_DILATE]).isFalse();
    assertThat(masked.changed()[row + 35]).isFalse();
    assertThat(masked.waterBefore()[row + 55]).isFalse();
    // Clear: columns 0-11 and 38-41 of 60.
    assertThat(masked.clearShare()).isEqualTo(16.0 / 60);
    assertThat(masked.judged()).isTrue();
  }

  @Test
  void aPairMostlyUnderCloudIsNotJudgedAtAll() {
    int w = 50;
    int h = 20;
    float[][] p = pair(w, h);
    fill(p[0], w, 0, 0, 30, h, 55);     // new water on 30 of 50 columns
    fill(p[1], w, 0, 0, 30, h, 25);
    fill(p[2], w, 10, 0, 50, h, 175);   // the earlier scene clouded from column 10 on
    fill(p[3], w, 10, 0, 50, h, 150);
    ChangeRules.Layers layers = ChangeRules.newWater(p[0], p[1], p[2], p[3], w, h, 1.0);
    // Columns 0-1 clear (10 less the dilation): 2 of 50 is below MIN_CLEAR_SHARE, so nothing is judged, not even
    // the clear new water at the edge, and no water before either.
    assertThat(layers.clearShare()).isEqualTo(2.0 / 50);
    assertThat(layers.judged()).isFalse();
    for (int i = 0; i < w * h; i++) {
      assertThat(layers.changed()[i]).isFalse();
      assertThat(layers.waterBefore()[i]).isFalse();
    }
    assertThat(ChangeRules.newWater(p[0], p[1], p[2], p[3], w, h, Double.NaN).changed()[5]).isTrue();
  }

  @Test
  void sixteenBitSentinel2SamplesAreReadOnTheSameLevels() {
    // A cloud in reflectance x 10 000: SWIR 0.6, green 0.7 -> levels 153 and 178.5, cloudy; the same pixel read
    // as 8-bit levels (0.6 x 10 000 is not a level) or without a scale is not.
    float[] green = {7000};
    float[] swir = {6000};
    assertThat(ChangeRules.hazy(green, swir, 1, 1, ChangeRules.SENTINEL2_LEVELS_PER_DN)).containsExactly(true);
    assertThat(ChangeRules.hazy(new float[] {70}, new float[] {60}, 1, 1, 1.0)).containsExactly(false);
    // Bare soil: bright SWIR but green well below it; water: dark SWIR. Neither is haze.
    assertThat(ChangeRules.hazy(new float[] {75}, new float[] {128}, 1, 1, 1.0)).containsExactly(false);
    assertThat(ChangeRules.hazy(new float[] {200}, new float[] {20}, 1, 1, 1.0)).containsExactly(false);
    assertThat(ChangeRules.hazy(new float[] {Float.NaN}, new float[] {200}, 1, 1, 1.0)).containsExactly(false);
  }

  @Test
  void dilationClipsAtTheEdges() {
    boolean[] mask = new boolean[5 * 3];
    mask[0] = true;   // corner (0, 0)
    boolean[] out = ChangeRules.dilate(mask, 5, 3, 1);
    assertThat(out).containsExactly(true, true, false, false, false, true, true, false, false, false,
        false, false, false, false, false);
  }
}
