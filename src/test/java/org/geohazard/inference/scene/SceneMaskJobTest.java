package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.geohazard.extent.MaskGrid;
import org.geohazard.extent.SceneMask;
import org.geohazard.geo.GeoReference;
import org.junit.jupiter.api.Test;

class SceneMaskJobTest {

  private static final int SIDE = 700;

  /** A 10 m UTM scene of 700² pixels, tiled as the planner does for a 256-pixel model at 20 % overlap. */
  private static List<SceneWindow> tiles() {
    return new SceneTiler(256, 0.2).plan(SIDE, SIDE).tiles();
  }

  private static MaskGrid grid(double modelGsd) throws Exception {
    GeoReference scene = GeoReference.ofGeoTransform(32630, true, 600_000, 10, 0, 4_200_000, 0, -10);
    return MaskGrid.atModelScale(scene, SIDE, SIDE, modelGsd);
  }

  /** A window's probabilities from one scene-wide field: what every window agrees on. */
  private static float[] field(SceneWindow w, int readWidth, int readHeight) {
    float[] p = new float[readWidth * readHeight];
    for (int y = 0; y < readHeight; y++) {
      for (int x = 0; x < readWidth; x++) {
        double sx = w.x() + (x + 0.5) * w.width() / readWidth;
        double sy = w.y() + (y + 0.5) * w.height() / readHeight;
        p[y * readWidth + x] = Math.hypot(sx - 350, sy - 300) < 200 ? 0.8f : 0.2f;
      }
    }
    return p;
  }

  @Test
  void windowsArrivingInAnyOrderStitchToTheSameMaskAsInRowOrder() throws Exception {
    List<SceneWindow> windows = tiles();
    assertThat(windows.size()).isGreaterThan(4);
    SceneMaskJob inOrder = new SceneMaskJob(SIDE, SIDE, windows, grid(10), 0.5, 26);
    windows.forEach(w -> inOrder.add(w, w.outputWidth(), w.outputHeight(), field(w, w.outputWidth(),
        w.outputHeight())));
    SceneMask expected = inOrder.finish();

    List<SceneWindow> shuffled = new ArrayList<>(windows);
    Collections.shuffle(shuffled, new Random(7));
    SceneMaskJob anyOrder = new SceneMaskJob(SIDE, SIDE, windows, grid(10), 0.5, 26);
    shuffled.forEach(w -> anyOrder.add(w, w.outputWidth(), w.outputHeight(), field(w, w.outputWidth(),
        w.outputHeight())));
    SceneMask stitched = anyOrder.finish();
    assertThat(anyOrder.mostWaiting()).isGreaterThan(1);
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        assertThat(stitched.level(x, y)).isEqualTo(expected.level(x, y));
      }
    }
    // The windows agree, so the blend is the field itself, with no seam (0.8 and 0.2 are exact levels: 204, 51).
    assertThat(stitched.level(350, 300)).isEqualTo(SceneMask.level(0.8));
    assertThat(stitched.level(20, 680)).isEqualTo(SceneMask.level(0.2));
  }

  @Test
  void windowsReadSmallerThanTheirGridCellsAreResampledOntoTheMaskGrid() throws Exception {
    // A 20 m model on a 10 m scene: the mask has half the scene's pixels per side; windows are read at half size.
    MaskGrid grid = grid(20);
    assertThat(grid.width()).isEqualTo(SIDE / 2);
    List<SceneWindow> windows = new SceneTiler(512, 0.2).plan(SIDE, SIDE).tiles();
    SceneMaskJob job = new SceneMaskJob(SIDE, SIDE, windows, grid, 0.5, 26);
    for (SceneWindow w : windows) {
      int rw = w.width() / 2 + 3; // not exactly the cells: resampled
      int rh = w.height() / 2 - 2;
      job.add(w, rw, rh, field(w, rw, rh));
    }
    SceneMask mask = job.finish();
    assertThat(mask.width()).isEqualTo(SIDE / 2);
    assertThat(mask.level(175, 150)).isEqualTo(SceneMask.level(0.8));
    assertThat(mask.level(5, 340)).isEqualTo(SceneMask.level(0.2));
  }

  @Test
  void aMaskIsFinishedOnlyWithEveryWindowIn() throws Exception {
    List<SceneWindow> windows = tiles();
    SceneMaskJob job = new SceneMaskJob(SIDE, SIDE, windows, grid(10), 0.5, 26);
    SceneWindow last = windows.get(windows.size() - 1);
    job.add(last, last.outputWidth(), last.outputHeight(), field(last, last.outputWidth(), last.outputHeight()));
    assertThatThrownBy(job::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("mask windows");
    assertThatThrownBy(() -> job.add(new SceneWindow(1, 1, 10, 10, 10, 10), 10, 10, new float[100]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
