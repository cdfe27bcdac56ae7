package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.geohazard.testing.TestImages;

/** Uploading real scenes to a test node and waiting for their analysis, as the model ITs do. */
final class Uploads {

  private Uploads() {}

  /**
   * Uploads one file with a key allowed to publish (so that the alerts a test looks for are public), waits for its
   * result and requires it completed.
   */
  static JsonObject completedResult(TestNode node, byte[] bytes, String name, Map<String, String> fields) {
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", name, bytes, fields,
        node.publisherKey());
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isIn(200, 202);
    String imageId = node.checked("analyzeSingle", accepted).getString("image_id");
    JsonObject result = node.awaitFinished(imageId);
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    return result;
  }

  /** The same file every run would be answered from the cache: append bytes no offset in it points to. */
  static byte[] salted(byte[] bytes) {
    byte[] salt = new byte[8];
    new Random().nextBytes(salt);
    byte[] unique = Arrays.copyOf(bytes, bytes.length + salt.length);
    System.arraycopy(salt, 0, unique, bytes.length, salt.length);
    return unique;
  }

  /** Sends one scene file to {@code analyzeSingle} with {@code key} (null: anonymous) and the form's fields. */
  static HttpResponse<Buffer> sent(TestNode node, Path file, String key, Map<String, String> fields)
      throws IOException {
    return node.upload("/api/v1/analyze/single", "file", file.getFileName().toString(), Files.readAllBytes(file),
        fields, key);
  }

  /** Sends one scene file and waits for its analysis, polling as its uploader; its result, required completed. */
  static JsonObject analysed(TestNode node, Path file, String key, Map<String, String> fields) throws IOException {
    JsonObject accepted = node.checked("analyzeSingle", sent(node, file, key, fields));
    String id = accepted.getString("image_id");
    HttpResponse<Buffer> done = node.pollUntil(() -> node.client.get("/api/v1/results/" + id)
            .putHeader("X-API-Key", key).send(),
        r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getString("status").matches("pending|processing"),
        TestNode.TIMEOUT.multipliedBy(2));
    JsonObject result = node.checked("getResult", done);
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    return result;
  }

  /**
   * Sends one scene file with {@code field} naming {@code otherId} (a before scene, another sensor's scene) and
   * requires it refused with {@code status} (and {@code code}; null: any) saying {@code reason}, no row added.
   */
  static void refused(TestNode node, TestDatabase db, Path file, String key, String field, String otherId, int status,
                      String code, String reason) throws IOException {
    long images = db.imageRows();
    long uploads = db.count("SELECT COUNT(*) FROM uploads");
    Map<String, String> fields = new HashMap<>();
    fields.put(field, otherId);
    HttpResponse<Buffer> response = sent(node, file, key, fields);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = node.checked("analyzeSingle", response);
    if (code != null) {
      assertThat(body.getString("code")).isEqualTo(code);
    }
    assertThat(body.getString("message")).contains(reason);
    assertThat(db.imageRows()).isEqualTo(images);
    assertThat(db.count("SELECT COUNT(*) FROM uploads")).isEqualTo(uploads);
  }

  /** A PNG of new content in {@code dir}: no georeference, so no pair or other sensor's scene can take it. */
  static Path plainPng(Path dir) throws IOException {
    return Files.write(Files.createTempFile(dir, "plain-", ".png"), salted(TestImages.floodPng()));
  }
}
