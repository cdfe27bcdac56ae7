package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class SceneTilerTest {

  private final SceneTiler tiler = new SceneTiler(640);

  @Test
  void tilesOverlapByTheConfiguredFractionAndTheLastIsFlushWithTheEdge() {
    TilePlan plan = tiler.plan(1800, 1200);
    List<Integer> xs = plan.tiles().stream().map(SceneWindow::x).distinct().toList();
    List<Integer> ys = plan.tiles().stream().map(SceneWindow::y).distinct().toList();
    assertThat(xs).containsExactly(0, 512, 1024, 1160); // stride 512 = 640 × 0.8, then 1800 − 640
    assertThat(ys).containsExactly(0, 512, 560);
    assertThat(plan.tiles()).hasSize(12).allSatisfy(t -> {
      assertThat(t.width()).isEqualTo(640);
      assertThat(t.height()).isEqualTo(640);
      assertThat(t.downsampled()).isFalse();
    });
    assertThat(plan.overview()).contains(new SceneWindow(0, 0, 1800, 1200, 640, 427));
    assertThat(plan.windows()).hasSize(13);
  }

  @Test
  void everySceneDimensionIsCoveredWithoutHangingOver() {
    for (int width : new int[] {640, 641, 1152, 1153, 10980}) {
      TilePlan plan = tiler.plan(width, 700);
      boolean[] covered = new boolean[width];
      for (SceneWindow tile : plan.tiles()) {
        assertThat(tile.x() + tile.width()).isLessThanOrEqualTo(width);
        for (int x = tile.x(); x < tile.x() + tile.width(); x++) {
          covered[x] = true;
        }
      }
      for (boolean c : covered) {
        assertThat(c).isTrue();
      }
    }
    assertThat(tiler.plan(10980, 10980).tiles()).hasSize(22 * 22);
  }

  @Test
  void sceneSmallerThanATileIsOneWindowWithoutOverview() {
    TilePlan plan = tiler.plan(500, 300);
    assertThat(plan.tiles()).containsExactly(new SceneWindow(0, 0, 500, 300, 500, 300));
    assertThat(plan.overview()).isEmpty();
  }

  @Test
  void windowsMapTheirDetectionsToScenePixels() {
    SceneWindow tile = new SceneWindow(512, 1024, 640, 640, 640, 640);
    assertThat(tile.toScene(new Detection(1, 0.9f, 10, 20, 30, 40)))
        .isEqualTo(new Detection(1, 0.9f, 522, 1044, 542, 1064));
    SceneWindow overview = new SceneWindow(0, 0, 6400, 3200, 640, 320);
    assertThat(overview.toScene(new Detection(0, 0.5f, 10, 20, 30, 40)))
        .isEqualTo(new Detection(0, 0.5f, 100, 200, 300, 400));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new SceneTiler(640, 0.95)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SceneTiler(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tiler.plan(0, 10)).isInstanceOf(IllegalArgumentException.class);
  }
}
