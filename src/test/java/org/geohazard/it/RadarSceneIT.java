package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.geohazard.SharedData;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Radar scenes through the API, on a node serving the three shipped models: a Sentinel-1 GeoTIFF (VV and VH
 * backscatter in dB) is recognised by its floating-point bands, shown to the radar model alone through its VV
 * band, and the result says so; an 8-bit radar rendering reaches it when the upload names the sensor. The real
 * Sen1Floods11 chip of the 2019 Spain flood (skipped, saying why, without ../shared/data) is found as a flood.
 */
class RadarSceneIT {

  private static TestNode node;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNode() {
    Path root = LocalStack.repoRoot();
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", root.resolve("models/geohazard-rgb.onnx") + ","
        + root.resolve("models/geohazard-s2flood.onnx") + "," + root.resolve("models/geohazard-s1flood.onnx")));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** Land at about -8 dB VV with speckle, a calm lake at about -22 dB; VH 6 dB below; a salt for new bytes. */
  private static Path radarScene(SampleType type, int bands) throws Exception {
    Random random = new Random();
    long seed = random.nextLong();
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      boolean lake = Math.hypot(x - 150, y - 140) < 60;
      double speckle = new Random(seed ^ (x * 73_856_093L) ^ (y * 19_349_663L)).nextGaussian() * 1.5;
      double db = (lake ? -22 : -8) + speckle - 6 * band;
      return type == SampleType.FLOAT32 ? db : Math.max(0, Math.min(255, Math.round((db + 30) * 8)));
    };
    return new GeoTiffFixture(300, 300).bands(bands, type).compression(GeoTiffFixture.Compression.DEFLATE)
        .georeferenced(32630, true, 700_000 + random.nextInt(1000) * 10.0, 4_200_000, 10, 10)
        .samples(samples).write(Files.createTempFile(dir, "radar-", ".tif"));
  }

  @Test
  void aFloatingPointTwoBandSceneIsSeenByTheRadarModelAloneThroughVv() throws Exception {
    JsonObject analysis = analyse(Files.readAllBytes(radarScene(SampleType.FLOAT32, 2)), "s1.tif", Map.of());
    JsonArray models = analysis.getJsonArray("models");
    assertThat(models).as(analysis.encodePrettily()).hasSize(1);
    JsonObject radar = models.getJsonObject(0);
    assertThat(radar.getString("view")).isEqualTo("sar_vv_pair");
    assertThat(radar.getJsonArray("bands").getList()).containsExactly(1);
    assertThat(radar.getString("version")).startsWith("geohazard-s1flood");
    assertThat(analysis.getString("georeference")).isEqualTo("exact");
  }

  @Test
  void anEightBitRadarRenderingReachesTheRadarModelWhenTheSensorIsNamed() throws Exception {
    byte[] scene = Files.readAllBytes(radarScene(SampleType.UINT8, 1));
    JsonObject named = analyse(scene, "s1-vv.tif", Map.of("sensor", "sentinel1"));
    assertThat(named.getJsonArray("models").getJsonObject(0).getString("view")).isEqualTo("sar_vv_pair");
  }

  @Test
  void theSpainFloodAsASentinel1SceneIsAFlood() throws Exception {
    byte[] chip = Uploads.salted(Files.readAllBytes(SharedData.require("geotiff/sen1floods11/sample/S1/Spain_7370579_S1Hand.tif")));
    JsonObject analysis = analyse(chip, "Spain_7370579_S1Hand.tif", Map.of());
    assertThat(analysis.getJsonArray("models").getJsonObject(0).getString("view")).isEqualTo("sar_vv_pair");
    assertThat(analysis.getInteger("flood_count")).as(analysis.encodePrettily()).isPositive();
    assertThat(analysis.getString("flood_risk")).as(analysis.encodePrettily()).isNotEqualTo("low");
  }

  private static JsonObject analyse(byte[] bytes, String name, Map<String, String> fields) {
    return Uploads.completedResult(node, bytes, name, fields).getJsonObject("analysis");
  }
}
