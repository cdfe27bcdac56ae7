package org.geohazard.it;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GeoTIFF scenes end to end: georeferenced detections, the GeoJSON view, a scene large enough to be
 * sliced into tiles whose seams cut the object, and the alert placed at the detection, not at a point
 * the caller gave. The scenes are written by the test: 16-bit bands, DEFLATE tiles, UTM 33N.
 */
class SceneIT {

  /**
   * A different place every run, so that no alert left by an earlier run absorbs this run's alert, and always on land:
   * UTM 33N eastings 300-700 km and northings 1 200-3 200 km are Niger, Chad and Libya (about 10.8-28.9° N, 13-17° E),
   * clear of the Mediterranean. The northings once reached 8 000 km, which put some runs in the
   * Mediterranean or the Baltic, where the node rightly sets a flood box aside as permanent water (geo.LandMask) and
   * flood_count was 0: the SceneIT failures of two earlier fresh-clone runs.
   */
  private static final double EASTING = 300_000 + new Random().nextInt(400_000);
  private static final double NORTHING = 1_200_000 + new Random().nextInt(2_000_000);
  private static final double PIXEL_METRES = 10;
  private static final int[] FLOOD = {120, 90, 60};
  private static TestNode node;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(Map.of());
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /**
   * A grey scene with sparse black and white pixels (so that the 2–98 % stretch is close to identity)
   * and a turbid-water rectangle. Values are 8-bit levels × 100 in 16-bit samples; a random salt in one
   * corner makes every run's bytes new.
   */
  private static Path scene(int width, int height, int fx, int fy, int fw, int fh) throws Exception {
    int salt = new Random().nextInt(100);
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      int level;
      if (x >= fx && x < fx + fw && y >= fy && y < fy + fh) {
        level = FLOOD[band];
      } else if ((x + y) % 20 == 0) {
        level = 0;
      } else if ((x + y) % 20 == 10) {
        level = 255;
      } else {
        level = 128;
      }
      return x == 0 && y == 0 ? level * 100 + salt : level * 100;
    };
    Path file = Files.createTempFile(dir, "scene-", ".tif");
    return new GeoTiffFixture(width, height).bands(3, SampleType.UINT16)
        .compression(GeoTiffFixture.Compression.DEFLATE).tiles(256)
        .georeferenced(32633, true, EASTING, NORTHING, PIXEL_METRES, PIXEL_METRES)
        .samples(samples).write(file);
  }

  @Test
  void slicedGeoTiffSceneGivesMergedGeoreferencedDetectionsAndAnAlertAtTheFlood() throws Exception {
    // 2400 x 1600: 5 x 3 tiles of 640 (stride 512) plus the full view; the flood crosses the seams at x 512-640.
    int fx = 450;
    int fy = 300;
    int fw = 300;
    int fh = 300;
    Path file = scene(2400, 1600, fx, fy, fw, fh);
    // With a key allowed to publish, so that the alert checked below is public.
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "scene.tif", Files.readAllBytes(file),
        Map.of("bands", "1,2,3"), node.publisherKey());
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    String imageId = node.checked("analyzeSingle", accepted).getString("image_id");

    JsonObject result = node.awaitFinished(imageId);
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    JsonObject analysis = result.getJsonObject("analysis");
    assertThat(analysis.getString("georeference")).isEqualTo("exact");
    assertThat(analysis.getInteger("tiles")).isEqualTo(16);
    assertThat(analysis.getInteger("image_width")).isEqualTo(2400);
    assertThat(analysis.getInteger("flood_count")).isPositive();

    GeoReference utm = GeoReference.ofGeoTransform(32633, true, EASTING, PIXEL_METRES, 0, NORTHING, 0, -PIXEL_METRES);
    LonLat northWest = utm.toWgs84(fx, fy);
    LonLat southEast = utm.toWgs84(fx + fw, fy + fh);
    List<JsonObject> floods = analysis.getJsonArray("detections").stream().map(JsonObject.class::cast)
        .filter(d -> d.getString("class_name").equals("flood")).toList();
    for (JsonObject flood : floods) {
      JsonObject box = flood.getJsonObject("bbox");
      // In scene pixels, on the painted rectangle (one stand-in cell of slack at the edges).
      assertThat(box.getDouble("x1")).isBetween(fx - 32.0, fx + fw + 0.0);
      assertThat(box.getDouble("x2")).isBetween(fx + 0.0, fx + fw + 32.0);
      JsonObject centroid = flood.getJsonObject("centroid");
      assertThat(centroid.getDouble("longitude")).isBetween(northWest.lon() - 0.01, southEast.lon() + 0.01);
      assertThat(centroid.getDouble("latitude")).isBetween(southEast.lat() - 0.01, northWest.lat() + 0.01);
      assertThat(flood.getDouble("area_m2")).isGreaterThan(0);
    }
    // Tiles overlap by 128 px: the same cell seen by two tiles must come out once.
    for (int i = 0; i < floods.size(); i++) {
      for (int j = i + 1; j < floods.size(); j++) {
        assertThat(iou(floods.get(i).getJsonObject("bbox"), floods.get(j).getJsonObject("bbox")))
            .as("duplicate across a seam: %s / %s", floods.get(i), floods.get(j)).isLessThan(0.5);
      }
    }

    HttpResponse<Buffer> geoJson = node.get("/api/v1/results/" + imageId + "/geojson", node.publisherKey());
    JsonObject collection = node.checked("getResultGeoJson", geoJson);
    assertThat(collection.getString("type")).isEqualTo("FeatureCollection");
    assertThat(collection.getJsonArray("features")).hasSize(analysis.getInteger("detections_count"));
    JsonObject feature = collection.getJsonArray("features").getJsonObject(0);
    JsonArray ring = feature.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(ring.size() - 1));
    HttpResponse<Buffer> byAccept = TestNode.await(node.client.get("/api/v1/results/" + imageId)
        .putHeader("Accept", "application/geo+json").putHeader("X-API-Key", node.publisherKey()).send());
    assertThat(byAccept.getHeader("Content-Type")).isEqualTo("application/geo+json");
    assertThat(byAccept.bodyAsJsonObject().getString("type")).isEqualTo("FeatureCollection");
    // The seed's format=geojson still answers, with the media type JSON clients will not take for an ImageResult.
    HttpResponse<Buffer> seedStyle = node.get("/api/v1/results/" + imageId + "?format=geojson", node.publisherKey());
    assertThat(seedStyle.getHeader("Content-Type")).isEqualTo("application/geo+json");
    assertThat(seedStyle.bodyAsJsonObject()).isEqualTo(collection);

    // The alert sits on the flood (no point was given by the caller).
    double centreLat = (northWest.lat() + southEast.lat()) / 2;
    double centreLon = (northWest.lon() + southEast.lon()) / 2;
    HttpResponse<Buffer> alerts = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
            .addQueryParam("latitude", Double.toString(centreLat)).addQueryParam("longitude", Double.toString(centreLon))
            .addQueryParam("radius_km", "1").send(),
        r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getJsonArray("alerts").isEmpty(),
        TestNode.TIMEOUT);
    JsonObject alert = node.checked("getActiveAlerts", alerts).getJsonArray("alerts").getJsonObject(0);
    // The public alert names no upload; an operator sees that this scene's upload raised it.
    assertThat(alert.containsKey("image_id")).isFalse();
    assertThat(node.checked("getAlert", node.get("/api/v1/alerts/" + alert.getString("alert_id"), node.operatorKey()))
        .getString("image_id")).isEqualTo(imageId);
    assertThat(alert.getDouble("latitude")).isBetween(southEast.lat() - 0.01, northWest.lat() + 0.01);
    assertThat(alert.getDouble("longitude")).isBetween(northWest.lon() - 0.01, southEast.lon() + 0.01);
  }

  @Test
  void ordinaryPngWithPointAndGroundSampleDistanceIsPlacedApproximately() {
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", "10.0", "longitude", "20.0", "gsd_m", "10")));
    JsonObject result = node.awaitFinished(accepted.getString("image_id"));
    JsonObject analysis = result.getJsonObject("analysis");
    assertThat(analysis.getString("georeference")).isEqualTo("approximate");
    assertThat(analysis.getInteger("tiles")).isEqualTo(1);
    JsonObject centroid = analysis.getJsonArray("detections").getJsonObject(0).getJsonObject("centroid");
    // 640 x 480 px at 10 m: every point of the image is within ~4 km of the centre.
    assertThat(centroid.getDouble("latitude")).isBetween(9.96, 10.04);
    assertThat(centroid.getDouble("longitude")).isBetween(19.96, 20.04);
  }

  /**
   * A real Sentinel-2 chip (Sen1Floods11, 13 bands int16, EPSG:4326) with its B4,B3,B2: georeferenced
   * from the file itself, every detection placed inside the chip's footprint, the GeoJSON view valid.
   * Skips with the reason when ../shared/data is absent; the synthetic scenes above cover the same code.
   */
  @Test
  void realSentinel2ChipIsPlacedByItsOwnGeoreferencing() throws Exception {
    Path chip = org.geohazard.SharedData.require("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif");
    // The same chip every run would be answered from the cache: append bytes no TIFF offset points to.
    byte[] bytes = Files.readAllBytes(chip);
    byte[] salt = new byte[8];
    new Random().nextBytes(salt);
    byte[] unique = java.util.Arrays.copyOf(bytes, bytes.length + salt.length);
    System.arraycopy(salt, 0, unique, bytes.length, salt.length);
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file",
        "Spain_7370579_S2Hand.tif", unique, Map.of("bands", "4,3,2")));
    JsonObject result = node.awaitFinished(accepted.getString("image_id"));
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    JsonObject analysis = result.getJsonObject("analysis");
    assertThat(analysis.getString("georeference")).isEqualTo("exact");
    assertThat(analysis.getInteger("image_width")).isEqualTo(512);
    // GDAL: pixel (256, 256) is (-0.758897, 38.105816); pixels are ~8.98e-5 degrees.
    double half = 256 * 8.98e-5 + 1e-4;
    for (Object item : analysis.getJsonArray("detections")) {
      JsonObject centroid = ((JsonObject) item).getJsonObject("centroid");
      assertThat(centroid.getDouble("longitude")).isBetween(-0.758897 - half, -0.758897 + half);
      assertThat(centroid.getDouble("latitude")).isBetween(38.105816 - half, 38.105816 + half);
    }
    JsonObject collection = node.checked("getResultGeoJson",
        node.get("/api/v1/results/" + accepted.getString("image_id") + "/geojson", node.publisherKey()));
    assertThat(collection.getString("georeference")).isEqualTo("exact");
    assertThat(collection.getJsonArray("features")).hasSize(analysis.getInteger("detections_count"));
  }

  private static double iou(JsonObject a, JsonObject b) {
    double ix = Math.min(a.getDouble("x2"), b.getDouble("x2")) - Math.max(a.getDouble("x1"), b.getDouble("x1"));
    double iy = Math.min(a.getDouble("y2"), b.getDouble("y2")) - Math.max(a.getDouble("y1"), b.getDouble("y1"));
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    double areaA = (a.getDouble("x2") - a.getDouble("x1")) * (a.getDouble("y2") - a.getDouble("y1"));
    double areaB = (b.getDouble("x2") - b.getDouble("x1")) * (b.getDouble("y2") - b.getDouble("y1"));
    return ix * iy / (areaA + areaB - ix * iy);
  }
}
