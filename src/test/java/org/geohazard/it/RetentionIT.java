package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geohazard.config.AppConfig;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.Poll;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention sweep (issue 23, item 7) on a node that sweeps every second with every retention at one day: rows
 * made "two days ago" go (an upload with its content and object, usage rows with client addresses, a shadow
 * comparison, an unverified alert), today's stay; and while another holder has the sweep's named lock, no sweep
 * runs (one node at a time).
 */
class RetentionIT {

  private static TestNode node;
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    node = TestNode.start(Map.of("GEOHAZARD_RETENTION_SWEEP_INTERVAL_MS", "1000",
        "GEOHAZARD_RETENTION_UPLOAD_DAYS", "1", "GEOHAZARD_RETENTION_SHADOW_DAYS", "1",
        "GEOHAZARD_RETENTION_USAGE_DAYS", "1", "GEOHAZARD_RETENTION_UNVERIFIED_ALERT_DAYS", "1"));
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

  @Test
  void whatIsPastItsRetentionIsSweptByOneHolderOfTheLockAtATime() throws Exception {
    AppConfig.Db config = node.config.db();
    SqlConnection other = TestNode.await(MySQLConnection.connect(node.vertx(), new MySQLConnectOptions()
        .setHost(config.host()).setPort(config.port()).setDatabase(config.name()).setUser(config.user())
        .setPassword(config.password())));
    try {
      // Another node sweeping: it holds the lock.
      assertThat(TestNode.await(other.preparedQuery("SELECT GET_LOCK('geohazard.retention', 10) AS taken")
          .execute()).iterator().next().getInteger("taken")).isEqualTo(1);

      String key = node.createKey("retention-it", "read,upload");
      byte[] oldBytes = TestImages.floodPng();
      JsonObject old = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "old.png", oldBytes,
          Map.of(), key));
      String oldId = old.getString("image_id");
      node.awaitFinished(oldId);
      JsonObject fresh = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "new.png",
          TestImages.floodPng(), Map.of(), key));
      String freshId = fresh.getString("image_id");
      node.awaitFinished(freshId);
      db.execute("UPDATE uploads SET created_at = NOW(3) - INTERVAL 2 DAY WHERE id = ?", oldId);
      String client = "203.0.113." + (1 + new Random().nextInt(250));
      // This run's rows by their endpoint: the address alone repeats between runs sharing the test database (one
      // of 250), and an earlier run's row of today is still kept.
      String usageEndpoint = "retention-it-" + UUID.randomUUID();
      db.execute("""
          INSERT INTO api_usage (api_key_id, client_address, endpoint, status_code, request_count, created_at)
          VALUES (NULL, ?, ?, 200, 1, NOW(3) - INTERVAL 2 DAY), (NULL, ?, ?, 200, 1, NOW(3))""",
          client, usageEndpoint, client, usageEndpoint);
      String shadowVersion = "retention-it-" + UUID.randomUUID();
      db.execute("""
          INSERT INTO ml_shadow_predictions (image_id, candidate_version, candidate_sha256, candidate_ms,
            serving_analysis, candidate_analysis, created_at)
          VALUES (?, ?, REPEAT('0', 64), 1, '{}', '{}', NOW(3) - INTERVAL 2 DAY)""", freshId, shadowVersion);
      String alertId = UUID.randomUUID().toString();
      db.execute("""
          INSERT INTO alerts (id, image_id, alert_type, severity, latitude, longitude, location, radius_km, probability,
            confidence, title, description, created_at, expires_at, state)
          VALUES (?, NULL, 'flood', 'high', 1, 2, ST_GeomFromText('POINT(2 1)', 4326), 1, 0.9, 0.9, 't', 'd',
            NOW(3) - INTERVAL 2 DAY, NOW(3) - INTERVAL 1 DAY, 'unverified')""", alertId);

      // The node tries at least twice more while the lock is held elsewhere (its meter says so): nothing is swept.
      double heldBefore = lockHeldSweeps();
      Poll.until("two sweeps finding the turn taken", RetentionIT::lockHeldSweeps, n -> n >= heldBefore + 2,
          Duration.ofSeconds(15), Duration.ofMillis(100));
      assertThat(db.count("SELECT COUNT(*) FROM uploads WHERE id = ?", oldId)).isEqualTo(1);
      assertThat(db.count("SELECT COUNT(*) FROM api_usage WHERE endpoint = ?", usageEndpoint)).isEqualTo(2);
      assertThat(db.count("SELECT COUNT(*) FROM alerts WHERE id = ?", alertId)).isEqualTo(1);

      TestNode.await(other.preparedQuery("SELECT RELEASE_LOCK('geohazard.retention')").execute());
      db.awaitCount(0, Duration.ofSeconds(15), "SELECT COUNT(*) FROM uploads WHERE id = ?", oldId);
      db.awaitCount(1, Duration.ofSeconds(15), "SELECT COUNT(*) FROM api_usage WHERE endpoint = ?", usageEndpoint);
      db.awaitCount(0, Duration.ofSeconds(15), "SELECT COUNT(*) FROM alerts WHERE id = ?", alertId);
      db.awaitCount(0, Duration.ofSeconds(15), "SELECT COUNT(*) FROM ml_shadow_predictions WHERE candidate_version = ?",
          shadowVersion);
      // The old upload went as its owner's delete would: its content, analyses and object with it.
      assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE id = ?", oldId)).isZero();
      assertThat(db.count("SELECT COUNT(*) FROM ml_predictions WHERE image_id = ?", oldId)).isZero();
      // The node forgets it through the broadcast the sweep sends once the rows are gone (the bus is asynchronous).
      Poll.until("the swept upload is forgotten", () -> node.get("/api/v1/results/" + oldId, key).statusCode(),
          status -> status == 404, Duration.ofSeconds(5), Duration.ofMillis(50));
      try (S3ObjectStore store = node.storeClient()) {
        Poll.until("the swept content's object is removed", () -> TestNode.await(store.get(
                ObjectStore.imageKey(old.getString("sha256"))).map(found -> "present")
            .otherwise(error -> error instanceof ObjectStore.MissingObjectException ? "missing" : "error")),
            "missing"::equals, Duration.ofSeconds(10), Duration.ofMillis(100));
      }
      // Today's stay.
      assertThat(node.get("/api/v1/results/" + freshId, key).statusCode()).isEqualTo(200);
    } finally {
      TestNode.await(other.close());
    }
  }

  /** Sweeps of this node that found another holder of the retention lock ({@code geohazard_retention_sweeps_total}). */
  private static double lockHeldSweeps() {
    String metrics = node.get("/metrics").bodyAsString();
    Matcher m = Pattern.compile("(?m)^geohazard_retention_sweeps_total\\{[^}]*outcome=\"lock_held\"[^}]*} (\\S+)$")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
