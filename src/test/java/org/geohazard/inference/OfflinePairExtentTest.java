package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.testing.PairScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline CLI's pair (`analyze after.tif --before before.tif`) with the shipped Sentinel-2 mask model: the water
 * the before scene already had is cleared from the extent as a node clears it (SceneExtent), so a lake in both
 * scenes is not drawn as flood beside the new flood. Real model through ONNX Runtime; fixed seeds, so the same
 * pixels every run.
 */
class OfflinePairExtentTest {

  private static final AppConfig CONFIG = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));

  @TempDir
  static Path folder;
  private static OfflineAnalyzer analyzer;

  @BeforeAll
  static void load() throws Exception {
    analyzer = OfflineAnalyzer.load(CONFIG, List.of(Path.of("models/geohazard-s2seg.onnx")));
  }

  @AfterAll
  static void close() throws Exception {
    analyzer.close();
  }

  @Test
  void aLakeInBothScenesIsClearedFromThePairsExtentAndTheFloodKept() throws Exception {
    Path before = PairScenes.sentinel2(folder, false, 612_340, 7);
    Path after = PairScenes.sentinel2(folder, true, 612_340, 8);
    AnalysisExtent alone = analyzer.analyze(after, OfflineAnalyzer.Hints.NONE, (done, total) -> { })
        .floodExtent().orElseThrow();
    Analysis pair = analyzer.analyzePair(after, before, OfflineAnalyzer.Hints.NONE, (done, total) -> { }, null);
    AnalysisExtent paired = pair.floodExtent().orElseThrow();

    assertThat(alone.waterBeforeKm2()).as("alone: no before scene asked").isNull();
    // The lake (60 x 60 pixels of 10 m, 0.36 km²) is partly drawn by the model alone; as a pair that part is cleared.
    assertThat(paired.waterBeforeKm2()).isBetween(0.05, 0.37);
    assertThat(paired.floodedKm2()).isCloseTo(alone.floodedKm2() - paired.waterBeforeKm2(), within(0.03));
    // The new flood (a disc of 0.95 km²) stays.
    assertThat(paired.floodedKm2()).isGreaterThan(0.3);
  }

  @Test
  void aBeforeSceneUnderCloudIsNotJudgedSoNothingIsClearedAndTheExtentSaysNothingWasAsked() throws Exception {
    Path overcast = PairScenes.sentinel2(folder, false, true, 612_340, 9);
    Path after = PairScenes.sentinel2(folder, true, 612_340, 10);
    AnalysisExtent alone = analyzer.analyze(after, OfflineAnalyzer.Hints.NONE, (done, total) -> { })
        .floodExtent().orElseThrow();
    Analysis pair = analyzer.analyzePair(after, overcast, OfflineAnalyzer.Hints.NONE, (done, total) -> { }, null);
    assertThat(pair.change().judged()).as("too little clear in the before scene").isFalse();
    AnalysisExtent paired = pair.floodExtent().orElseThrow();
    assertThat(paired.waterBeforeKm2()).isNull();
    assertThat(paired.floodedKm2()).isCloseTo(alone.floodedKm2(), within(1e-9));
  }
}
