package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

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
}
