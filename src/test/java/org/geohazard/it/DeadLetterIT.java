package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.Priority;
import org.junit.jupiter.api.Test;

/**
 * A record that keeps failing is retried with backoff, then written to the dead-letter topic, and
 * its image is marked failed with a reason that the results endpoint shows.
 */
class DeadLetterIT {

  @Test
  void failingRecordGoesToTheDeadLetterTopicAndTheImageShowsWhy() {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_RETRY_BACKOFF_MS", "50",
        "GEOHAZARD_KAFKA_MAX_ATTEMPTS", "3"))) {
      TestDatabase db = new TestDatabase(node.vertx(), node.config.db());
      String imageId = UUID.randomUUID().toString();
      String sha = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
      String missingKey = "images/sha256/" + sha;
      // An image whose bytes are not in the object store: every attempt fails to fetch them.
      db.execute("INSERT INTO satellite_images (id, sha256, object_key, content_type, size_bytes, width, height)"
          + " VALUES (?, ?, ?, 'image/png', 10, 1, 1)", imageId, sha, missingKey);
      // ... and its upload (every image is read through one, SECURITY.md "Tenants"): an anonymous one, same id.
      db.execute("INSERT INTO uploads (id, image_id) VALUES (?, ?)", imageId, imageId);

      KafkaConsumer<String, String> dlq = KafkaConsumer.create(node.vertx(), consumerProps(node));
      java.util.concurrent.CompletableFuture<JsonObject> letter = new java.util.concurrent.CompletableFuture<>();
      dlq.handler(record -> {
        if (imageId.equals(record.key())) {
          letter.complete(new JsonObject(record.value()));
        }
      });
      TestNode.await(dlq.subscribe(node.config.kafka().topicDlq()));

      ImageClaim claim = new ImageClaim(imageId, sha, missingKey, "image/png", Priority.NORMAL, null, null, null, null, null,
          System.currentTimeMillis());
      TestNode.await(node.node.publisher().send(node.config.kafka().topicProcess(), imageId, claim.toJson()));

      JsonObject result = node.awaitFinished(imageId);
      assertThat(result.getString("status")).isEqualTo("failed");
      assertThat(result.getInteger("attempts")).isEqualTo(3);
      // The result says it was the service's failure, not which object: its details are the operators' (the letter).
      assertThat(result.getString("failure_reason")).contains("internal error").doesNotContain(missingKey)
          .doesNotContain(sha);

      JsonObject dead = TestNode.await(io.vertx.core.Future.fromCompletionStage(letter));
      assertThat(dead.getString("reason")).contains(missingKey);
      assertThat(dead.getInteger("attempts")).isEqualTo(3);
      assertThat(new JsonObject(dead.getString("value")).getString("image_id")).isEqualTo(imageId);
      TestNode.await(dlq.close());
      db.close();
    }
  }

  private static Map<String, String> consumerProps(TestNode node) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", node.config.kafka().bootstrap());
    props.put("group.id", "dlq-test-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return props;
  }
}
