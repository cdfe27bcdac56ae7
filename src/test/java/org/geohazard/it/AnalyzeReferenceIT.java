package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.geohazard.inference.OfflineAnalyzer;
import org.geohazard.node.AnalyzeCommand;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.StandinCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline CLI's references ({@code analyze --reference s3://… --stac ITEM}) against the local object store:
 * a GeoTIFF by reference gives the analysis of the same file on disk, a STAC Item file naming Sentinel-2 band
 * assets in the store is read through the flood composite, and another bucket is refused, in one run.
 */
class AnalyzeReferenceIT {

  @TempDir
  Path dir;

  @Test
  void referencesAndStacItemsAreAnalysedAsANodeWould() throws Exception {
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, LocalStack.env(), new Properties()));
    String bucket = config.s3().bucket();
    String prefix = "it-cli-reference/" + UUID.randomUUID() + "/";
    Vertx vertx = Vertx.vertx();
    S3ObjectStore store = new S3ObjectStore(vertx, config.s3());
    Path scene;
    Path item;
    try {
      TestNode.await(store.ensureBucket());
      scene = new GeoTiffFixture(900, 700).bands(3, SampleType.UINT16).compression(GeoTiffFixture.Compression.DEFLATE)
          .tiles(256).georeferenced(32633, true, 400_000, 5_000_000, 10, 10)
          .samples((band, x, y) -> x > 300 && x < 600 && y > 200 && y < 500 ? new int[] {12_000, 9_000, 6_000}[band]
              : (x + y) % 20 == 0 ? 0 : (x + y) % 20 == 10 ? 25_500 : 12_800)
          .write(dir.resolve("scene.tif"));
      TestNode.await(store.put(prefix + "scene.tif", scene, "image/tiff"));
      JsonObject assets = new JsonObject();
      for (String band : List.of("B03", "B08", "B11")) {
        int side = band.equals("B11") ? 128 : 256;
        double metres = band.equals("B11") ? 20 : 10;
        Path file = new GeoTiffFixture(side, side).bands(1, SampleType.UINT16).tiles(128)
            .georeferenced(32630, true, 600_000, 4_400_000, metres, metres)
            .samples((b, x, y) -> Math.hypot(x - side / 2.0, y - side / 2.0) < side / 4.0 ? 300 : 2_500 + x)
            .write(dir.resolve(band + ".tif"));
        TestNode.await(store.put(prefix + band + ".tif", file, "image/tiff"));
        assets.put(band, new JsonObject().put("href", "s3://" + bucket + "/" + prefix + band + ".tif")
            .put("type", "image/tiff; application=geotiff"));
      }
      item = Files.writeString(dir.resolve("item.json"), new JsonObject().put("type", "Feature")
          .put("stac_version", "1.1.0").put("id", "S2A_CLI_IT")
          .put("properties", new JsonObject().put("datetime", "2025-03-01T11:00:00Z"))
          .put("links", new JsonArray()).put("assets", assets).encode());
    } finally {
      store.close();
      TestNode.await(vertx.close());
    }

    Path out = dir.resolve("results.json");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AnalyzeCommand.Options options = new AnalyzeCommand.Options(List.of(scene), out, "json",
        List.of(StandinCard.model(), LocalStack.repoRoot().resolve("models/geohazard-s2flood.onnx")),
        new OfflineAnalyzer.Hints(null, null, null, "1,2,3", null),
        List.of("s3://" + bucket + "/" + prefix + "scene.tif", "s3://another-bucket/scene.tif"),
        List.of(item.toString()));
    int exit = AnalyzeCommand.run(options, List.of(scene), config, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);

    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(log).isEqualTo(AnalyzeCommand.SOME_FAILED);
    JsonObject results = new JsonObject(Files.readString(out));
    JsonArray images = results.getJsonArray("images");
    assertThat(images).as(log).hasSize(3);
    JsonObject onDisk = images.getJsonObject(0).getJsonObject("analysis");
    JsonObject byReference = images.getJsonObject(1).getJsonObject("analysis");
    assertThat(images.getJsonObject(1).getString("file")).isEqualTo("s3://" + bucket + "/" + prefix + "scene.tif");
    assertThat(onDisk.getInteger("flood_count")).isPositive();
    for (String field : List.of("detections", "risk_level", "flood_probability", "georeference", "tiles")) {
      assertThat(byReference.getValue(field)).as(field).isEqualTo(onDisk.getValue(field));
    }
    JsonObject stac = images.getJsonObject(2).getJsonObject("analysis");
    assertThat(stac.getJsonArray("models").getJsonObject(0).getString("view")).isEqualTo("swir_nir_green");
    assertThat(stac.getInteger("image_width")).isEqualTo(128);
    JsonObject refused = results.getJsonArray("failures").getJsonObject(0);
    assertThat(refused.getString("file")).isEqualTo("s3://another-bucket/scene.tif");
    assertThat(refused.getString("message")).contains("own bucket");
  }
}
