package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskStitcherTest {

  private static final int WINDOW = 64;
  private static final int STRIDE = 51; // 20 % overlap, as the scene tiler cuts

  /** Window origins along one side: every STRIDE, the last one flush with the edge (as the scene tiler does). */
  private static List<Integer> origins(int length) {
    List<Integer> starts = new ArrayList<>();
    for (int s = 0; s + WINDOW < length; s += STRIDE) {
      starts.add(s);
    }
    starts.add(length - WINDOW);
    return starts;
  }

  private static float[] window(float[] scene, int width, int x, int y) {
    float[] out = new float[WINDOW * WINDOW];
    for (int r = 0; r < WINDOW; r++) {
      System.arraycopy(scene, (y + r) * width + x, out, r * WINDOW, WINDOW);
    }
    return out;
  }

  @Test
  void windowsThatAgreeGiveTheirCommonValueEverywhereSoNoSeamShows() {
    int width = 300;
    int height = 230;
    float[] scene = FloodMasks.realisticField(width, height, 5);
    MaskStitcher stitcher = new MaskStitcher(width, height, 26);
    for (int y : origins(height)) {
      for (int x : origins(width)) {
        stitcher.add(x, y, WINDOW, WINDOW, window(scene, width, x, y));
      }
    }
    SceneMask mask = stitcher.finish();
    int worst = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        worst = Math.max(worst, Math.abs(mask.level(x, y) - SceneMask.level(scene[y * width + x])));
      }
    }
    assertThat(worst).as("largest level difference from the unwindowed field").isLessThanOrEqualTo(1);
  }

  @Test
  void windowsThatDisagreeBlendSmoothlyAcrossTheOverlap() {
    // Two windows side by side overlapping by 20 columns: 0.0 on the left, 1.0 on the right.
    MaskStitcher stitcher = new MaskStitcher(108, WINDOW, 10);
    float[] dry = new float[WINDOW * WINDOW];
    float[] wet = new float[WINDOW * WINDOW];
    Arrays.fill(wet, 1f);
    stitcher.add(0, 0, WINDOW, WINDOW, dry);
    stitcher.add(44, 0, WINDOW, WINDOW, wet);
    SceneMask mask = stitcher.finish();
    int row = WINDOW / 2;
    assertThat(mask.level(43, row)).isZero();
    assertThat(mask.level(64, row)).isEqualTo(255);
    int largestStep = 0;
    for (int x = 1; x < 108; x++) {
      int step = mask.level(x, row) - mask.level(x - 1, row);
      assertThat(step).as("monotone across the overlap at column %d", x).isGreaterThanOrEqualTo(0);
      largestStep = Math.max(largestStep, step);
    }
    // A hard seam would jump 255 levels at one column; the blend spreads it over the 20 overlapping columns.
    assertThat(largestStep).isLessThan(60);
  }

  @Test
  void holdsOnlyTheRowsAWindowCanStillReach() {
    int width = 200;
    int height = 1000;
    MaskStitcher stitcher = new MaskStitcher(width, height, 26);
    float[] probabilities = new float[WINDOW * WINDOW];
    for (int y : origins(height)) {
      for (int x : origins(width)) {
        stitcher.add(x, y, WINDOW, WINDOW, probabilities);
      }
    }
    stitcher.finish();
    assertThat(stitcher.mostRowsHeld()).isLessThanOrEqualTo(WINDOW + STRIDE);
  }

  @Test
  void windowsPastTheEdgeAreClippedAndUnreachedPixelsStayZero() {
    MaskStitcher stitcher = new MaskStitcher(50, 50, 5);
    float[] half = new float[WINDOW * WINDOW];
    Arrays.fill(half, 0.5f);
    stitcher.add(20, 20, WINDOW, WINDOW, half);
    SceneMask mask = stitcher.finish();
    assertThat(mask.level(49, 49)).isEqualTo(128);
    assertThat(mask.level(10, 10)).isZero();
  }

  @Test
  void refusesWindowsOutOfRowOrderAndWrongSizes() {
    MaskStitcher stitcher = new MaskStitcher(100, 100, 5);
    stitcher.add(0, 30, WINDOW, WINDOW, new float[WINDOW * WINDOW]);
    assertThatThrownBy(() -> stitcher.add(0, 10, WINDOW, WINDOW, new float[WINDOW * WINDOW]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("row order");
    assertThatThrownBy(() -> stitcher.add(0, 40, WINDOW, WINDOW, new float[10]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MaskStitcher(100, 100, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
