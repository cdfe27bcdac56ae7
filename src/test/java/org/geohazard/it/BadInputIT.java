package org.geohazard.it;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear 4xx with a JSON error, writes nothing, and the server keeps serving. */
class BadInputIT {

  private static final long BODY_LIMIT = 2 * 1024 * 1024;
  private static TestNode node;
  private static TestDatabase db;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(Map.of("GEOHAZARD_HTTP_MAX_BODY_BYTES", Long.toString(BODY_LIMIT),
        "GEOHAZARD_LIMITS_MAX_PIXELS", "50000000"));
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

  private JsonObject rejectedUpload(byte[] file, String filename, Map<String, String> fields, int status, String code) {
    long rowsBefore = db.imageRows();
    HttpResponse<Buffer> response = node.upload("/api/v1/analyze/single", "file", filename, file, fields);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject error = node.checked("analyzeSingle", response);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
    assertThat(error.getString("request_id")).isEqualTo(response.getHeader("X-Request-Id"));
    assertThat(db.imageRows()).as("no image row written").isEqualTo(rowsBefore);
    return error;
  }

  @Test
  void aVeryLongUnicodeFilenameIsStoredShortenedNotAnsweredAsAnOutage() {
    String name = "Überschwemmung_Ahrtal_2021_🌊_".repeat(12) + ".png";  // 337 characters
    HttpResponse<Buffer> response = node.upload("/api/v1/analyze/single", "file", name, TestImages.floodPng(), Map.of());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
    JsonObject body = node.checked("analyzeSingle", response);
    String kept = body.getString("filename");
    assertThat(kept.codePointCount(0, kept.length())).isEqualTo(255);
    assertThat(kept).startsWith("Überschwemmung_Ahrtal_2021_🌊_").endsWith(".png").contains("…");
    JsonObject result = node.checked("getResult", node.get("/api/v1/results/" + body.getString("image_id")));
    assertThat(result.getString("filename")).isEqualTo(kept);
  }

  @Test
  void rejectsTruncatedJpegWith422() {
    rejectedUpload(TestImages.truncated(TestImages.lakeJpeg(), 0.5), "cut.jpg", Map.of(), 422, "truncated_image");
  }

  @Test
  void rejectsPngHeaderClaimingTenGigapixelsWith413() {
    rejectedUpload(TestImages.pngHeaderClaiming(100_000, 100_000), "huge.png", Map.of(), 413, "image_too_large");
  }

  @Test
  void rejectsTextRenamedJpgWith415() {
    rejectedUpload("hello, this is not an image\n".getBytes(), "photo.jpg", Map.of(), 415, "unsupported_media_type");
  }

  @Test
  void rejectsEmptyFileWith400() {
    rejectedUpload(new byte[0], "empty.png", Map.of(), 400, "empty_file");
  }

  @Test
  void rejectsLatitude91With400() {
    JsonObject error = rejectedUpload(TestImages.floodPng(), "x.png", Map.of("latitude", "91", "longitude", "10"),
        400, "invalid_request");
    assertThat(error.getString("message")).contains("latitude");
  }

  @Test
  void rejectsNonNumericLongitudeWith400() {
    rejectedUpload(TestImages.floodPng(), "x.png", Map.of("latitude", "10", "longitude", "east"), 400, "invalid_request");
  }

  /** Not a number, or none JSON knows: NaN would pass every minimum and maximum (each comparison with it is false). */
  @Test
  void rejectsNotANumberAndInfiniteCoordinatesWith400AndStoresNothing() {
    // {the broken field, its value}; latitude and longitude go together
    for (List<String> broken : List.of(List.of("latitude", "NaN"), List.of("longitude", "-Infinity"),
        List.of("latitude", "1e999"), List.of("longitude", "0x1p3"), List.of("gsd_m", "NaN"))) {
      Map<String, String> form = new java.util.HashMap<>(broken.get(0).equals("gsd_m") ? Map.of()
          : Map.of("latitude", "10", "longitude", "10"));
      form.put(broken.get(0), broken.get(1));
      JsonObject error = rejectedUpload(TestImages.floodPng(), "x.png", form, 400, "invalid_request");
      assertThat(error.getString("message")).as(broken.toString()).contains(broken.get(0));
    }
    HttpResponse<Buffer> query = node.get("/api/v1/alerts/active?latitude=NaN&longitude=10");
    assertThat(query.statusCode()).as(query.bodyAsString()).isEqualTo(400);
    // A year java.time takes but whose milliseconds overflow a long (answered 503 "database unavailable" before)
    HttpResponse<Buffer> farPast = node.get("/api/v1/alerts/history?from=-300000000-01-01T00:00:00Z");
    assertThat(farPast.statusCode()).as(farPast.bodyAsString()).isEqualTo(400);
    HttpResponse<Buffer> farFuture = node.get("/ogc/collections/alerts/items?datetime=%2B300000000-01-01T00:00:00Z");
    assertThat(farFuture.statusCode()).as(farFuture.bodyAsString()).isEqualTo(400);
    // Digits and dots that are no number (the contract's pattern lets them through)
    HttpResponse<Buffer> box = node.get("/api/v1/alerts/stream?bbox=1.2.3,0,1,1");
    assertThat(box.statusCode()).as(box.bodyAsString()).isEqualTo(400);
    assertThat(box.bodyAsJsonObject().getString("code")).isEqualTo("invalid_request");
  }

  @Test
  void rejectsUnknownPriorityWith400() {
    JsonObject error = rejectedUpload(TestImages.floodPng(), "x.png", Map.of("priority", "urgent"), 400, "invalid_request");
    assertThat(error.getString("message")).contains("priority");
  }

  @Test
  void rejectsBodyOverTheLimitWith413() {
    byte[] big = new byte[(int) BODY_LIMIT + 1024];
    java.util.Arrays.fill(big, (byte) 7);
    long rowsBefore = db.imageRows();
    HttpResponse<Buffer> response = node.upload("/api/v1/analyze/single", "file", "big.png", big, Map.of());
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(node.checked("analyzeSingle", response).getString("code")).isEqualTo("payload_too_large");
    assertThat(db.imageRows()).isEqualTo(rowsBefore);
    // and the server keeps serving
    assertThat(node.get("/api/v1/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void rejectsUploadWithoutFileWith400() {
    io.vertx.ext.web.multipart.MultipartForm form = io.vertx.ext.web.multipart.MultipartForm.create()
        .attribute("latitude", "10").attribute("longitude", "20");
    HttpResponse<Buffer> response = TestNode.await(node.client.post("/api/v1/analyze/single").sendMultipartForm(form));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(node.checked("analyzeSingle", response).getString("code")).isEqualTo("missing_file");
  }

  @Test
  void answersUnknownImageIdWith404() {
    HttpResponse<Buffer> response = node.get("/api/v1/results/" + UUID.randomUUID());
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(node.checked("getResult", response).getString("code")).isEqualTo("not_found");
  }

  @Test
  void answersMalformedImageIdWith400() {
    HttpResponse<Buffer> response = node.get("/api/v1/results/not-a-uuid");
    assertThat(response.statusCode()).isEqualTo(400);
    node.checked("getResult", response);
  }

  @Test
  void answersUnknownBatchWith404() {
    HttpResponse<Buffer> response = node.get("/api/v1/batches/" + UUID.randomUUID());
    assertThat(response.statusCode()).isEqualTo(404);
    node.checked("getBatch", response);
  }

  @Test
  void rejectsAbsurdAlertQueryWith400() {
    HttpResponse<Buffer> response = node.get("/api/v1/alerts/active?latitude=123&longitude=10");
    assertThat(response.statusCode()).isEqualTo(400);
    node.checked("getActiveAlerts", response);
    HttpResponse<Buffer> missing = node.get("/api/v1/alerts/active?latitude=12");
    assertThat(missing.statusCode()).isEqualTo(400);
    node.checked("getActiveAlerts", missing);
  }

  @Test
  void unknownPathIsJson404() {
    HttpResponse<Buffer> response = node.get("/api/v1/nothing-here");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }

  @Test
  void unknownApiKeyIsRefusedWith401() {
    HttpResponse<Buffer> response = TestNode.await(node.client.get("/api/v1/alerts/active?latitude=1&longitude=1")
        .putHeader("X-API-Key", "no-such-key-" + UUID.randomUUID()).send());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(node.checked("getActiveAlerts", response).getString("code")).isEqualTo("invalid_api_key");
  }
}
