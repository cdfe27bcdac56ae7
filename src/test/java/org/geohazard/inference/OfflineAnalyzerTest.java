package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.LargeScene;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline pipeline: windows of a sliced scene read on the preprocessing threads while the model runs. Whatever
 * order the reads finish in, the analysis is the one a window-by-window reading gives, every window is run once,
 * and a bad file leaves the analyzer ready for the next. Real models through ONNX Runtime (the stand-in, for speed).
 */
class OfflineAnalyzerTest {

  private static final Path STANDIN = Path.of("models/geohazard-standin.onnx");
  private static final AppConfig CONFIG = AppConfig.fromJson(ConfigLoader.load(null,
      Map.of("GEOHAZARD_BATCHER_PREPROCESS_THREADS", "3", "GEOHAZARD_BATCHER_MAX_BATCH", "4"), new Properties()));

  @TempDir
  static Path folder;
  private static OfflineAnalyzer analyzer;

  @BeforeAll
  static void load() throws Exception {
    analyzer = OfflineAnalyzer.load(CONFIG, List.of(STANDIN));
  }

  @AfterAll
  static void close() throws Exception {
    analyzer.close();
  }

  @Test
  void aSlicedSceneReadOnSeveralThreadsGivesTheSameAnalysisEveryTimeAndRunsEveryWindowOnce() throws Exception {
    Path scene = LargeScene.scene(2_400).write(folder.resolve("scene.tif"));
    List<int[]> progress = new ArrayList<>();
    Analysis first = analyzer.analyze(scene, OfflineAnalyzer.Hints.NONE,
        (done, total) -> progress.add(new int[] {done, total}));

    // More windows than a batch and than the read-ahead, so batches, reads ahead and the model all overlap.
    assertThat(first.tiles()).isGreaterThan(3 * CONFIG.batcher().maxBatch());
    assertThat(progress).isNotEmpty();
    assertThat(progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(first.tiles()));
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i)[0]).isGreaterThan(progress.get(i - 1)[0]);
    }
    assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(first.tiles());
    assertThat(first.georeference()).isEqualTo(Analysis.Georeference.EXACT);

    Analysis second = analyzer.analyze(scene, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
    assertThat(boxes(second)).isEqualTo(boxes(first));
    assertThat(second.riskLevel()).isEqualTo(first.riskLevel());
  }

  @Test
  void aBadFileFailsAloneAndTheNextIsAnalysed() throws Exception {
    Path cut = Files.write(folder.resolve("cut.png"), TestImages.truncated(TestImages.floodPng(), 0.5));
    assertThatThrownBy(() -> analyzer.analyze(cut, OfflineAnalyzer.Hints.NONE, (done, total) -> { }))
        .isInstanceOf(InvalidImageException.class);

    Path flood = Files.write(folder.resolve("flood.png"), TestImages.floodPng());
    Analysis analysis = analyzer.analyze(flood, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
    assertThat(analysis.tiles()).isPositive();
  }

  private static List<String> boxes(Analysis analysis) {
    return analysis.detections().stream().map(AnalyzedDetection::toJson).map(Object::toString).toList();
  }
}
