package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.geohazard.SharedData;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenes analysed by reference end to end (issue 25): a GeoTIFF stored in the local object store is analysed once
 * uploaded and once by its s3:// reference, with the same detections, risk, georeference and alert; a STAC Item
 * naming Sentinel-2 band assets (separate single-band GeoTIFFs, B11 at 20 m beside the 10 m bands) is analysed
 * through the flood composite's model; and every refused reference is a 4xx that stores nothing. The node serves the
 * stand-in colour model (whose colour rules the painted flood meets) and the shipped Sentinel-2 flood model.
 */
class ReferenceAnalysisIT {

  /**
   * A different place every run, so that no alert left by an earlier run absorbs this run's alerts; always on land
   * (UTM 33N 400-600 km E, 1 700-2 300 km N: the Sahara between Niger, Chad and Libya), since a flood whose footprint
   * lies at sea is set aside (analysis.AnalysisBuilder, geo.LandMask) and the equality must be of a real detection.
   */
  // A place of this run's own, drawn from UUID's SecureRandom: two CI runs on one database put the scene at the very
  // same place (17.3981189 N, 15.7452757 E, an hour apart), so the reference's alert merged into the earlier run's
  // unverified alert, which names the earlier reference, and the test waited for one naming this run's.
  private static final long PLACE = UUID.randomUUID().getLeastSignificantBits() & Long.MAX_VALUE;
  private static final double EASTING = 400_000 + PLACE % 200_000;
  private static final double NORTHING = 1_700_000 + (PLACE / 200_000) % 600_000;
  private static final int[] FLOOD = {120, 90, 60};
  private static TestNode node;
  private static TestDatabase db;
  private static String bucket;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", org.geohazard.testing.StandinCard.model() + ","
        + LocalStack.repoRoot().resolve("models/geohazard-s2flood.onnx")));
    db = new TestDatabase(node.vertx(), node.config.db());
    bucket = node.config.s3().bucket();
  }

  @AfterAll
  static void stopNode() {
    if (db != null) {
      db.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aGeoTiffByReferenceIsAnalysedAsTheSameFileUploaded() throws Exception {
    // 1400 x 1000 at 10 m, 256² DEFLATE tiles: 3 x 2 windows of 640 plus the full view; the flood crosses a seam.
    int fx = 450;
    int fy = 300;
    int fw = 300;
    int fh = 300;
    Path file = scene(1400, 1000, fx, fy, fw, fh);
    String key = "it-reference/" + UUID.randomUUID() + "/scene.tif";
    TestNode.await(node.node.objectStore().put(key, file, "image/tiff"));

    JsonObject uploaded = analysedUpload(Files.readAllBytes(file), "scene.tif", Map.of("bands", "1,2,3"),
        node.publisherKey());
    // By a key of its own without 'publish': its alert is held unverified, apart from the upload's public one
    // (an alert merges only with alerts of its own publication state), so both can be compared.
    String referrer = node.createKey("it-referrer", "read,upload");
    JsonObject accepted = node.checked("analyzeReference", reference(new JsonObject()
        .put("url", "s3://" + bucket + "/" + key).put("bands", "1,2,3"), referrer));
    assertThat(accepted.getString("status")).isEqualTo("pending");
    assertThat(accepted.getString("filename")).isEqualTo("scene.tif");
    String referenceId = accepted.getString("image_id");
    JsonObject byReference = node.awaitFinished(referenceId);
    assertThat(byReference.getString("status")).as(byReference.encodePrettily()).isEqualTo("completed");

    assertSameAnalysis(uploaded.getJsonObject("analysis"), byReference.getJsonObject("analysis"));
    assertThat(byReference.getJsonObject("analysis").getString("georeference")).isEqualTo("exact");
    assertThat(byReference.getJsonObject("analysis").getInteger("flood_count")).isPositive();
    // The reference is recorded, not a copy: the image row names the s3:// object, and the store holds no upload.
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images i JOIN uploads u ON u.image_id = i.id "
        + "WHERE u.id = ? AND i.object_key = ?", referenceId, "s3://" + bucket + "/" + key)).isEqualTo(1);
    // The reference belongs to its caller's tenant: another key is told it does not exist.
    String stranger = node.createKey("it-stranger", "read,upload");
    assertThat(node.get("/api/v1/results/" + referenceId, stranger).statusCode()).isEqualTo(404);
    assertThat(node.get("/api/v1/results/" + referenceId, referrer).statusCode()).isEqualTo(200);
    // Its STAC Item links to the object it was derived from; the upload of the same file links to nothing.
    assertThat(derivedFrom(referenceId, referrer)).isEqualTo("s3://" + bucket + "/" + key);
    assertThat(derivedFrom(uploaded.getString("image_id"), node.publisherKey())).isNull();
    // Its footprint is read from the referenced file's header, and is the uploaded file's.
    JsonObject footprint = stacItem(referenceId, referrer).getJsonObject("geometry");
    assertThat(footprint).isNotNull();
    assertThat(footprint).isEqualTo(stacItem(uploaded.getString("image_id"), node.publisherKey())
        .getJsonObject("geometry"));

    // The same alert: the upload's is public, the reference's held for an operator; same hazard, place and level.
    GeoReference utm = GeoReference.ofGeoTransform(32633, true, EASTING, 10, 0, NORTHING, 0, -10);
    LonLat centre = utm.toWgs84(fx + fw / 2.0, fy + fh / 2.0);
    JsonObject published = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
            .addQueryParam("latitude", Double.toString(centre.lat()))
            .addQueryParam("longitude", Double.toString(centre.lon())).addQueryParam("radius_km", "2").send(),
        r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getJsonArray("alerts").isEmpty(), TestNode.TIMEOUT)
        .bodyAsJsonObject().getJsonArray("alerts").getJsonObject(0);
    JsonObject held = node.pollUntil(() -> node.client.get("/api/v1/alerts/unverified")
            .putHeader("X-API-Key", node.operatorKey()).send(),
        r -> r.statusCode() == 200 && heldFor(r.bodyAsJsonObject(), referenceId) != null, TestNode.TIMEOUT)
        .bodyAsJsonObject();
    JsonObject referenceAlert = heldFor(held, referenceId);
    for (String field : List.of("alert_type", "severity", "latitude", "longitude", "radius_km", "probability",
        "confidence")) {
      assertThat(referenceAlert.getValue(field)).as(field).isEqualTo(published.getValue(field));
    }

    // Re-analysis (by the other served model: the same one would only make the same analysis) reads the
    // reference again, since nothing was copied to read it from.
    String other = node.checked("listModels", node.get("/api/v1/models", referrer)).getJsonArray("models").stream()
        .map(m -> ((JsonObject) m).getString("version")).filter(v -> v.startsWith("geohazard-s2flood")).findFirst()
        .orElseThrow();
    JsonObject again = node.checked("reanalyzeImage", TestNode.await(node.client
        .post("/api/v1/results/" + referenceId + "/reanalyze").putHeader("X-API-Key", referrer)
        .addQueryParam("model_version", other).send()));
    assertThat(again.getString("image_id")).isEqualTo(referenceId);
    JsonObject reanalysed = node.pollUntil(() -> node.client.get("/api/v1/results/" + referenceId)
            .putHeader("X-API-Key", referrer).send(),
        r -> r.statusCode() == 200 && "completed".equals(r.bodyAsJsonObject().getString("status"))
            && other.equals(r.bodyAsJsonObject().getJsonObject("analysis").getString("model_version")),
        TestNode.TIMEOUT).bodyAsJsonObject();
    assertThat(reanalysed.getJsonObject("analysis").getInteger("image_width")).isEqualTo(1400);
  }

  /**
   * The real 13-band Sentinel-2 chip of the 2019 Spain flood (Sen1Floods11), uploaded and by reference, through
   * bands 4, 3, 2. Skipped, saying why, without ../shared/data; the synthetic scene above covers the same path.
   */
  @Test
  void theSpainSentinel2ChipByReferenceIsAnalysedAsUploaded() throws Exception {
    Path chip = SharedData.require("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif");
    byte[] bytes = Files.readAllBytes(chip);
    byte[] unique = java.util.Arrays.copyOf(bytes, bytes.length + 8);
    for (int i = 0; i < 8; i++) {
      unique[bytes.length + i] = (byte) new Random().nextInt(256); // bytes no TIFF offset points to: new content
    }
    Path salted = Files.write(dir.resolve("spain-" + UUID.randomUUID() + ".tif"), unique);
    String key = "it-reference/" + UUID.randomUUID() + "/Spain_7370579_S2Hand.tif";
    TestNode.await(node.node.objectStore().put(key, salted, "image/tiff"));

    JsonObject uploaded = analysedUpload(unique, "Spain_7370579_S2Hand.tif", Map.of("bands", "4,3,2"),
        node.publisherKey());
    JsonObject accepted = node.checked("analyzeReference", reference(new JsonObject()
        .put("url", "s3://" + bucket + "/" + key).put("bands", "4,3,2"), node.publisherKey()));
    JsonObject byReference = node.awaitFinished(accepted.getString("image_id"));
    assertThat(byReference.getString("status")).as(byReference.encodePrettily()).isEqualTo("completed");
    assertSameAnalysis(uploaded.getJsonObject("analysis"), byReference.getJsonObject("analysis"));
    assertThat(byReference.getJsonObject("analysis").getInteger("image_width")).isEqualTo(512);
  }

  @Test
  void aStacItemOfSentinel2BandsIsAnalysedThroughTheFloodCompositeOnTheTwentyMetreGrid() throws Exception {
    String prefix = "it-reference/" + UUID.randomUUID() + "/";
    JsonObject assets = new JsonObject();
    for (String band : List.of("B02", "B03", "B04", "B08", "B11")) {
      boolean twenty = band.equals("B11");
      Path file = band(band, twenty ? 256 : 512, twenty ? 20 : 10);
      TestNode.await(node.node.objectStore().put(prefix + band + ".tif", file, "image/tiff"));
      assets.put(band, new JsonObject().put("href", "./" + band + ".tif")
          .put("type", "image/tiff; application=geotiff; profile=cloud-optimized").put("roles", new JsonArray()
              .add("data")));
    }
    JsonObject item = stacItem("S2B_IT_" + UUID.randomUUID(), assets)
        .put("links", new JsonArray().add(new JsonObject().put("rel", "self")
            .put("href", "s3://" + bucket + "/" + prefix + "item.json")));

    JsonObject inBody = analysedReference(new JsonObject().put("stac_item", item));
    assertFloodComposite(inBody);
    // The Item's STAC output links to the Item it was derived from: its self link.
    assertThat(derivedFrom(inBody.getString("image_id"), node.publisherKey()))
        .isEqualTo("s3://" + bucket + "/" + prefix + "item.json");

    // The same Item at a URL, without a self link: its relative hrefs resolve against where it was read from.
    item.put("links", new JsonArray());
    Path json = Files.writeString(dir.resolve("item-" + UUID.randomUUID() + ".json"), item.encode());
    TestNode.await(node.node.objectStore().put(prefix + "item.json", json, "application/json"));
    JsonObject atUrl = analysedReference(new JsonObject().put("stac_url", "s3://" + bucket + "/" + prefix
        + "item.json"));
    assertFloodComposite(atUrl);
    assertThat(derivedFrom(atUrl.getString("image_id"), node.publisherKey()))
        .isEqualTo("s3://" + bucket + "/" + prefix + "item.json");
  }

  private static void assertFloodComposite(JsonObject result) {
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    JsonObject analysis = result.getJsonObject("analysis");
    JsonArray models = analysis.getJsonArray("models");
    assertThat(models).as(analysis.encodePrettily()).hasSize(1);
    assertThat(models.getJsonObject(0).getString("view")).isEqualTo("swir_nir_green");
    assertThat(models.getJsonObject(0).getString("version")).startsWith("geohazard-s2flood");
    assertThat(models.getJsonObject(0).getJsonArray("bands").getList()).containsExactly(1, 2, 3);
    // On B11's grid: 256 px of 20 m, placed by the bands' own georeferencing.
    assertThat(analysis.getInteger("image_width")).isEqualTo(256);
    assertThat(analysis.getString("georeference")).isEqualTo("exact");
  }

  @Test
  void refusedReferencesAreFourHundredsThatStoreNothing() throws Exception {
    String prefix = "it-reference/" + UUID.randomUUID() + "/";
    Path png = Files.write(dir.resolve("not-a-tiff.png"), TestImages.floodPng());
    TestNode.await(node.node.objectStore().put(prefix + "picture.tif", png, "image/tiff"));
    JsonObject visualOnly = stacItem("S2B_VISUAL_ONLY", new JsonObject()
        .put("visual", new JsonObject().put("href", "s3://" + bucket + "/" + prefix + "visual.tif")
            .put("type", "image/tiff; application=geotiff").put("eo:bands", new JsonArray()
                .add(new JsonObject().put("name", "B04").put("common_name", "red"))
                .add(new JsonObject().put("name", "B03").put("common_name", "green"))
                .add(new JsonObject().put("name", "B02").put("common_name", "blue"))))
        .put("B8A", new JsonObject().put("href", "s3://" + bucket + "/" + prefix + "B8A.tif")
            .put("type", "image/tiff; application=geotiff")));

    refused(new JsonObject().put("url", "not a url at all"), 400, "not a URL");
    refused(new JsonObject().put("url", "s3://" + bucket), 400, "s3://bucket/key");
    refused(new JsonObject().put("url", "s3://someone-elses-bucket/scene.tif"), 400, "own bucket");
    // The service's own objects: a content hash would read another tenant's stored image.
    refused(new JsonObject().put("url", "s3://" + bucket + "/images/sha256/" + "ab".repeat(32)), 400,
        "stores itself");
    refused(new JsonObject().put("url", "s3://" + bucket + "/masks/" + "ab".repeat(32) + "/m.tif"), 400,
        "stores itself");
    refused(new JsonObject().put("url", "https://sentinel-cogs.s3.us-west-2.amazonaws.com/x/B04.tif"), 400,
        "does not read https://");
    refused(new JsonObject().put("url", "http://example.org/scene.tif"), 400, "plain http://");
    refused(new JsonObject().put("url", "file:///etc/passwd"), 400, "scheme 'file'");
    refused(new JsonObject().put("url", "s3://" + bucket + "/" + prefix + "missing.tif"), 422, "no object");
    refused(new JsonObject().put("url", "s3://" + bucket + "/" + prefix + "picture.tif"), 415, "picture.tif");
    refused(new JsonObject().put("stac_item", visualOnly), 400, "swir16 missing");
    refused(new JsonObject().put("stac_item", new JsonObject().put("type", "FeatureCollection")), 400,
        "Not a STAC Item");
    refused(new JsonObject().put("stac_url", "s3://" + bucket + "/" + prefix + "no-item.json"), 400,
        "no STAC Item");
    refused(new JsonObject(), 400, "exactly one");
    refused(new JsonObject().put("url", "s3://" + bucket + "/a.tif").put("stac_url", "s3://" + bucket + "/b.json"),
        400, "exactly one");
    refused(new JsonObject().put("url", "s3://" + bucket + "/a.tif").put("latitude", 10.0), 400, "longitude");
  }

  /** A 4xx with the contract's error body naming the problem, and not one row more in the database. */
  private static void refused(JsonObject body, int status, String says) {
    long images = db.imageRows();
    long uploads = db.count("SELECT COUNT(*) FROM uploads");
    HttpResponse<Buffer> response = reference(body, null);
    assertThat(response.statusCode()).as(body.encode() + " → " + response.bodyAsString()).isEqualTo(status);
    JsonObject error = node.checked("analyzeReference", response);
    assertThat(error.getString("message")).as(body.encode()).contains(says);
    assertThat(db.imageRows()).as("image rows after " + body.encode()).isEqualTo(images);
    assertThat(db.count("SELECT COUNT(*) FROM uploads")).as("uploads after " + body.encode()).isEqualTo(uploads);
  }

  private static HttpResponse<Buffer> reference(JsonObject body, String apiKey) {
    HttpRequest<Buffer> request = node.client.post("/api/v1/analyze/reference");
    if (apiKey != null) {
      request.putHeader("X-API-Key", apiKey);
    }
    return TestNode.await(request.sendJsonObject(body));
  }

  /** The href of the {@code derived_from} link of a result's STAC Item; null when it has none. */
  private static String derivedFrom(String imageId, String key) {
    return stacItem(imageId, key).getJsonArray("links").stream().map(JsonObject.class::cast)
        .filter(link -> "derived_from".equals(link.getString("rel"))).map(link -> link.getString("href"))
        .reduce((first, second) -> {
          throw new AssertionError("two derived_from links: " + first + ", " + second);
        }).orElse(null);
  }

  /** A result's STAC Item (read as JSON: the contract declares {@code application/geo+json} as JSON). */
  private static JsonObject stacItem(String imageId, String key) {
    HttpResponse<Buffer> response = node.get("/api/v1/results/" + imageId + "/stac", key);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static JsonObject analysedReference(JsonObject body) {
    JsonObject accepted = node.checked("analyzeReference", reference(body, node.publisherKey()));
    return node.awaitFinished(accepted.getString("image_id"));
  }

  private static JsonObject analysedUpload(byte[] bytes, String name, Map<String, String> fields, String key) {
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", name, bytes,
        fields, key));
    JsonObject result = node.awaitFinished(accepted.getString("image_id"));
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    return result;
  }

  /** Everything an analysis says about the scene, its detections and risk; not its timings or ids. */
  private static void assertSameAnalysis(JsonObject upload, JsonObject reference) {
    for (String field : List.of("detections", "detections_count", "detection_counts", "flood_count",
        "landslide_count", "flood_probability", "landslide_probability", "flood_risk", "landslide_risk",
        "risk_level", "confidence_score", "georeference", "image_width", "image_height", "tiles",
        "model_version")) {
      assertThat(reference.getValue(field)).as(field).isEqualTo(upload.getValue(field));
    }
    JsonArray uploadModels = upload.getJsonArray("models");
    JsonArray referenceModels = reference.getJsonArray("models");
    assertThat(referenceModels).hasSameSizeAs(uploadModels);
    for (int i = 0; i < uploadModels.size(); i++) {
      for (String field : List.of("version", "view", "bands")) {
        assertThat(referenceModels.getJsonObject(i).getValue(field)).as("models[%d].%s", i, field)
            .isEqualTo(uploadModels.getJsonObject(i).getValue(field));
      }
    }
  }

  private static JsonObject heldFor(JsonObject unverified, String imageId) {
    for (Object alert : unverified.getJsonArray("alerts")) {
      if (imageId.equals(((JsonObject) alert).getString("image_id"))) {
        return (JsonObject) alert;
      }
    }
    return null;
  }

  private static JsonObject stacItem(String id, JsonObject assets) {
    return new JsonObject().put("type", "Feature").put("stac_version", "1.0.0").put("id", id)
        .put("properties", new JsonObject().put("datetime", "2024-05-01T10:56:19Z").put("platform", "sentinel-2b"))
        .put("links", new JsonArray()).put("assets", assets);
  }

  /**
   * One Sentinel-2 band as its own GeoTIFF over the same 5.12 km square: a lake (low NIR and SWIR, brighter green)
   * in land (bright NIR), reflectance × 10 000 in uint16, 256² DEFLATE tiles.
   */
  private static Path band(String band, int side, double metres) throws Exception {
    double lakeRadius = 1_200; // metres
    GeoTiffFixture.Samples samples = (b, x, y) -> {
      double cx = (x + 0.5) * metres - 2_560;
      double cy = (y + 0.5) * metres - 2_560;
      boolean lake = Math.hypot(cx, cy) < lakeRadius;
      return switch (band) {
        case "B02" -> lake ? 900 : 600;
        case "B03" -> lake ? 1_100 : 800;
        case "B04" -> lake ? 700 : 900;
        case "B08" -> lake ? 300 : 3_000;
        default -> lake ? 100 : 2_000; // B11
      } + (x * 7 + y * 3) % 50;
    };
    return new GeoTiffFixture(side, side).bands(1, SampleType.UINT16)
        .compression(GeoTiffFixture.Compression.DEFLATE).tiles(256)
        .georeferenced(32630, true, EASTING, NORTHING, metres, metres)
        .samples(samples).write(Files.createTempFile(dir, band + "-", ".tif"));
  }

  /**
   * A grey scene with sparse black and white pixels (so that the 2–98 % stretch is close to identity) and a
   * turbid-water rectangle the stand-in sees as a flood; 16-bit samples, UTM 33N at 10 m, a salt for new bytes.
   */
  private static Path scene(int width, int height, int fx, int fy, int fw, int fh) throws Exception {
    int salt = new Random().nextInt(100);
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      boolean flood = x >= fx && x < fx + fw && y >= fy && y < fy + fh;
      int diagonal = (x + y) % 20;
      int level = flood ? FLOOD[band] : diagonal == 0 ? 0 : diagonal == 10 ? 255 : 128;
      return level * 100 + (x == 0 && y == 0 ? salt : 0);
    };
    return new GeoTiffFixture(width, height).bands(3, SampleType.UINT16)
        .compression(GeoTiffFixture.Compression.DEFLATE).tiles(256)
        .georeferenced(32633, true, EASTING, NORTHING, 10, 10)
        .samples(samples).write(Files.createTempFile(dir, "scene-", ".tif"));
  }
}
