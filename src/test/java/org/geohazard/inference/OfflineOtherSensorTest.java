package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.InvalidImageException;
import org.geohazard.testing.PairScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline CLI's look with another sensor's scene ({@code analyze s2.tif --other-sensor s1.tif}) with the shipped
 * Sentinel-2 and Sentinel-1 flood detectors through ONNX Runtime: the radar scene (geographic coordinates) is analysed
 * first, and its flood box over the flood disc corroborates the optical model's box (UTM), which alone is capped for
 * want of real-label evidence at its level. Fixed seeds: the same pixels every run.
 */
class OfflineOtherSensorTest {

  private static final AppConfig CONFIG = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
  private static final double EASTING = 612_340;

  @TempDir
  static Path folder;
  private static OfflineAnalyzer analyzer;

  @BeforeAll
  static void load() throws Exception {
    analyzer = OfflineAnalyzer.load(CONFIG, List.of(Path.of("models/geohazard-s2flood.onnx"),
        Path.of("models/geohazard-s1flood.onnx")));
  }

  @AfterAll
  static void close() throws Exception {
    analyzer.close();
  }

  @Test
  void theRadarScenesFloodBoxLetsTheOpticalFloodKeepItsLevel() throws Exception {
    Path optical = PairScenes.sentinel2(folder, true, EASTING, 21);
    Path radar = PairScenes.sentinel1Geographic(folder, true, EASTING, 22);
    Analysis alone = analyzer.analyze(optical, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
    HazardEvidence aloneFlood = alone.evidenceOf("flood").orElseThrow();
    // Alone the optical model's flood is capped: its level has no real-label evidence behind it.
    assertThat(aloneFlood.capped()).as(alone.toJson().encodePrettily()).isTrue();

    Analysis radarAlone = analyzer.analyze(radar, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
    Analysis fused = analyzer.analyzeWith(optical, null, radar, OfflineAnalyzer.Hints.NONE, (done, total) -> { },
        null);

    HazardEvidence flood = fused.evidenceOf("flood").orElseThrow();
    assertThat(flood.corroboratedBy()).as(fused.toJson().encodePrettily())
        .containsExactly(HazardEvidence.CorroborationSource.OTHER_SENSOR);
    assertThat(flood.level()).isEqualTo(flood.levelBeforeCap()).isEqualTo(aloneFlood.levelBeforeCap());
    assertThat(fused.floodRisk()).isGreaterThan(alone.floodRisk());
    assertThat(fused.otherSensor().sensor()).isEqualTo("radar");
    assertThat(fused.otherSensor().detections()).containsEntry("flood", radarAlone.floodCount());
    assertThat(fused.otherSensor().riskLevel()).isEqualTo(radarAlone.riskLevel());
    assertThat(fused.otherSensor().overlapShare()).isGreaterThan(0.99);
    // The boxes themselves are the optical model's: the radar scene adds none.
    assertThat(fused.detections()).isEqualTo(alone.detections());
  }

  @Test
  void theRadarSceneIsCorroboratedByTheOpticalOneTheOtherWayRound() throws Exception {
    Path optical = PairScenes.sentinel2(folder, true, EASTING, 23);
    Path radar = PairScenes.sentinel1Geographic(folder, true, EASTING, 24);
    Analysis fused = analyzer.analyzeWith(radar, null, optical, OfflineAnalyzer.Hints.NONE, (done, total) -> { },
        null);
    assertThat(fused.otherSensor().sensor()).isEqualTo("optical");
    assertThat(fused.otherSensor().overlapShare()).as("the radar scene reaches beyond the optical one").isLessThan(0.9);
    assertThat(fused.evidenceOf("flood").orElseThrow().corroboratedBy())
        .containsExactly(HazardEvidence.CorroborationSource.OTHER_SENSOR);
  }

  @Test
  void scenesThatCannotBeLookedAtTogetherAreRefused() throws Exception {
    Path optical = PairScenes.sentinel2(folder, true, EASTING, 25);
    Path anotherOptical = PairScenes.sentinel2(folder, false, EASTING, 26);
    Path farAway = PairScenes.sentinel1Geographic(folder, true, EASTING + 200_000, 27);
    assertThatThrownBy(() -> analyzer.analyzeWith(optical, null, anotherOptical, OfflineAnalyzer.Hints.NONE,
        (done, total) -> { }, null)).isInstanceOf(InvalidImageException.class).hasMessageContaining("both scenes are optical");
    assertThatThrownBy(() -> analyzer.analyzeWith(optical, null, farAway, OfflineAnalyzer.Hints.NONE,
        (done, total) -> { }, null)).isInstanceOf(InvalidImageException.class).hasMessageContaining("covers 0 %");
  }

  @Test
  void theRadarScenesFloodWhereTheOpticalSceneHasNoneChangesNothing() throws Exception {
    Path optical = PairScenes.sentinel2(folder, false, EASTING, 28);
    Path radar = PairScenes.sentinel1Geographic(folder, true, EASTING, 29);
    Analysis alone = analyzer.analyze(optical, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
    // No flood disc in the optical scene: the radar's flood box there corroborates nothing and adds no box.
    Analysis fused = analyzer.analyzeWith(optical, null, radar, OfflineAnalyzer.Hints.NONE, (done, total) -> { },
        null);
    assertThat(fused.otherSensor().detections()).as(fused.toJson().encodePrettily()).containsEntry("flood", 1);
    assertThat(fused.detections()).isEqualTo(alone.detections());
    assertThat(fused.floodRisk()).isEqualTo(alone.floodRisk());
    assertThat(fused.riskLevel()).isEqualTo(alone.riskLevel());
    assertThat(fused.evidence()).isEqualTo(alone.evidence());
  }
}
