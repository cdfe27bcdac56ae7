package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.geohazard.SharedData;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.FloodedScene;
import org.geohazard.testing.PairScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Flood extent end to end (issue 24), on a node serving the shipped detectors and the Sentinel-2 mask model: a
 * georeferenced 13-band scene comes back with its extent (polygons with area, share, model, tolerance,
 * threshold), its GeoJSON view carries the extent polygons after the detections, {@code /mask} returns a GeoTIFF
 * that GDAL opens with the scene's georeference (within half a pixel), another tenant gets 404, and a result
 * without an extent gets 404 saying so, and its owner's delete removes the mask from the bucket. The real Spain 13-band scene (skipped, saying why, without
 * ../shared/data) also raises a flood alert whose CAP message carries the extent as {@code <polygon>}s. The
 * GDAL checks skip, saying why, where {@code gdalinfo} (Debian gdal-bin, installed by scripts/local-stack.sh) is
 * missing.
 */
class FloodExtentIT {

  private static final Path GDALINFO = Path.of("/usr/bin/gdalinfo");
  /** GDAL: pixel (256, 256) of the Spain chip is (-0.758897, 38.105816); pixels are ~8.98e-5 degrees. */
  private static final double SPAIN_LON = -0.758897;
  private static final double SPAIN_LAT = 38.105816;
  private static TestNode node;
  private static TestDatabase db;
  private static S3ObjectStore store;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNode() {
    Path root = LocalStack.repoRoot();
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", root.resolve("models/geohazard-rgb.onnx") + ","
        + root.resolve("models/geohazard-s2flood.onnx") + "," + root.resolve("models/geohazard-s2seg.onnx") + ","
        + root.resolve("models/geohazard-s1seg.onnx")));
    db = new TestDatabase(node.vertx(), node.config.db());
    store = node.storeClient();
  }

  @AfterAll
  static void stopNode() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aGeoreferencedSceneHasItsExtentAMaskGdalOpensAndGeoJsonFeatures() throws Exception {
    double easting = 640_000 + new Random().nextInt(1000) * 10.0;
    Path scene = FloodedScene.write(dir, easting);
    JsonObject result = Uploads.completedResult(node, Files.readAllBytes(scene), "flooded.tif", Map.of());
    String imageId = result.getString("image_id");
    JsonObject extent = result.getJsonObject("analysis").getJsonObject("extent");
    assertThat(extent).as(result.encodePrettily()).isNotNull();
    assertThat(extent.getString("model")).isNotBlank();
    assertThat(extent.getDouble("tolerance_m")).isPositive();
    assertThat(extent.getDouble("threshold")).isBetween(0.05, 0.95);
    assertThat(extent.getString("permanent_water")).isEqualTo("natural_earth_10m_land");
    JsonArray polygons = extent.getJsonArray("polygons");
    assertThat(polygons).as(extent.encodePrettily()).isNotEmpty();
    assertThat(extent.getDouble("flooded_km2")).isPositive();
    assertThat(extent.getDouble("scene_share")).isBetween(0.0, 1.0).isPositive();
    double sum = polygons.stream().map(JsonObject.class::cast).mapToDouble(p -> p.getDouble("area_km2")).sum();
    assertThat(sum).isCloseTo(extent.getDouble("flooded_km2"), within(1e-3 * polygons.size() + 1e-3));
    JsonObject first = polygons.getJsonObject(0);
    assertThat(first.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
    // Every vertex lies on the scene: 6 km square from (easting, 4 220 000) south-east in UTM 30N, ~38.1° N.
    first.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0).forEach(position -> {
      JsonArray lonLat = (JsonArray) position;
      assertThat(lonLat.getDouble(1)).isBetween(37.9, 38.2);
      assertThat(lonLat.getDouble(0)).isBetween(-1.7, -1.0);
    });

    JsonObject geoJson = node.checked("getResultGeoJson",
        node.get("/api/v1/results/" + imageId + "/geojson", node.publisherKey()));
    long extentFeatures = geoJson.getJsonArray("features").stream().map(JsonObject.class::cast)
        .filter(f -> "flood_extent".equals(f.getJsonObject("properties").getString("kind"))).count();
    assertThat(extentFeatures).isEqualTo(polygons.size());

    HttpResponse<Buffer> mask = node.get("/api/v1/results/" + imageId + "/mask", node.publisherKey());
    assertThat(mask.statusCode()).as(mask.bodyAsString()).isEqualTo(200);
    assertThat(mask.getHeader("Content-Type")).isEqualTo("image/tiff");
    byte[] tiff = mask.body().getBytes();
    assertThat(new String(tiff, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("II*\0");

    // Its STAC Item names the mask as an asset, at the URL that just served it.
    JsonObject stac = node.get("/api/v1/results/" + imageId + "/stac", node.publisherKey()).bodyAsJsonObject();
    JsonObject maskAsset = stac.getJsonObject("assets").getJsonObject("mask");
    assertThat(maskAsset).as(stac.encodePrettily()).isNotNull();
    assertThat(maskAsset.getString("href")).endsWith("/api/v1/results/" + imageId + "/mask");
    assertThat(maskAsset.getString("type")).isEqualTo("image/tiff; application=geotiff");
    assertThat(maskAsset.getJsonArray("roles").getList()).containsExactly("data");

    // Another tenant reaches neither the result nor its mask.
    String stranger = node.createKey("extent-stranger", "read");
    HttpResponse<Buffer> refused = node.get("/api/v1/results/" + imageId + "/mask", stranger);
    assertThat(refused.statusCode()).isEqualTo(404);
    node.checked("getResultMask", refused);

    assumeTrue(Files.isExecutable(GDALINFO), "gdalinfo (Debian gdal-bin) is not installed: "
        + "the mask's georeference is not checked with GDAL (scripts/local-stack.sh installs it)");
    JsonObject info = gdalinfo(Files.write(dir.resolve(imageId + "-mask.tif"), tiff));
    assertThat(info.getJsonArray("size").getList()).containsExactly(600, 600);
    JsonArray transform = info.getJsonArray("geoTransform");
    // The model is trained at 10 m, as the scene is: one mask pixel per scene pixel, the same corner.
    assertThat(transform.getDouble(0)).isCloseTo(easting, within(5.0));
    assertThat(transform.getDouble(3)).isCloseTo(4_220_000, within(5.0));
    assertThat(transform.getDouble(1)).isCloseTo(10, within(10.0 / 600 / 2));
    assertThat(transform.getDouble(5)).isCloseTo(-10, within(10.0 / 600 / 2));
    assertThat(info.encode()).contains("32630");
    JsonObject band = info.getJsonArray("bands").getJsonObject(0);
    assertThat(band.getString("type")).isEqualTo("Byte");
    assertThat(band.getJsonArray("block").getList()).containsExactly(256, 256);
  }

  /**
   * A lake in both scenes and a flood only in the later one (PairScenes: 13-band Sentinel-2 stacks of 256² pixels
   * of 10 m, the lake in the 60 x 60 pixels at the top left, the flood a disc of 55 pixels' radius): analysed alone,
   * what the mask model draws on the lake is in the extent; against its before scene it is cleared and its area
   * said, and the flood stays.
   */
  @Test
  void waterTheBeforeSceneAlreadyHadIsClearedFromTheExtent() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = new Random().nextLong();
    byte[] before = Files.readAllBytes(PairScenes.sentinel2(dir, false, easting, seed));
    byte[] after = Files.readAllBytes(PairScenes.sentinel2(dir, true, easting, seed ^ 1));
    Predicate<JsonObject> onLake = onPairScenesLake(easting);

    JsonObject alone = Uploads.completedResult(node, after, "after.tif", Map.of())
        .getJsonObject("analysis").getJsonObject("extent");
    assertThat(alone).isNotNull();
    assertThat(alone.getValue("water_before_km2")).as("no before scene: nothing asked").isNull();
    double lakeKm2 = polygons(alone).stream().filter(onLake).mapToDouble(p -> p.getDouble("area_km2")).sum();
    // The shipped model draws part of the synthetic lake (without it this test would show nothing).
    assertThat(lakeKm2).as(alone.encodePrettily()).isGreaterThan(0.05);

    String beforeId = Uploads.completedResult(node, before, "before.tif", Map.of()).getString("image_id");
    JsonObject analysis = Uploads.completedResult(node, after, "after.tif", Map.of("before_image_id", beforeId))
        .getJsonObject("analysis");
    assertThat(analysis.getJsonObject("change").getBoolean("judged")).isTrue();
    JsonObject paired = analysis.getJsonObject("extent");
    System.out.printf("pair extent: alone %.4f km² (%.4f on the lake), with the before scene %.4f km² and %.4f km²"
            + " cleared as water before%n", alone.getDouble("flooded_km2"), lakeKm2, paired.getDouble("flooded_km2"),
        paired.getDouble("water_before_km2"));
    assertThat(polygons(paired)).as(paired.encodePrettily()).noneMatch(onLake).isNotEmpty();
    // What was cleared is the lake's region as the model drew it, specks included (at most about the lake, 0.36 km²).
    assertThat(paired.getDouble("water_before_km2")).isBetween(lakeKm2 - 0.01, 0.37);
    assertThat(paired.getDouble("flooded_km2"))
        .isCloseTo(alone.getDouble("flooded_km2") - lakeKm2, within(0.02));
  }

  /**
   * The same with radar scenes (PairScenes.sentinel1, VV in dB) on a node serving the radar mask model without the
   * radar detector: the analysis still names the model that looked and its windows (as the contract asks), and the
   * pair's extent holds the flood, not the lake. (The radar model in its pair form hardly draws the lake, whose
   * change band is flat, so little is left to clear there; the optical test above is the one that clears it.)
   */
  @Test
  void aRadarPairSeenByTheMaskModelAloneHasTheFloodNotTheLake() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = new Random().nextLong();
    byte[] before = Files.readAllBytes(PairScenes.sentinel1(dir, false, easting, seed));
    byte[] after = Files.readAllBytes(PairScenes.sentinel1(dir, true, easting, seed ^ 1));
    JsonObject alone = Uploads.completedResult(node, after, "s1-after.tif", Map.of()).getJsonObject("analysis");
    assertThat(alone.getString("model_version")).startsWith("geohazard-s1seg");
    assertThat(alone.getInteger("tiles")).isPositive();
    assertThat(alone.getInteger("detections_count")).isZero();
    String beforeId = Uploads.completedResult(node, before, "s1-before.tif", Map.of()).getString("image_id");
    JsonObject analysis = Uploads.completedResult(node, after, "s1-after.tif", Map.of("before_image_id", beforeId))
        .getJsonObject("analysis");
    assertThat(analysis.getJsonObject("change").getString("sensor")).isEqualTo("radar");
    JsonObject paired = analysis.getJsonObject("extent");
    System.out.printf("radar pair extent: alone %.4f km², with the before scene %.4f km² and %.4f km² cleared as"
            + " water before%n", alone.getJsonObject("extent").getDouble("flooded_km2"),
        paired.getDouble("flooded_km2"), paired.getDouble("water_before_km2"));
    assertThat(paired.getDouble("water_before_km2")).as("a judged pair says what it cleared").isNotNull();
    assertThat(polygons(paired)).as(paired.encodePrettily()).isNotEmpty().noneMatch(onPairScenesLake(easting));
    // The flood disc is 0.95 km².
    assertThat(paired.getDouble("flooded_km2")).isBetween(0.5, 1.3);
  }


  private static List<JsonObject> polygons(JsonObject extent) {
    return extent.getJsonArray("polygons").stream().map(JsonObject.class::cast).toList();
  }

  /** Whether a polygon lies on PairScenes' lake (the 60 x 60 pixels at the top left, a pixel's margin around them). */
  private static Predicate<JsonObject> onPairScenesLake(double easting) throws Exception {
    GeoReference grid = GeoReference.ofGeoTransform(32630, true, easting, 10, 0, 4_200_000, 0, -10);
    LonLat lakeNorthWest = grid.toWgs84(-2, -2);
    LonLat lakeSouthEast = grid.toWgs84(62, 62);
    return polygon -> polygon.getJsonObject("geometry").getJsonArray("coordinates")
        .getJsonArray(0).stream().map(JsonArray.class::cast).allMatch(p ->
            p.getDouble(0) >= lakeNorthWest.lon() && p.getDouble(0) <= lakeSouthEast.lon()
                && p.getDouble(1) <= lakeNorthWest.lat() && p.getDouble(1) >= lakeSouthEast.lat());
  }

  /**
   * The OGC collection {@code flood_extents}: this result's polygons are its features (geometry, area, probability,
   * model, total), the caller's tenant's only; and GDAL's OAPIF driver copies the collection into a GeoPackage with
   * the same count and geometries (within 1e-7°) as the API serves, in a box around this scene (where earlier runs'
   * polygons may lie too: they are compared the same way).
   */
  @Test
  void theFloodExtentsCollectionServesTheResultsPolygonsAndGdalCopiesThem() throws Exception {
    double easting = 640_000 + new Random().nextInt(1000) * 10.0;
    JsonObject result = Uploads.completedResult(node, Files.readAllBytes(FloodedScene.write(dir, easting)),
        "ogc-extent.tif", Map.of());
    String imageId = result.getString("image_id");
    JsonObject extent = result.getJsonObject("analysis").getJsonObject("extent");
    assertThat(extent).as(result.encodePrettily()).isNotNull();
    JsonArray polygons = extent.getJsonArray("polygons");
    assertThat(polygons).isNotEmpty();
    String box = envelope(polygons);
    String query = "/ogc/collections/flood_extents/items?limit=1000&bbox=" + box;

    JsonArray served = OgcPages.allFeatures(node, query, node.publisherKey());
    List<JsonObject> ours = served.stream().map(JsonObject.class::cast)
        .filter(f -> imageId.equals(f.getJsonObject("properties").getString("image_id"))).toList();
    assertThat(ours).hasSize(polygons.size());
    for (JsonObject feature : ours) {
      JsonObject properties = feature.getJsonObject("properties");
      int n = properties.getInteger("polygon");
      JsonObject region = polygons.getJsonObject(n - 1);
      assertThat(feature.getString("id")).isEqualTo(imageId + "." + n);
      assertThat(feature.getJsonObject("geometry")).isEqualTo(region.getJsonObject("geometry"));
      assertThat(properties.getDouble("area_km2")).isEqualTo(region.getDouble("area_km2"));
      assertThat(properties.getDouble("mean_probability")).isEqualTo(region.getDouble("mean_probability"));
      assertThat(properties.getString("model")).isEqualTo(extent.getString("model"));
      assertThat(properties.getDouble("flooded_km2")).isEqualTo(extent.getDouble("flooded_km2"));
      assertThat(Instant.parse(properties.getString("datetime")))
          .isEqualTo(Instant.parse(result.getString("completed_at")));
    }
    JsonObject one = OgcPages.items(node, "/ogc/collections/flood_extents/items/" + imageId + ".1",
        node.publisherKey());
    assertThat(one.getJsonObject("geometry")).isEqualTo(polygons.getJsonObject(0).getJsonObject("geometry"));
    assertThat(node.get("/ogc/collections/flood_extents/items/" + imageId + "." + (polygons.size() + 1),
        node.publisherKey()).statusCode()).isEqualTo(404);
    // Another tenant and an anonymous caller see none of them; an operator sees them all.
    String stranger = node.createKey("extent-ogc-stranger", "read");
    assertThat(OgcPages.allFeatures(node, query, stranger).stream().map(JsonObject.class::cast)
        .noneMatch(f -> imageId.equals(f.getJsonObject("properties").getString("image_id")))).isTrue();
    assertThat(OgcPages.items(node, query, null).getLong("numberMatched")).isZero();
    assertThat(node.get("/ogc/collections/flood_extents/items/" + imageId + ".1", stranger).statusCode())
        .isEqualTo(404);
    assertThat(OgcPages.allFeatures(node, query, node.operatorKey()).size()).isGreaterThanOrEqualTo(served.size());
    // A box beside the scene (10 km west of it) holds none of its polygons; a window that ended an hour ago neither.
    JsonObject beside = OgcPages.items(node, "/ogc/collections/flood_extents/items?limit=1000&bbox="
        + shifted(box, -0.2), node.publisherKey());
    assertThat(beside.getJsonArray("features").stream().map(JsonObject.class::cast)
        .noneMatch(f -> imageId.equals(f.getJsonObject("properties").getString("image_id")))).isTrue();
    assertThat(OgcPages.items(node, query + "&datetime=../" + Instant.now().minusSeconds(3600), node.publisherKey())
        .getJsonArray("features").stream().map(JsonObject.class::cast)
        .noneMatch(f -> imageId.equals(f.getJsonObject("properties").getString("image_id")))).isTrue();

    // GDAL, with an operator's key, one feature per request (so it walks the next links), over every place this
    // class's synthetic scenes can lie: this result's polygons and every other run's and test's there.
    Gdal.require();
    String everyRun = sceneRange();
    JsonArray all = OgcPages.allFeatures(node, "/ogc/collections/flood_extents/items?limit=1000&bbox=" + everyRun,
        node.operatorKey());
    Path gpkg = dir.resolve("extents-" + System.nanoTime() + ".gpkg");
    String[] corners = everyRun.split(",");
    Gdal.run("X-API-Key: " + node.operatorKey(), "ogr2ogr", "-f", "GPKG", "-spat", corners[0], corners[1],
        corners[2], corners[3], gpkg.toString(), "OAPIF:http://127.0.0.1:" + node.node.httpPort() + "/ogc",
        "-oo", "PAGE_SIZE=1", "flood_extents");
    JsonArray copied = Gdal.readBack(dir, gpkg, "flood_extents");
    assertThat(copied.size()).isEqualTo(all.size()).isGreaterThanOrEqualTo(polygons.size());
    Map<String, JsonObject> byId = new HashMap<>();
    all.forEach(f -> byId.put(((JsonObject) f).getString("id"), (JsonObject) f));
    int ourCopies = 0;
    for (Object item : copied) {
      JsonObject actual = (JsonObject) item;
      JsonObject properties = actual.getJsonObject("properties");
      String id = properties.getString("image_id") + "." + properties.getInteger("polygon");
      JsonObject expected = byId.get(id);
      assertThat(expected).as(id).isNotNull();
      Gdal.assertSameGeometry(actual.getJsonObject("geometry"), expected.getJsonObject("geometry"), id);
      assertThat(properties.getDouble("area_km2")).isCloseTo(expected.getJsonObject("properties")
          .getDouble("area_km2"), within(1e-9));
      assertThat(properties.getString("model")).isEqualTo(expected.getJsonObject("properties").getString("model"));
      if (imageId.equals(properties.getString("image_id"))) {
        Gdal.assertSameGeometry(actual.getJsonObject("geometry"), polygons.getJsonObject(
            properties.getInteger("polygon") - 1).getJsonObject("geometry"), id);
        ourCopies++;
      }
    }
    assertThat(ourCopies).isEqualTo(polygons.size());
    System.out.printf("flood_extents where the synthetic scenes lie: %d served, %d copied by ogr2ogr one per page,"
        + " %d of them this result's (its extent: %d polygons)%n", all.size(), copied.size(), ourCopies,
        polygons.size());
  }

  /** West, south, east, north around every outer ring of {@code polygons}, as a bbox query value. */
  private static String envelope(JsonArray polygons) {
    double[] box = {180, 90, -180, -90};
    for (Object polygon : polygons) {
      for (Object position : ((JsonObject) polygon).getJsonObject("geometry").getJsonArray("coordinates")
          .getJsonArray(0)) {
        JsonArray lonLat = (JsonArray) position;
        box[0] = Math.min(box[0], lonLat.getDouble(0));
        box[1] = Math.min(box[1], lonLat.getDouble(1));
        box[2] = Math.max(box[2], lonLat.getDouble(0));
        box[3] = Math.max(box[3], lonLat.getDouble(1));
      }
    }
    return box[0] + "," + box[1] + "," + box[2] + "," + box[3];
  }

  /** Around every place {@link FloodedScene} can lie (UTM 30N, 640-650 km east, 6 km square), with 100 m to spare. */
  private static String sceneRange() {
    GeoReference utm;
    try {
      utm = GeoReference.ofGeoTransform(32630, true, 640_000, 10, 0, 4_220_000, 0, -10);
    } catch (UnsupportedGeoReferenceException e) {
      throw new IllegalStateException(e);
    }
    double[] box = {180, 90, -180, -90};
    for (double[] pixel : new double[][] {{-10, -10}, {1610, -10}, {-10, 610}, {1610, 610}}) {
      LonLat corner = utm.toWgs84(pixel[0], pixel[1]);
      box[0] = Math.min(box[0], corner.lon());
      box[1] = Math.min(box[1], corner.lat());
      box[2] = Math.max(box[2], corner.lon());
      box[3] = Math.max(box[3], corner.lat());
    }
    return box[0] + "," + box[1] + "," + box[2] + "," + box[3];
  }

  /** A box moved east by {@code degrees} (west when negative). */
  private static String shifted(String box, double degrees) {
    String[] c = box.split(",");
    return (Double.parseDouble(c[0]) + degrees) + "," + c[1] + "," + (Double.parseDouble(c[2]) + degrees) + ","
        + c[3];
  }

  @Test
  void deletingTheUploadRemovesItsMaskFromTheStore() throws Exception {
    String owner = node.createKey("extent-delete-owner", "read,upload");
    Path scene = FloodedScene.write(dir, 650_000 + new Random().nextInt(1000) * 10.0);
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "flooded-deleted.tif",
        Files.readAllBytes(scene), Map.of(), owner);
    JsonObject upload = node.checked("analyzeSingle", accepted);
    String imageId = upload.getString("image_id");
    assertThat(node.awaitFinished(imageId).getString("status")).isEqualTo("completed");
    // The scene is new (random noise), so its content is this upload's: it has the upload's id.
    String maskKey = db.text("SELECT JSON_VALUE(analysis, '$.extent.mask_key') FROM ml_predictions"
        + " WHERE image_id = ?", imageId);
    assertThat(maskKey).startsWith("masks/" + upload.getString("sha256") + "/");
    assertThat(TestNode.await(store.get(maskKey)).length()).isPositive();
    assertThat(node.get("/api/v1/results/" + imageId + "/mask", owner).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> deleted = TestNode.await(node.client.request(HttpMethod.DELETE, "/api/v1/results/" + imageId)
        .putHeader("X-API-Key", owner).send());
    assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
    HttpResponse<Buffer> mask = node.get("/api/v1/results/" + imageId + "/mask", owner);
    assertThat(mask.statusCode()).isEqualTo(404);
    node.checked("getResultMask", mask);
    // The delete answers once the objects were removed: the mask and the scene's bytes are gone from the bucket.
    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", imageId)).isZero();
    assertThatThrownBy(() -> TestNode.await(store.get(maskKey)))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
    assertThatThrownBy(() -> TestNode.await(store.get(ObjectStore.imageKey(upload.getString("sha256")))))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
  }

  @Test
  void aResultWithoutAnExtentAnswersMaskWith404SayingSo() throws Exception {
    // A PNG has no georeference: the mask model does not look at it.
    byte[] png = Uploads.salted(Files.readAllBytes(LocalStack.repoRoot()
        .resolve("src/test/resources/fidelity/geohazard-rgb").resolve(firstPng())));
    JsonObject result = Uploads.completedResult(node, png, "plain.png", Map.of());
    assertThat(result.getJsonObject("analysis").containsKey("extent")).isFalse();
    HttpResponse<Buffer> mask = node.get("/api/v1/results/" + result.getString("image_id") + "/mask",
        node.publisherKey());
    assertThat(mask.statusCode()).isEqualTo(404);
    JsonObject error = node.checked("getResultMask", mask);
    assertThat(error.encode()).contains("no flood extent");
    // (Sent as application/geo+json, which the contract declares as JSON: read as it is, not checked.)
    HttpResponse<Buffer> stacResponse = node.get("/api/v1/results/" + result.getString("image_id") + "/stac",
        node.publisherKey());
    assertThat(stacResponse.statusCode()).as(stacResponse.bodyAsString()).isEqualTo(200);
    JsonObject stac = stacResponse.bodyAsJsonObject();
    assertThat(stac.getJsonObject("assets").fieldNames()).containsExactly("detections");
  }

  @Test
  void theSpainSceneHasAnExtentAMaskAndACapAlertWithItsPolygon() throws Exception {
    byte[] chip = Uploads.salted(Files.readAllBytes(
        SharedData.require("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif")));
    Instant before = Instant.now();
    JsonObject result = Uploads.completedResult(node, chip, "Spain_7370579_S2Hand.tif", Map.of());
    JsonObject extent = result.getJsonObject("analysis").getJsonObject("extent");
    assertThat(extent).as(result.encodePrettily()).isNotNull();
    assertThat(extent.getJsonArray("polygons")).isNotEmpty();
    assertThat(extent.getDouble("flooded_km2")).isPositive();
    System.out.printf("Spain 13-band scene: flood extent %.4f km² in %d polygon(s), share %.4f, %d regions "
            + "dropped, sea %.4f km²%n", extent.getDouble("flooded_km2"), extent.getJsonArray("polygons").size(),
        extent.getDouble("scene_share"), extent.getInteger("dropped_regions"), extent.getDouble("sea_km2"));

    HttpResponse<Buffer> mask = node.get("/api/v1/results/" + result.getString("image_id") + "/mask",
        node.publisherKey());
    assertThat(mask.statusCode()).isEqualTo(200);
    if (Files.isExecutable(GDALINFO)) {
      JsonObject info = gdalinfo(Files.write(dir.resolve("spain-mask.tif"), mask.body().getBytes()));
      JsonArray transform = info.getJsonArray("geoTransform");
      // The chip's own corner (gdalinfo of the source): pixel (0, 0) is 256 pixels up-left of (256, 256).
      double pixel = 8.98e-5;
      double width = info.getJsonArray("size").getInteger(0);
      double maskPixel = transform.getDouble(1);
      assertThat(transform.getDouble(0)).isCloseTo(SPAIN_LON - 256 * pixel, within(maskPixel / 2 + 2e-6));
      assertThat(transform.getDouble(3)).isCloseTo(SPAIN_LAT + 256 * pixel, within(maskPixel / 2 + 2e-6));
      assertThat(width * maskPixel).isCloseTo(512 * pixel, within(maskPixel / 2 + 1e-5));
    }

    JsonObject alert = floodAlertNear(before);
    HttpResponse<Buffer> cap = node.get("/api/v1/alerts/" + alert.getString("alert_id") + "?format=cap");
    assertThat(cap.statusCode()).isEqualTo(200);
    Document message = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(cap.body().getBytes()));
    NodeList polygons = message.getElementsByTagNameNS("urn:oasis:names:tc:emergency:cap:1.2", "polygon");
    assertThat(polygons.getLength()).as(cap.bodyAsString()).isPositive();
    String[] pairs = polygons.item(0).getTextContent().trim().split("\\s+");
    assertThat(pairs.length).isBetween(4, 100);
    assertThat(pairs[0]).isEqualTo(pairs[pairs.length - 1]);
    assertThat(alert.getJsonObject("area").getString("type")).isEqualTo("MultiPolygon");
  }

  private static JsonObject floodAlertNear(Instant before) {
    Instant renewedAfter = before.plus(Duration.ofHours(node.config.alerts().ttlHours())).minusSeconds(1);
    java.util.function.Predicate<JsonObject> ours = alert -> alert.getString("alert_type").equals("flood")
        && Instant.parse(alert.getString("expires_at")).isAfter(renewedAfter) && alert.containsKey("area");
    HttpResponse<Buffer> alerts = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
            .addQueryParam("latitude", Double.toString(SPAIN_LAT))
            .addQueryParam("longitude", Double.toString(SPAIN_LON)).addQueryParam("radius_km", "5").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("alerts").stream()
            .map(JsonObject.class::cast).anyMatch(ours),
        TestNode.TIMEOUT);
    List<JsonObject> mine = node.checked("getActiveAlerts", alerts).getJsonArray("alerts").stream()
        .map(JsonObject.class::cast).filter(ours).toList();
    return mine.get(0);
  }

  private static String firstPng() throws Exception {
    try (var files = Files.list(LocalStack.repoRoot().resolve("src/test/resources/fidelity/geohazard-rgb"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().findFirst()
          .orElseThrow();
    }
  }

  private static JsonObject gdalinfo(Path file) throws Exception {
    Process gdal = new ProcessBuilder(GDALINFO.toString(), "-json", file.toString()).redirectErrorStream(true)
        .start();
    String out = new String(gdal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gdal.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gdal.exitValue()).as(out).isZero();
    return new JsonObject(out.substring(out.indexOf('{')));
  }
}
