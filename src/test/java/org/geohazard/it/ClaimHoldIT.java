package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.Priority;
import org.geohazard.storage.ObjectStore;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A claim whose image another consumer holds in the database (what a rebalance hands over while the first
 * consumer still works) is not analysed beside it: the node waits. If the holder finishes, the claim is stale
 * and nothing is analysed again; if the holder died, its hold runs out and the node takes the image over.
 * The other consumer is played by writes to the image's row.
 */
class ClaimHoldIT {

  private static TestNode node;
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    node = TestNode.start(Map.of());
    db = new TestDatabase(node.vertx(), node.config.db());
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** An analysed image whose row is put back to 'processing', held by another consumer for {@code holdMs}. */
  private static JsonObject analysedThenHeldElsewhere(long holdMs, boolean withoutItsPrediction) {
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "held.png",
        TestImages.floodPng(), Map.of()));
    String imageId = accepted.getString("image_id");
    node.awaitFinished(imageId);
    if (withoutItsPrediction) {
      db.execute("DELETE FROM ml_predictions WHERE image_id = ?", imageId);
    }
    db.execute("UPDATE satellite_images SET status = 'processing', claimed_by = 'another-node/1',"
        + " claimed_until = NOW(3) + INTERVAL ? MICROSECOND WHERE id = ?", holdMs * 1000, imageId);
    return accepted;
  }

  private static void redeliver(JsonObject accepted) {
    String sha = accepted.getString("sha256");
    ImageClaim claim = new ImageClaim(accepted.getString("image_id"), sha, ObjectStore.imageKey(sha), "image/png",
        Priority.NORMAL, null, null, null, null, null, System.currentTimeMillis());
    TestNode.await(node.node.publisher().send(node.config.kafka().topicProcess(), claim.imageId(), claim.toJson()));
  }

  private static double counter(String name) {
    return node.node.metrics().registry().counter(name).count();
  }

  @Test
  void aClaimWaitsForTheConsumerHoldingItsImageAndIsStaleOnceThatOneFinishes() {
    JsonObject accepted = analysedThenHeldElsewhere(60_000, false);
    String imageId = accepted.getString("image_id");
    double waitedBefore = counter("geohazard.claims.waited");
    long staleBefore = node.node.metrics().staleClaimCount();
    long processedBefore = node.node.metrics().processedCount();

    redeliver(accepted);
    node.pollUntil(() -> Future.succeededFuture(counter("geohazard.claims.waited")), n -> n > waitedBefore,
        TestNode.TIMEOUT);
    // Still held: nothing analysed, the claim is waiting.
    assertThat(node.node.metrics().processedCount()).isEqualTo(processedBefore);
    assertThat(node.node.metrics().staleClaimCount()).isEqualTo(staleBefore);

    // The other consumer finishes.
    db.execute("UPDATE satellite_images SET status = 'completed' WHERE id = ?", imageId);
    node.pollUntil(() -> Future.succeededFuture(node.node.metrics().staleClaimCount()), n -> n > staleBefore,
        TestNode.TIMEOUT);
    assertThat(node.node.metrics().processedCount()).as("analysed beside its holder").isEqualTo(processedBefore);
    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", imageId)).isEqualTo(1);
  }

  @Test
  void theImageOfAConsumerThatDiedIsTakenOverWhenItsHoldRunsOut() {
    JsonObject accepted = analysedThenHeldElsewhere(3_000, true);
    String imageId = accepted.getString("image_id");
    double waitedBefore = counter("geohazard.claims.waited");
    long processedBefore = node.node.metrics().processedCount();

    redeliver(accepted);
    node.pollUntil(() -> Future.succeededFuture(node.node.metrics().processedCount()), n -> n > processedBefore,
        TestNode.TIMEOUT);
    assertThat(counter("geohazard.claims.waited")).as("waited for the hold first").isGreaterThan(waitedBefore);
    assertThat(node.checked("getResult", node.get("/api/v1/results/" + imageId)).getString("status"))
        .isEqualTo("completed");
    assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", imageId)).isEqualTo(1);
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE id = ? AND claimed_by LIKE ?", imageId,
        node.config.node().id() + "/%")).as("held by this node now").isEqualTo(1);
  }
}
