package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.geohazard.geo.SceneTiler;
import org.geohazard.geo.SceneWindow;
import org.geohazard.geo.SeamMerger;
import org.junit.jupiter.api.Test;

class SceneJobTest {

  private final SceneTiler tiler = new SceneTiler(640, 0.2);

  @Test
  void ordinaryImagesAreOneWholeWindow() {
    List<SceneWindow> windows = SceneJob.plan(1280, 720, 1280, tiler, true);
    assertThat(windows).containsExactly(new SceneWindow(0, 0, 1280, 720, 1280, 720));
  }

  @Test
  void largeRastersAreTilesPlusADownsampledFullView() {
    List<SceneWindow> windows = SceneJob.plan(2000, 1500, 1280, tiler, true);
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
  void largeDecodedImagesEndWithTheWholeImageForTheLetterboxToShrink() {
    List<SceneWindow> windows = SceneJob.plan(2000, 1500, 1280, tiler, false);
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
