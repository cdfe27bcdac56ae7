package org.geohazard.inference.scene;

import org.geohazard.detection.Detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SceneJobTest {

  private final SceneJob.Slicing slicing = new SceneJob.Slicing(1280, 0.2, 2);
  private static final OptionalDouble UNKNOWN = OptionalDouble.empty();

  @Test
  void picturesOfUnknownScaleUpToTheLimitAreOneWholeWindow() {
    List<SceneWindow> windows = SceneJob.plan(1280, 720, UNKNOWN, 640, slicing, true);
    assertThat(windows).containsExactly(new SceneWindow(0, 0, 1280, 720, 1280, 720));
  }

  @Test
  void largePicturesOfUnknownScaleAreCutIntoFewLargeTilesNotNativeCloseUps() {
    // 4000 px wide: native 640 tiles would be 8 x 6 = 48 close-ups; at most 2 per side instead.
    List<SceneWindow> windows = SceneJob.plan(4000, 3000, UNKNOWN, 640, slicing, false);
    assertThat(windows).hasSize(2 * 2 + 1);
    List<SceneWindow> tiles = windows.subList(0, 4);
    // Tile side 4000 / (1 + 0.8) = 2223: each tile is shrunk ~3.5x by the letterbox, like the whole view.
    assertThat(tiles).allSatisfy(w -> assertThat(w.width()).isEqualTo(2223));
    assertThat(windows.get(4)).isEqualTo(new SceneWindow(0, 0, 4000, 3000, 4000, 3000));
  }

  @Test
  void aRasterOfUnknownScaleIsReadShrunkToTheModelInput() {
    List<SceneWindow> windows = SceneJob.plan(4000, 3000, UNKNOWN, 640, slicing, true);
    assertThat(windows.subList(0, 4)).allSatisfy(w -> {
      assertThat(w.outputWidth()).isEqualTo(640);
      assertThat(w.downsampled()).isTrue();
    });
    SceneWindow overview = windows.get(4);
    assertThat(Math.max(overview.outputWidth(), overview.outputHeight())).isEqualTo(640);
  }

  @Test
  void aSceneOfTheModelsScaleIsCutIntoInputSizedTilesPlusAFullView() {
    List<SceneWindow> windows = SceneJob.plan(2000, 1500, OptionalDouble.of(1.0), 640, slicing, true);
    SceneWindow last = windows.get(windows.size() - 1);
    assertThat(last.downsampled()).isTrue();
    assertThat(Math.max(last.outputWidth(), last.outputHeight())).isEqualTo(640);
    assertThat(windows.subList(0, windows.size() - 1)).allSatisfy(w -> {
      assertThat(w.width()).isEqualTo(640);
      assertThat(w.downsampled()).isFalse();
    });
    // Stride 512 with the last tile flush to the edge: 4 columns (0, 512, 1024, 1360) and 3 rows.
    assertThat(windows).hasSize(4 * 3 + 1);
  }

  @Test
  void aFinerSceneIsResampledToTheModelsGroundScale() {
    // 5 m pixels for a 10 m model: each tile covers 512 scene pixels read as 256.
    List<SceneWindow> windows = SceneJob.plan(2048, 2048, OptionalDouble.of(0.5), 256, slicing, true);
    List<SceneWindow> tiles = windows.subList(0, windows.size() - 1);
    assertThat(tiles).allSatisfy(w -> {
      assertThat(w.width()).isEqualTo(512);
      assertThat(w.outputWidth()).isEqualTo(256);
    });
    // Stride round(512 * 0.8) = 410: origins 0, 410, 820, 1230, 1536 per axis.
    assertThat(tiles).hasSize(5 * 5);
  }

  @Test
  void aSceneThatFitsTheInputAfterResamplingIsOneResampledWindow() {
    List<SceneWindow> windows = SceneJob.plan(512, 400, OptionalDouble.of(0.5), 256, slicing, true);
    assertThat(windows).containsExactly(new SceneWindow(0, 0, 512, 400, 256, 200));
  }

  @Test
  void coarserImageryIsNotUpsampled() {
    // 30 m Landsat for a 10 m model: read at its own scale, tiled at the input size.
    List<SceneWindow> windows = SceneJob.plan(1000, 1000, OptionalDouble.of(3.0), 256, slicing, true);
    assertThat(windows.subList(0, windows.size() - 1)).allSatisfy(w -> {
      assertThat(w.width()).isEqualTo(256);
      assertThat(w.downsampled()).isFalse();
    });
  }

  @Test
  void largeDecodedImagesEndWithTheWholeImageForTheLetterboxToShrink() {
    List<SceneWindow> windows = SceneJob.plan(2000, 1500, OptionalDouble.of(1.0), 640, slicing, false);
    assertThat(windows.get(windows.size() - 1)).isEqualTo(new SceneWindow(0, 0, 2000, 1500, 2000, 1500));
  }

  @Test
  void oneObjectCutByASeamIsReportedOnce() {
    List<SceneWindow> windows = List.of(new SceneWindow(0, 0, 640, 640, 640, 640),
        new SceneWindow(512, 0, 640, 640, 640, 640));
    SceneJob job = new SceneJob(1152, 640, windows, 0);
    SceneWindow left = job.takeNextWindow();
    SceneWindow right = job.takeNextWindow();
    assertThat(job.hasNextWindow()).isFalse();
    // An object at scene x 560..700: the left tile sees 560..640, the right one all of it (48..188 local).
    job.windowDone(left, List.of(new Detection(1, 0.8f, 560, 100, 640, 200)));
    assertThat(job.complete()).isFalse();
    job.windowDone(right, List.of(new Detection(1, 0.9f, 48, 100, 188, 200)));
    assertThat(job.complete()).isTrue();
    assertThat(job.settled()).isTrue();
    List<Detection> merged = job.detections(new SeamMerger());
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).x1()).isEqualTo(560f);
    assertThat(merged.get(0).x2()).isEqualTo(700f);
    assertThat(merged.get(0).score()).isEqualTo(0.9f);
  }

  @Test
  void aSingleWindowKeepsTheModelsDetectionsAsTheyAre() {
    SceneJob job = new SceneJob(100, 100, List.of(new SceneWindow(0, 0, 100, 100, 100, 100)), 0);
    SceneWindow only = job.takeNextWindow();
    List<Detection> found = List.of(new Detection(0, 0.5f, 0, 0, 10, 10), new Detection(0, 0.4f, 5, 5, 15, 15));
    job.windowDone(only, found);
    assertThat(job.detections(new SeamMerger())).isEqualTo(found);
  }

  @Test
  void aFailedWindowStopsTheSceneAndItSettlesWhenNothingIsInFlight() {
    List<SceneWindow> windows = List.of(new SceneWindow(0, 0, 10, 10, 10, 10), new SceneWindow(5, 0, 10, 10, 10, 10),
        new SceneWindow(0, 0, 15, 10, 10, 6));
    SceneJob job = new SceneJob(15, 10, windows, 0);
    SceneWindow first = job.takeNextWindow();
    job.takeNextWindow();
    job.windowFailed();
    assertThat(job.failed()).isTrue();
    assertThat(job.hasNextWindow()).isFalse();
    assertThat(job.settled()).isFalse();
    job.windowDone(first, List.of());
    assertThat(job.settled()).isTrue();
    assertThat(job.complete()).isFalse();
    assertThatThrownBy(() -> job.detections(new SeamMerger())).isInstanceOf(IllegalStateException.class);
  }
}
