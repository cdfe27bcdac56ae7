package org.geohazard.it;

import org.geohazard.cache.CacheKeys;
import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A consumer restart that redelivers a record: node 1 analyses an image and commits; it stops; the
 * group's offset is moved back to before that record (what Kafka does when a consumer dies between
 * storing a result and committing); node 2 starts, receives the same record again, finds the image
 * settled and does not analyse it again, but publishes what follows the save again (node 1 might have
 * died before doing so); the prediction is still stored once.
 */
class RedeliveryIT {

  @Test
  void redeliveredRecordAfterAConsumerRestartDoesNotDuplicateThePrediction() {
    String imageId;
    String group;
    String redisUri;
    Map<TopicPartition, OffsetAndMetadata> before;
    Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>();
    try (TestNode first = TestNode.start(Map.of())) {
      KafkaAdminClient admin = KafkaAdminClient.create(first.vertx(),
          Map.of("bootstrap.servers", first.config.kafka().bootstrap()));
      group = first.config.kafka().consumerGroup();
      redisUri = first.config.redis().uri();
      before = TestNode.await(admin.listConsumerGroupOffsets(group));
      JsonObject accepted = first.checked("analyzeSingle", first.upload("/api/v1/analyze/single", "file",
          "redelivered.png", TestImages.floodPng(), Map.of()));
      imageId = accepted.getString("image_id");
      first.awaitFinished(imageId);
      // The commit follows the stored result: wait until a partition of the group has moved past it.
      Map<TopicPartition, OffsetAndMetadata> after = first.pollUntil(() -> admin.listConsumerGroupOffsets(group),
          offsets -> !moved(before, offsets).isEmpty(), TestNode.TIMEOUT);
      moved(before, after).forEach((partition, offset) -> rewind.put(partition,
          new OffsetAndMetadata(before.containsKey(partition) ? before.get(partition).getOffset() : 0, "")));
      TestNode.await(admin.close());
    }

    // Node 1's consumer has left the group (an empty group is the only kind whose offsets can move).
    Vertx vertx = Vertx.vertx();
    try {
      KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", LocalStack.env()
          .get("GEOHAZARD_KAFKA_BOOTSTRAP")));
      TestNode.await(retry(vertx, () -> admin.alterConsumerGroupOffsets(group, rewind), 50));
      TestNode.await(admin.close());
    } finally {
      TestNode.await(vertx.close());
    }

    // As if node 1 had died between the save and the cache write: the cached result is gone.
    Vertx cacheVertx = Vertx.vertx();
    try {
      Redis redis = Redis.createClient(cacheVertx, redisUri);
      TestNode.await(RedisAPI.api(redis).del(List.of(CacheKeys.result(imageId))));
      redis.close();
    } finally {
      TestNode.await(cacheVertx.close());
    }

    try (TestNode second = TestNode.start(Map.of())) {
      TestDatabase db = new TestDatabase(second.vertx(), second.config.db());
      second.pollUntil(() -> Future.succeededFuture(second.node.metrics().staleClaimCount()),
          count -> count >= 1, TestNode.TIMEOUT);
      assertThat(second.node.metrics().processedCount()).as("analysed again").isZero();
      Redis redis = Redis.createClient(second.vertx(), second.config.redis().uri());
      String id = imageId;
      second.pollUntil(() -> RedisAPI.api(redis).get(CacheKeys.result(id)), cached -> cached != null,
          TestNode.TIMEOUT);
      redis.close();
      assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", imageId)).isEqualTo(1);
      JsonObject result = second.checked("getResult", second.get("/api/v1/results/" + imageId));
      assertThat(result.getString("status")).isEqualTo("completed");
      db.close();
    }
  }

  /**
   * Offsets are committed in batches (kafka.commitIntervalMs); a consumer that stops must still commit
   * what it finished, or the next owner redoes it. With an interval far longer than the test, the
   * committed position can only move through the commit on stop.
   */
  @Test
  void finishedWorkIsCommittedWhenTheConsumerStopsBeforeItsCommitIntervalIsUp() {
    String group;
    Map<TopicPartition, OffsetAndMetadata> before;
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_COMMIT_INTERVAL_MS", "600000"))) {
      KafkaAdminClient admin = KafkaAdminClient.create(node.vertx(),
          Map.of("bootstrap.servers", node.config.kafka().bootstrap()));
      group = node.config.kafka().consumerGroup();
      before = TestNode.await(admin.listConsumerGroupOffsets(group));
      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file",
          "committed-on-stop.png", TestImages.floodPng(), Map.of()));
      node.awaitFinished(accepted.getString("image_id"));
      // The consumer counts the image after the save has answered, in the same turn as it marks the
      // record finished.
      node.pollUntil(() -> Future.succeededFuture(node.node.metrics().processedCount()),
          count -> count >= 1, TestNode.TIMEOUT);
      // Finished, but the interval is not up: nothing committed yet.
      assertThat(moved(before, TestNode.await(admin.listConsumerGroupOffsets(group)))).isEmpty();
      TestNode.await(admin.close());
    }
    Vertx vertx = Vertx.vertx();
    try {
      KafkaAdminClient admin = KafkaAdminClient.create(vertx, Map.of("bootstrap.servers", LocalStack.env()
          .get("GEOHAZARD_KAFKA_BOOTSTRAP")));
      assertThat(moved(before, TestNode.await(admin.listConsumerGroupOffsets(group)))).isNotEmpty();
      TestNode.await(admin.close());
    } finally {
      TestNode.await(vertx.close());
    }
  }

  /** Tries {@code action} up to {@code attempts} times, 100 ms apart. */
  private static <T> Future<T> retry(Vertx vertx, java.util.function.Supplier<Future<T>> action, int attempts) {
    return action.get().recover(error -> attempts <= 1 ? Future.failedFuture(error)
        : Future.<Void>future(p -> vertx.setTimer(100, id -> p.complete()))
            .compose(v -> retry(vertx, action, attempts - 1)));
  }

  private static Map<TopicPartition, OffsetAndMetadata> moved(Map<TopicPartition, OffsetAndMetadata> before,
                                                             Map<TopicPartition, OffsetAndMetadata> after) {
    Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
    after.forEach((partition, offset) -> {
      OffsetAndMetadata previous = before.get(partition);
      if (previous == null || previous.getOffset() != offset.getOffset()) {
        changed.put(partition, offset);
      }
    });
    return changed;
  }
}
