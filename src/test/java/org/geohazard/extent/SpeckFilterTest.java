package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpeckFilterTest {

  @Test
  void dropsRegionsBelowTheMinimumAndKeepsTheRest() {
    int w = 20;
    int h = 12;
    float[] p = new float[w * h];
    fill(p, w, 1, 1, 10, 10);  // 100 pixels: kept
    fill(p, w, 14, 2, 15, 2);  // 2 pixels: dropped
    p[8 * w + 15] = 0.9f;      // two pixels touching only at a corner: two regions of one, both dropped
    p[9 * w + 16] = 0.9f;
    p[10 * w + 18] = 0.4f;     // below the threshold: not a region at all
    SceneMask mask = SceneMask.ofProbabilities(w, h, p);
    int dropped = SpeckFilter.removeBelow(mask, SceneMask.thresholdLevel(0.5), 5);
    assertThat(dropped).isEqualTo(3);
    assertThat(mask.floodedPixels(SceneMask.thresholdLevel(0.5))).isEqualTo(100);
    assertThat(mask.level(14, 2)).isZero();
    assertThat(mask.level(15, 8)).isZero();
    assertThat(mask.level(18, 10)).isEqualTo(SceneMask.level(0.4f)); // untouched
    assertThat(mask.level(5, 5)).isEqualTo(SceneMask.level(0.9f));
  }

  @Test
  void agreesWithAPlainFourConnectedLabellingOnRandomMasks() {
    Random random = new Random(24);
    for (int round = 0; round < 20; round++) {
      int w = 50 + random.nextInt(150);
      int h = 50 + random.nextInt(150);
      float[] p = new float[w * h];
      double density = 0.3 + random.nextDouble() * 0.4;
      for (int i = 0; i < p.length; i++) {
        p[i] = random.nextDouble() < density ? 0.8f : 0.1f;
      }
      int minPixels = 2 + random.nextInt(30);
      int level = SceneMask.thresholdLevel(0.5);
      SceneMask filtered = SceneMask.ofProbabilities(w, h, p);
      int dropped = SpeckFilter.removeBelow(filtered, level, minPixels);
      boolean[] expected = new boolean[w * h];
      int expectedDropped = reference(p, w, h, minPixels, expected);
      assertThat(dropped).isEqualTo(expectedDropped);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          assertThat(filtered.flooded(x, y, level)).as("(%d, %d) round %d", x, y, round)
              .isEqualTo(expected[y * w + x]);
        }
      }
    }
  }

  @Test
  void aRegionAsLargeAsTheSceneIsKeptWithoutAStackOfItsPixels() {
    int w = 2000;
    int h = 2000;
    float[] p = new float[w * h];
    // A serpentine: one region of ~2 million pixels whose every row is a run.
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean wall = y % 2 == 1 && (y % 4 == 1 ? x != w - 1 : x != 0);
        p[y * w + x] = wall ? 0f : 1f;
      }
    }
    SceneMask mask = SceneMask.ofProbabilities(w, h, p);
    long before = mask.floodedPixels(128);
    assertThat(SpeckFilter.removeBelow(mask, 128, 1000)).isZero();
    assertThat(mask.floodedPixels(128)).isEqualTo(before);
  }

  @Test
  void aRegionMostlyMarkedGoesWholeAndOneThatOnlyReachesIntoTheMarksStaysWhole() {
    int w = 30;
    int h = 12;
    float[] p = new float[w * h];
    fill(p, w, 1, 1, 10, 10);   // 100 pixels, 95 of them marked (a lake the model drew): cleared whole
    fill(p, w, 14, 1, 23, 10);  // 100 pixels, 40 marked (a flood spilling from a lake): kept whole
    fill(p, w, 26, 1, 28, 1);   // 3 pixels, none marked: kept
    boolean[] marked = new boolean[w * h];
    for (int y = 1; y <= 10; y++) {
      for (int x = 1; x <= 10; x++) {
        marked[y * w + x] = !(y == 10 && x <= 5);
      }
      for (int x = 14; x <= 17; x++) {
        marked[y * w + x] = true;
      }
    }
    marked[5 * w + 27] = true;  // a mark outside every region changes nothing
    SceneMask mask = SceneMask.ofProbabilities(w, h, p);
    int level = SceneMask.thresholdLevel(0.5);
    assertThat(SpeckFilter.removeMostlyMarked(mask, level, (x, y) -> marked[y * w + x], 0.9)).isEqualTo(100);
    assertThat(mask.floodedPixels(level)).isEqualTo(103);
    assertThat(mask.level(3, 3)).isZero();
    assertThat(mask.level(3, 10)).as("the lake's unmarked corner goes with it").isZero();
    assertThat(mask.level(15, 5)).as("the spilling flood keeps its marked part").isEqualTo(SceneMask.level(0.9f));
    assertThat(mask.level(20, 5)).isEqualTo(SceneMask.level(0.9f));
    // At a share of 0.4 the spilling flood goes too.
    assertThat(SpeckFilter.removeMostlyMarked(mask, level, (x, y) -> marked[y * w + x], 0.4)).isEqualTo(100);
    assertThat(mask.floodedPixels(level)).isEqualTo(3);
  }

  private static void fill(float[] p, int w, int x0, int y0, int x1, int y1) {
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        p[y * w + x] = 0.9f;
      }
    }
  }

  /** Breadth-first labelling, pixel by pixel: what the filter must match. */
  private static int reference(float[] p, int w, int h, int minPixels, boolean[] kept) {
    boolean[] seen = new boolean[w * h];
    int dropped = 0;
    for (int start = 0; start < p.length; start++) {
      if (seen[start] || p[start] < 0.5f) {
        continue;
      }
      ArrayDeque<Integer> queue = new ArrayDeque<>();
      List<Integer> members = new ArrayList<>();
      queue.add(start);
      seen[start] = true;
      while (!queue.isEmpty()) {
        int i = queue.poll();
        members.add(i);
        int x = i % w;
        int y = i / w;
        int[][] next = {{x + 1, y}, {x - 1, y}, {x, y + 1}, {x, y - 1}};
        for (int[] n : next) {
          if (n[0] >= 0 && n[1] >= 0 && n[0] < w && n[1] < h) {
            int j = n[1] * w + n[0];
            if (!seen[j] && p[j] >= 0.5f) {
              seen[j] = true;
              queue.add(j);
            }
          }
        }
      }
      if (members.size() < minPixels) {
        dropped++;
      } else {
        members.forEach(i -> kept[i] = true);
      }
    }
    return dropped;
  }
}
