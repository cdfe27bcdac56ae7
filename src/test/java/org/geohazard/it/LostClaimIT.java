package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.geohazard.bus.ImageRegistration;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.Priority;
import org.geohazard.bus.Registration;
import org.geohazard.bus.ServiceBus;
import org.geohazard.image.ContentHash;
import org.geohazard.storage.ObjectStore;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash window between registering an upload and queueing its claim: a node that dies there leaves a
 * pending image whose claim never reached Kafka. The test leaves an image exactly so (bytes stored, row
 * registered, no claim sent, as the dead node would have) and checks that it is analysed anyway: queued by
 * the next upload of the same content, or by a pipeline node's sweep. Without either, it would stay pending.
 */
class LostClaimIT {

  @TempDir
  Path dir;

  @Test
  void aReuploadQueuesTheClaimThatADeadNodeNeverSent() throws Exception {
    // No sweeping here: only the re-upload can rescue the image.
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_CLAIM_GRACE_SECONDS", "1",
        "GEOHAZARD_KAFKA_SWEEP_INTERVAL_MS", "0"))) {
      byte[] png = TestImages.floodPng();
      String imageId = registerWithoutClaim(node, png);
      // Until the row is older than the grace period, by the database's clock (which judges it).
      TestDatabase db = new TestDatabase(node.vertx(), node.config.db());
      try {
        db.awaitCount(1, TestNode.TIMEOUT, "SELECT COUNT(*) FROM satellite_images WHERE id = ?"
            + " AND created_at < NOW(3) - INTERVAL 1 SECOND", imageId);
      } finally {
        db.close();
      }
      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png", png,
          Map.of()));
      // The caller's own upload of the stuck image, which it queued again.
      assertThat(accepted.getString("image_id")).isNotEqualTo(imageId);
      JsonObject result = node.awaitFinished(accepted.getString("image_id"));
      assertThat(result.getString("status")).isEqualTo("completed");
      assertThat(result.getJsonObject("analysis").getInteger("flood_count")).isPositive();
    }
  }

  @Test
  void aSweepQueuesTheClaimThatADeadNodeNeverSentWithoutAnyReupload() throws Exception {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_CLAIM_GRACE_SECONDS", "1",
        "GEOHAZARD_KAFKA_SWEEP_INTERVAL_MS", "300"))) {
      String imageId = registerWithoutClaim(node, TestImages.floodPng());
      JsonObject result = node.awaitFinished(imageId);
      assertThat(result.getString("status")).isEqualTo("completed");
    }
  }

  @Test
  void aFreshUploadInFlightIsFollowedNotQueuedTwice() throws Exception {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_SWEEP_INTERVAL_MS", "0"))) {
      byte[] png = TestImages.floodPng();
      String imageId = registerWithoutClaim(node, png);
      // Within the grace period (30 s by default) the first upload may still be sending its claim.
      Registration again = TestNode.await(ServiceBus.client(node.vertx().eventBus(), ImageService.class).register(
          registration(UUID.randomUUID().toString(), ContentHash.sha256(write(png)))));
      assertThat(again.imageId()).isEqualTo(imageId);
      assertThat(again.created()).isFalse();
      assertThat(again.requeue()).isFalse();
    }
  }

  /** What a node that dies before its Kafka send leaves behind: the bytes in the store and a pending row. */
  private String registerWithoutClaim(TestNode node, byte[] bytes) throws Exception {
    Path file = write(bytes);
    String sha256 = ContentHash.sha256(file);
    TestNode.await(node.node.objectStore().put(ObjectStore.imageKey(sha256), file, "image/png"));
    String imageId = UUID.randomUUID().toString();
    Registration registered = TestNode.await(ServiceBus.client(node.vertx().eventBus(), ImageService.class).register(
        registration(imageId, sha256)));
    assertThat(registered.created()).isTrue();
    return imageId;
  }

  private static ImageRegistration registration(String imageId, String sha256) {
    return new ImageRegistration(imageId, sha256, ObjectStore.imageKey(sha256), "f.png", "image/png", 1000, 640, 480,
        3, 8, null, null, null, Priority.NORMAL, null, null, null);
  }

  private Path write(byte[] bytes) throws Exception {
    return Files.write(Files.createTempFile(dir, "upload-", ".png"), bytes);
  }
}
