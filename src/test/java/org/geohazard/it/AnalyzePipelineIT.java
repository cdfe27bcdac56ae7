package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.Priority;
import org.geohazard.config.AppConfig;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole path on real services: HTTP upload → S3 → Kafka → ONNX Runtime → MariaDB/Redis → alerts. */
class AnalyzePipelineIT {

  private static TestNode node;
  private static TestDatabase db;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(Map.of());
    db = new TestDatabase(node.vertx(), node.config.db());
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
  void uploadIsAcceptedThenCompletedWithTheModelsDetections() {
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "flood.png", TestImages.floodPng(),
        Map.of("latitude", "45.5", "longitude", "9.25", "priority", "high"));
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    JsonObject body = node.checked("analyzeSingle", accepted);
    assertThat(body.getString("status")).isEqualTo("pending");
    assertThat(body.getBoolean("cached")).isFalse();

    JsonObject result = node.awaitFinished(body.getString("image_id"));
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    JsonObject analysis = result.getJsonObject("analysis");
    assertThat(analysis.getInteger("flood_count")).isPositive();
    assertThat(analysis.getDouble("flood_probability")).isGreaterThan(0.8);
    assertThat(analysis.getString("risk_level")).isIn("high", "critical");
    assertThat(analysis.getInteger("image_width")).isEqualTo(640);
    JsonArray detections = analysis.getJsonArray("detections");
    assertThat(detections).isNotEmpty();
    // The flood region was painted at x 64..384, y 64..320; every flood box lies on it.
    for (Object item : detections) {
      JsonObject detection = (JsonObject) item;
      if (detection.getString("class_name").equals("flood")) {
        JsonObject box = detection.getJsonObject("bbox");
        double cx = (box.getDouble("x1") + box.getDouble("x2")) / 2;
        double cy = (box.getDouble("y1") + box.getDouble("y2")) / 2;
        assertThat(cx).isBetween(64.0, 384.0);
        assertThat(cy).isBetween(64.0, 320.0);
      }
    }
    assertThat(result.getJsonObject("location").getDouble("latitude")).isEqualTo(45.5);
  }

  @Test
  void greyImageCompletesWithNothingFound() {
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "grey.png", TestImages.greyPng(),
        Map.of());
    JsonObject body = node.checked("analyzeSingle", accepted);
    JsonObject result = node.awaitFinished(body.getString("image_id"));
    assertThat(result.getJsonObject("analysis").getJsonArray("detections")).isEmpty();
    assertThat(result.getJsonObject("analysis").getString("risk_level")).isEqualTo("low");
  }

  @Test
  void repeatedUploadIsServedFromTheCache() {
    byte[] lake = TestImages.lakeJpeg();
    JsonObject first = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "lake.jpg", lake, Map.of()));
    node.awaitFinished(first.getString("image_id"));

    HttpResponse<Buffer> again = node.upload("/api/v1/analyze/single", "file", "lake-again.jpg", lake, Map.of());
    assertThat(again.statusCode()).isEqualTo(200);
    JsonObject second = node.checked("analyzeSingle", again);
    assertThat(second.getBoolean("cached")).isTrue();
    // The content is one image; the second upload is the caller's own, with its own id and file name.
    assertThat(second.getString("image_id")).isNotEqualTo(first.getString("image_id"));
    assertThat(node.checked("getResult", node.get("/api/v1/results/" + second.getString("image_id")))
        .getString("filename")).isEqualTo("lake-again.jpg");
    assertThat(second.getJsonObject("analysis").getJsonObject("detection_counts").getInteger("water_body")).isPositive();
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE sha256 = ?", first.getString("sha256"))).isEqualTo(1);
  }

  @Test
  void sameContentInFlightIsAnalysedOnce() {
    byte[] flood = TestImages.floodPng();
    JsonObject first = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "a.png", flood, Map.of()));
    JsonObject second = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "b.png", flood, Map.of()));
    assertThat(second.getString("image_id")).isNotEqualTo(first.getString("image_id"));
    node.awaitFinished(first.getString("image_id"));
    assertThat(node.awaitFinished(second.getString("image_id")).getString("filename")).isEqualTo("b.png");
    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", first.getString("image_id"))).isEqualTo(1);
  }

  @Test
  void storedBytesAreExactlyTheBytesSent() throws Exception {
    byte[] everyByte = TestImages.pngWithEveryByteValue();
    JsonObject body = node.checked("analyzeSingle",
        node.upload("/api/v1/analyze/single", "file", "every-byte.png", everyByte, Map.of()));
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(everyByte));
    assertThat(body.getString("sha256")).isEqualTo(sha);
    // Read back from the store itself, not from the node's copy of recent uploads.
    AppConfig.S3 s3 = node.config.s3();
    try (S3ObjectStore store = new S3ObjectStore(node.vertx(), new AppConfig.S3(s3.endpoint(), s3.region(),
        s3.accessKey(), s3.secretKey(), s3.bucket(), 1, 0, 0))) {
      Buffer stored = TestNode.await(store.get(ObjectStore.imageKey(sha)));
      assertThat(stored.getBytes()).isEqualTo(everyByte);
    }
    node.awaitFinished(body.getString("image_id"));
  }

  @Test
  void highRiskResultRaisesAnAlertFoundInsideItsRadiusOnly() {
    // A random place, so that no alert left by an earlier run is close enough to absorb this one.
    double latitude = -60 + Math.random() * 120;
    double longitude = -170 + Math.random() * 340;
    // With a key allowed to publish: an anonymous upload's alert would be held for an operator (SecurityIT).
    JsonObject body = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "kaikoura.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
        node.publisherKey()));
    node.awaitFinished(body.getString("image_id"));
    String imageId = body.getString("image_id");

    HttpResponse<Buffer> near = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
            .addQueryParam("latitude", Double.toString(latitude + 0.01))
            .addQueryParam("longitude", Double.toString(longitude))
            .addQueryParam("radius_km", "5").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("alerts").stream()
            .anyMatch(a -> nearPoint((JsonObject) a, latitude, longitude)),
        TestNode.TIMEOUT);
    JsonObject nearBody = node.checked("getActiveAlerts", near);
    JsonObject alert = nearBody.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .filter(a -> nearPoint(a, latitude, longitude)).findFirst().orElseThrow();
    // The public alert names no upload; an operator sees which one raised it.
    assertThat(alert.containsKey("image_id")).as(alert.encode()).isFalse();
    assertThat(node.checked("getAlert", node.get("/api/v1/alerts/" + alert.getString("alert_id"), node.operatorKey()))
        .getString("image_id")).isEqualTo(imageId);
    assertThat(nearPoint(alert, latitude, longitude)).as("alert placed at the caller's point").isTrue();
    assertThat(alert.getString("alert_type")).isEqualTo("flood");
    assertThat(alert.getString("severity")).isIn("high", "critical");
    // The alert says why its severity is what it is: the stand-in's test-only card verifies it (testing.StandinCard).
    JsonObject evidence = alert.getJsonObject("evidence");
    assertThat(evidence).as(alert.encodePrettily()).isNotNull();
    assertThat(evidence.getString("level")).isEqualTo(alert.getString("severity"));
    assertThat(evidence.getBoolean("verified")).isTrue();
    assertThat(evidence.getJsonArray("precision_sets").getList()).containsExactly("test_only_not_real");
    assertThat(evidence.getJsonArray("seen_by")).hasSize(1);
    // The result carries the same section, and so does CAP, as parameters.
    JsonObject result = node.checked("getResult", node.get("/api/v1/results/" + imageId, node.publisherKey()));
    JsonObject resultEvidence = result.getJsonObject("analysis").getJsonObject("evidence").getJsonObject("flood");
    assertThat(resultEvidence.getString("level")).isEqualTo(evidence.getString("level"));
    assertThat(resultEvidence.getString("reason")).isEqualTo(evidence.getString("reason"));
    HttpResponse<Buffer> cap = TestNode.await(node.client.get("/api/v1/alerts/" + alert.getString("alert_id"))
        .putHeader("Accept", "application/cap+xml").send());
    assertThat(cap.statusCode()).isEqualTo(200);
    assertThat(cap.bodyAsString()).contains("<valueName>geohazardEvidenceVerified</valueName>",
        "<valueName>geohazardEvidencePrecisionSets</valueName>", "<value>test_only_not_real</value>");

    // 1000 km away with a 5 km radius: not there.
    JsonObject far = node.checked("getActiveAlerts", node.get("/api/v1/alerts/active?latitude="
        + (latitude + 9) + "&longitude=" + longitude + "&radius_km=5"));
    assertThat(far.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .noneMatch(a -> a.getString("alert_id").equals(alert.getString("alert_id")))).isTrue();
  }

  @Test
  void redeliveredRecordDoesNotDuplicateThePrediction() {
    JsonObject body = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "again.png",
        TestImages.floodPng(), Map.of()));
    String imageId = body.getString("image_id");
    node.awaitFinished(imageId);
    long staleBefore = node.node.metrics().staleClaimCount();

    // Kafka redelivers the same record after a consumer dies before its commit: send it again. The image
    // is settled, so the claim is recognised as stale and not analysed a second time.
    ImageClaim claim = new ImageClaim(imageId, body.getString("sha256"), ObjectStore.imageKey(body.getString("sha256")),
        "image/png", Priority.NORMAL, null, null, null, null, null, System.currentTimeMillis());
    TestNode.await(node.node.publisher().send(node.config.kafka().topicProcess(), imageId, claim.toJson()));
    node.pollUntil(() -> io.vertx.core.Future.succeededFuture(node.node.metrics().staleClaimCount()),
        count -> count > staleBefore, TestNode.TIMEOUT);

    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", imageId)).isEqualTo(1);
    JsonObject result = node.checked("getResult", node.get("/api/v1/results/" + imageId));
    assertThat(result.getString("status")).isEqualTo("completed");
  }

  @Test
  void batchReportsPerItemErrorsAndProgress() {
    io.vertx.ext.web.multipart.MultipartForm form = io.vertx.ext.web.multipart.MultipartForm.create()
        .binaryFileUpload("files", "one.png", Buffer.buffer(TestImages.floodPng()), "image/png")
        .binaryFileUpload("files", "notes.jpg", Buffer.buffer("just some text".getBytes()), "image/jpeg")
        .binaryFileUpload("files", "two.jpg", Buffer.buffer(TestImages.lakeJpeg()), "image/jpeg");
    HttpResponse<Buffer> response = TestNode.await(node.client.post("/api/v1/analyze/batch").sendMultipartForm(form));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject batch = node.checked("analyzeBatch", response);
    assertThat(batch.getInteger("total")).isEqualTo(3);
    assertThat(batch.getInteger("rejected")).isEqualTo(1);
    JsonObject rejected = batch.getJsonArray("items").getJsonObject(1);
    assertThat(rejected.getString("status")).isEqualTo("rejected");
    assertThat(rejected.getJsonObject("error").getString("code")).isEqualTo("unsupported_media_type");

    String batchId = batch.getString("batch_id");
    HttpResponse<Buffer> done = node.pollUntil(() -> node.client.get("/api/v1/batches/" + batchId).send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getBoolean("done"), TestNode.TIMEOUT);
    JsonObject progress = node.checked("getBatch", done);
    assertThat(progress.getInteger("completed")).isEqualTo(2);
    assertThat(progress.getDouble("progress")).isEqualTo(1.0);
  }

  @Test
  void healthReportsEveryDependencyUp() {
    JsonObject health = node.checked("getHealth", node.get("/api/v1/health"));
    assertThat(health.getString("status")).as(health.encodePrettily()).isEqualTo("healthy");
    for (String dependency : new String[] {"database", "redis", "kafka", "object_store", "model"}) {
      assertThat(health.getJsonObject("dependencies").getJsonObject(dependency).getString("status"))
          .as(dependency).isEqualTo("up");
    }
    node.checked("getReadiness", node.get("/api/v1/health/ready"));
    node.checked("getLiveness", node.get("/api/v1/health/live"));
    HttpResponse<Buffer> metrics = node.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString()).contains("geohazard_images_processed_total");
    // The HTTP meters name a route as the contract writes it, which is what monitoring/alerts.yml selects on.
    assertThat(metrics.bodyAsString())
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/api/v1/health/ready\"}")
        .doesNotContain(":image_id").doesNotContain(">/api");
    HttpResponse<Buffer> contract = node.get("/openapi.yaml");
    assertThat(contract.bodyAsString()).contains("operationId: analyzeSingle");
  }

  private static boolean nearPoint(JsonObject alert, double latitude, double longitude) {
    return Math.abs(alert.getDouble("latitude") - latitude) < 1e-6 && Math.abs(alert.getDouble("longitude") - longitude) < 1e-6;
  }
}
