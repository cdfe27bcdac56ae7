package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.Poll;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deleting an upload (issue 23, item 7), on two clustered API nodes: its owner deletes it on one node and the other
 * forgets it at once; the content shared with another tenant's upload stays until that one is deleted too, and then
 * its rows, its stored object and its cached answers are gone; a public alert it raised stays, without the image,
 * while an unverified one is rejected.
 */
class DataLifecycleIT {

  private static final Random RANDOM = new Random();
  private static TestNode first;
  private static TestNode second;
  private static TestDatabase db;
  private static S3ObjectStore store;
  private static RedisCache redis;

  @BeforeAll
  static void startCluster() {
    String cluster = "geohazard-lifecycle-it-" + Long.toHexString(RANDOM.nextLong());
    first = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster));
    second = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
        "GEOHAZARD_NODE_ROLES", "api"));
    db = new TestDatabase(first.vertx(), first.config.db());
    store = first.storeClient();
    redis = new RedisCache(first.vertx(), first.config.redis());
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private static HttpResponse<Buffer> send(TestNode node, HttpMethod method, String path, String key) {
    HttpRequest<Buffer> request = node.client.request(method, path);
    if (key != null) {
      request.putHeader("X-API-Key", key);
    }
    return TestNode.await(request.send());
  }

  @Test
  void theOwnerDeletesAnUploadOnOneNodeAndEveryNodeForgetsItWhileTheSharedContentStaysForTheOther() throws Exception {
    String a = first.createKey("lifecycle-it-a", "read,upload,publish");
    String b = first.createKey("lifecycle-it-b", "read,upload");
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    byte[] flood = TestImages.floodPng();
    JsonObject acceptedA = first.checked("analyzeSingle", first.upload("/api/v1/analyze/single", "file", "a.png",
        flood, Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)), a));
    String idA = acceptedA.getString("image_id");
    String sha = acceptedA.getString("sha256");
    // The first upload of some content has the content's id.
    String contentId = idA;
    assertThat(first.awaitFinished(idA).getString("status")).isEqualTo("completed");
    db.awaitCount(1, Duration.ofSeconds(30),
        "SELECT COUNT(*) FROM alerts WHERE image_id = ? AND state = 'active' AND alert_type = 'flood'", contentId);
    String alertId = alertOf(contentId);
    JsonObject acceptedB = first.checked("analyzeSingle", first.upload("/api/v1/analyze/single", "file", "b.png",
        flood, Map.of(), b));
    String idB = acceptedB.getString("image_id");

    // The second node reads A's upload: it now remembers it and holds its document in its near cache.
    for (int i = 0; i < 3; i++) {
      assertThat(send(second, HttpMethod.GET, "/api/v1/results/" + idA, a).statusCode()).isEqualTo(200);
    }
    // Nobody else deletes it: 404, the answer for an id that never existed.
    for (String stranger : new String[] {b, null}) {
      JsonObject refused = first.checked("deleteResult", send(first, HttpMethod.DELETE, "/api/v1/results/" + idA,
          stranger));
      assertThat(refused.getString("code")).isEqualTo("not_found");
    }
    assertThat(first.checked("deleteResult", send(first, HttpMethod.DELETE, "/api/v1/results/" + UUID.randomUUID(),
        a)).getString("code")).isEqualTo("not_found");
    assertThat(send(first, HttpMethod.DELETE, "/api/v1/results/not-a-uuid", a).statusCode()).isEqualTo(400);

    HttpResponse<Buffer> deleted = send(first, HttpMethod.DELETE, "/api/v1/results/" + idA, a);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isNull();
    long deletedAt = System.nanoTime();
    // The other node forgets it within a second (uploads.deleted), its near cache included.
    Poll.until("the second node forgets the deleted upload", () -> send(second, HttpMethod.GET,
        "/api/v1/results/" + idA, a).statusCode(), status -> status == 404, Duration.ofSeconds(5),
        Duration.ofMillis(20));
    assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isLessThan(Duration.ofSeconds(1));
    for (String path : new String[] {"", "/geojson", "/analyses"}) {
      assertThat(send(first, HttpMethod.GET, "/api/v1/results/" + idA + path, a).statusCode()).as(path).isEqualTo(404);
    }
    // Idempotence: the second delete finds nothing.
    assertThat(send(first, HttpMethod.DELETE, "/api/v1/results/" + idA, a).statusCode()).isEqualTo(404);

    // B's upload of the same bytes keeps the shared content: its analysis, rows and object.
    JsonObject resultB = first.checked("getResult", send(second, HttpMethod.GET, "/api/v1/results/" + idB, b));
    assertThat(resultB.getString("status")).isEqualTo("completed");
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE id = ?", contentId)).isEqualTo(1);
    assertThat(TestNode.await(store.get(ObjectStore.imageKey(sha))).getBytes()).isEqualTo(flood);

    // B deletes it (an operator could too): the content goes with it.
    assertThat(send(second, HttpMethod.DELETE, "/api/v1/results/" + idB, b).statusCode()).isEqualTo(204);
    assertThat(db.count("SELECT COUNT(*) FROM uploads WHERE image_id = ?", contentId)).isZero();
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE id = ?", contentId)).isZero();
    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", contentId)).isZero();
    assertThatThrownBy(() -> TestNode.await(store.get(ObjectStore.imageKey(sha))))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
    assertThat(TestNode.await(redis.getJson(CacheKeys.result(contentId)))).isEmpty();
    assertThat(TestNode.await(redis.getJson(CacheKeys.analysis(sha)))).isEmpty();
    assertThat(send(first, HttpMethod.GET, "/api/v1/results/" + idB, b).statusCode()).isEqualTo(404);

    // The public alert stays public (deleting needs no 'operate': it cannot cancel a warning), without the image.
    assertThat(db.count("SELECT COUNT(*) FROM alerts WHERE id = ? AND image_id IS NULL AND state = 'active'",
        alertId)).isEqualTo(1);
    assertThat(send(first, HttpMethod.GET, "/api/v1/alerts/" + alertId, null).statusCode()).isEqualTo(200);
    JsonObject operatorView = first.checked("getAlert", send(first, HttpMethod.GET, "/api/v1/alerts/" + alertId,
        first.operatorKey()));
    assertThat(operatorView.getValue("image_id")).isNull();

    // The same bytes uploaded again are new content: stored afresh and analysed again.
    JsonObject again = first.checked("analyzeSingle", first.upload("/api/v1/analyze/single", "file", "again.png",
        flood, Map.of(), b));
    assertThat(again.getBoolean("cached")).isFalse();
    assertThat(first.awaitFinished(again.getString("image_id")).getString("status")).isEqualTo("completed");
    assertThat(TestNode.await(store.get(ObjectStore.imageKey(sha))).getBytes()).isEqualTo(flood);
  }

  @Test
  void deletingAnAnonymousUploadRejectsTheUnverifiedAlertItRaised() throws Exception {
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    JsonObject accepted = first.checked("analyzeSingle", first.upload("/api/v1/analyze/single", "file", "anon.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude))));
    String id = accepted.getString("image_id");
    first.awaitFinished(id);
    db.awaitCount(1, Duration.ofSeconds(30), "SELECT COUNT(*) FROM alerts WHERE image_id = ? AND state = 'unverified'",
        id);
    String alertId = alertOf(id);
    // Its id is the capability of an anonymous upload: whoever holds it deletes it, as whoever holds it reads it.
    assertThat(send(first, HttpMethod.DELETE, "/api/v1/results/" + id, null).statusCode()).isEqualTo(204);
    assertThat(db.count("SELECT COUNT(*) FROM alerts WHERE id = ? AND state = 'rejected' AND image_id IS NULL",
        alertId)).isEqualTo(1);
    assertThat(first.checked("listUnverifiedAlerts", send(first, HttpMethod.GET, "/api/v1/alerts/unverified",
        first.operatorKey())).encode()).doesNotContain(alertId);
  }

  private static String alertOf(String contentId) {
    return db.text("SELECT id FROM alerts WHERE image_id = ? LIMIT 1", contentId);
  }
}
