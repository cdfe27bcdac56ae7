package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore of README ("Backups"), done as an operator would: with the nodes stopped, a
 * {@code mysqldump} of the database and a copy of the bucket's objects; then everything wiped (database, objects,
 * cached answers); then the dump loaded and the objects put back, and a new node serves the result, its alert and
 * its stored bytes as before. Skips (visibly) where {@code mysqldump} or {@code mysql} is not installed.
 */
class BackupRestoreIT {

  @Test
  void aResultBackedUpWipedAndRestoredIsServedAgain(@TempDir Path dir) throws Exception {
    assumeTrue(onPath("mysqldump") && onPath("mysql"), "mysqldump and mysql (MariaDB client) are not installed");
    TestNode node = TestNode.start(Map.of());
    AppConfig config = node.config;
    String key = node.createKey("backup-it", "read,upload,publish");
    double latitude = -50 + new Random().nextDouble() * 100;
    double longitude = -170 + new Random().nextDouble() * 340;
    byte[] bytes = TestImages.floodPng();
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "kept.png",
        bytes, Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)), key));
    String id = accepted.getString("image_id");
    JsonObject before = node.awaitFinished(id);
    assertThat(before.getString("status")).isEqualTo("completed");
    TestDatabase db = new TestDatabase(node.vertx(), config.db());
    db.awaitCount(1, Duration.ofSeconds(30), "SELECT COUNT(*) FROM alerts WHERE image_id = ?", id);
    String alertId = db.text("SELECT id FROM alerts WHERE image_id = ?", id);
    db.close();
    node.close();

    Vertx vertx = Vertx.vertx();
    try (S3ObjectStore store = store(vertx, config.s3()); RedisCache redis = new RedisCache(vertx, config.redis())) {
      // Backup: the database, then the objects its images refer to (a bucket with versioning keeps them anyway).
      Path dump = dir.resolve("geohazard.sql");
      run(config.db(), dump, null, "mysqldump", "--single-transaction", "--routines", "--triggers", "--hex-blob",
          "--host=" + config.db().host(), "--port=" + config.db().port(), "--user=" + config.db().user(),
          config.db().name());
      assertThat(Files.readString(dump)).contains("CREATE TABLE `uploads`").contains(id);
      Path objects = Files.createDirectories(dir.resolve("objects"));
      String objectKey = ObjectStore.imageKey(accepted.getString("sha256"));
      Files.write(objects.resolve(accepted.getString("sha256")), TestNode.await(store.get(objectKey)).getBytes());

      // Disaster: the database, the object and the cached answers gone.
      run(config.db(), null, null, "mysql", "--host=" + config.db().host(), "--port=" + config.db().port(),
          "--user=" + config.db().user(), "-e", "DROP DATABASE `" + config.db().name() + "`; CREATE DATABASE `"
              + config.db().name() + "`");
      TestNode.await(store.delete(objectKey));
      TestNode.await(redis.delete(CacheKeys.result(id)));
      TestNode.await(redis.delete(CacheKeys.analysis(accepted.getString("sha256"))));
      assertThatThrownBy(() -> TestNode.await(store.get(objectKey))).isInstanceOf(ObjectStore.MissingObjectException.class);

      // Restore: the dump loaded, the objects put back.
      run(config.db(), null, dump, "mysql", "--host=" + config.db().host(), "--port=" + config.db().port(),
          "--user=" + config.db().user(), config.db().name());
      TestNode.await(store.put(objectKey, objects.resolve(accepted.getString("sha256")), "image/png"));
    } finally {
      TestNode.await(vertx.close());
    }

    TestNode restored = TestNode.start(Map.of());
    try {
      JsonObject after = restored.checked("getResult", restored.get("/api/v1/results/" + id, key));
      assertThat(after.getString("status")).isEqualTo("completed");
      assertThat(after.getString("filename")).isEqualTo("kept.png");
      assertThat(after.getJsonObject("analysis")).isEqualTo(before.getJsonObject("analysis"));
      assertThat(restored.checked("getAlert", restored.get("/api/v1/alerts/" + alertId)).getString("alert_id"))
          .isEqualTo(alertId);
      try (S3ObjectStore store = store(restored.vertx(), config.s3())) {
        assertThat(TestNode.await(store.get(ObjectStore.imageKey(accepted.getString("sha256")))).getBytes())
            .isEqualTo(bytes);
      }
    } finally {
      restored.close();
    }
  }

  private static S3ObjectStore store(Vertx vertx, AppConfig.S3 s3) {
    return new S3ObjectStore(vertx, new AppConfig.S3(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(),
        s3.bucket(), 1, 0, 0, s3.trustCertPath()));
  }

  /** Runs a client with the database password in MYSQL_PWD (never on the command line), output to {@code out}. */
  private static void run(AppConfig.Db db, Path out, Path in, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (!db.password().isEmpty()) {
      builder.environment().put("MYSQL_PWD", db.password());
    }
    if (out != null) {
      builder.redirectOutput(out.toFile());
    } else {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    if (in != null) {
      builder.redirectInput(in.toFile());
    }
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", args).isTrue();
    assertThat(process.exitValue()).as("%s exit status", args).isZero();
  }

  private static boolean onPath(String program) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
