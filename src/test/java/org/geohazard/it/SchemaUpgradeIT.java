package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.api.output.MigrateResult;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.persistence.SchemaMigrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flyway takes over databases made before it, on the real MariaDB: an "old" database is built the way the last
 * release before Flyway left it (its schema.sql, which is V1 unchanged, run statement by statement over the pool
 * as its SchemaMigrator did, one column added afterwards as its ADDED_COLUMNS did, rows in the tables), then
 * migrated. The rows stay, the history shows the baseline, every shipped version (V1, V2, V4-V10) and a later
 * migration (a test-only V900), and a
 * second start applies nothing; V2 made each old image an upload with the same id (old ids keep working) and took
 * the image id out of old alerts' descriptions. A fresh database gets every shipped version without a baseline.
 */
class SchemaUpgradeIT {

  private static final String UPGRADE_PROBE = "classpath:db/upgrade-probe";
  private static Vertx vertx;
  private static Pool server;
  private static AppConfig.Db stackDb;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    Map<String, String> env = new HashMap<>(LocalStack.env());
    stackDb = AppConfig.fromJson(ConfigLoader.load(null, env, new Properties())).db();
    server = MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost(stackDb.host())
        .setPort(stackDb.port()).setUser(stackDb.user()).setPassword(stackDb.password())).using(vertx).build();
  }

  @AfterAll
  static void close() {
    if (server != null) {
      TestNode.await(server.close());
    }
    if (vertx != null) {
      TestNode.await(vertx.close());
    }
  }

  @Test
  void aDatabaseOfTheReleaseBeforeFlywayKeepsItsRowsAndGetsAHistory() throws Exception {
    AppConfig.Db db = freshDatabase("_upgrade");
    Pool pool = pool(db);
    try {
      // The previous release: schema.sql's statements one by one, then a column it added to an existing table.
      for (String statement : statements(readResource("/db/migration/V1__initial_schema.sql"))) {
        TestNode.await(pool.query(statement).execute());
      }
      TestNode.await(pool.query("ALTER TABLE api_keys DROP COLUMN expires_at").execute());
      TestNode.await(pool.query("ALTER TABLE api_keys ADD COLUMN expires_at TIMESTAMP(3) NULL").execute());
      TestNode.await(pool.preparedQuery("""
          INSERT INTO satellite_images (id, sha256, object_key, content_type, size_bytes, width, height, status)
          VALUES (?, ?, 'images/old.png', 'image/png', 1234, 640, 480, 'completed')""")
          .execute(Tuple.of("00000000-0000-4000-8000-000000000001", "ab".repeat(32))));
      TestNode.await(pool.preparedQuery("""
          INSERT INTO ml_predictions (image_id, model_version, landslide_probability, flood_probability,
            confidence_score, risk_level, detections_count, processing_time_ms, analysis)
          VALUES (?, 'old-model', 0.1, 0.8, 0.7, 'high', 2, 41.5, '{"detections": []}')""")
          .execute(Tuple.of("00000000-0000-4000-8000-000000000001")));
      TestNode.await(pool.query("INSERT INTO api_keys (key_hash, name, scopes) VALUES ('" + "cd".repeat(32)
          + "', 'old key', 'read,upload,operate')").execute());
      TestNode.await(pool.query("UPDATE satellite_images SET filename = 'old.png', latitude = 1.5, longitude = 2.5,"
          + " api_key_id = (SELECT MIN(id) FROM api_keys)").execute());
      TestNode.await(pool.preparedQuery("""
          INSERT INTO alerts (id, image_id, alert_type, severity, latitude, longitude, location, radius_km,
            probability, confidence, title, description, expires_at)
          VALUES ('00000000-0000-4000-8000-0000000000a1', ?, 'flood', 'high', 1.5, 2.5,
            ST_GeomFromText('POINT(2.5 1.5)'), 5, 0.8, 0.7, 'Flood risk high',
            ?, NOW(3) + INTERVAL 1 DAY)""")
          .execute(Tuple.of("00000000-0000-4000-8000-000000000001", "2 flood detection(s) with probability up to"
              + " 0.80 (model old-model, image 00000000-0000-4000-8000-000000000001). Valid for 24 hours unless renewed.")));
      assertThat(historyTableExists(db)).isFalse();

      MigrateResult first = TestNode.await(SchemaMigrations.migrate(vertx, db, SchemaMigrations.LOCATION,
          UPGRADE_PROBE));

      assertThat(first.success).isTrue();
      List<String> migrated = history(pool);
      assertThat(migrated).containsExactly("0 BASELINE true", "1 SQL true", "2 SQL true", "4 SQL true", "5 SQL true",
          "6 SQL true", "7 SQL true", "8 SQL true", "9 SQL true", "10 SQL true", "900 SQL true");
      Row upload = TestNode.await(pool.query("SELECT id, image_id, filename, latitude, owner_id IS NOT NULL"
          + " FROM uploads").execute()).iterator().next();
      assertThat(upload.getString("id")).as("an old image is an upload with its id").isEqualTo(
          "00000000-0000-4000-8000-000000000001");
      assertThat(upload.getString("image_id")).isEqualTo(upload.getString("id"));
      assertThat(upload.getString("filename")).isEqualTo("old.png");
      assertThat(upload.getDouble("latitude")).isEqualTo(1.5);
      assertThat(upload.getInteger(4)).as("owned by the key that made it").isEqualTo(1);
      // V10: an old content's analysis was asked for by its uploader, whose key decides its alerts' publication.
      assertThat(TestNode.await(pool.query("SELECT COUNT(*) FROM satellite_images WHERE analysis_key_id <=> api_key_id")
          .execute()).iterator().next().getLong(0)).isEqualTo(1);
      // V9: an old content row is looked at alone, with no other sensor's scene.
      assertThat(TestNode.await(pool.query("SELECT COUNT(*) FROM satellite_images WHERE other_sensor_claim IS NULL"
          + " AND other_sensor_object_key IS NULL").execute()).iterator().next().getLong(0)).isEqualTo(1);
      // V8: an old upload has no footprint, so it is never a candidate for automatic pairing.
      assertThat(TestNode.await(pool.query("SELECT COUNT(*) FROM uploads WHERE scene_family IS NULL"
          + " AND footprint_epsg IS NULL AND pairing_mode IS NULL").execute()).iterator().next().getLong(0))
          .isEqualTo(1);
      assertThat(TestNode.await(pool.query("SELECT description FROM alerts").execute()).iterator().next()
          .getString(0)).isEqualTo("2 flood detection(s) with probability up to 0.80 (model old-model)."
              + " Valid for 24 hours unless renewed.");
      Row image = TestNode.await(pool.query("SELECT sha256, status, width FROM satellite_images").execute())
          .iterator().next();
      assertThat(image.getString("sha256")).isEqualTo("ab".repeat(32));
      assertThat(image.getString("status")).isEqualTo("completed");
      assertThat(image.getInteger("width")).isEqualTo(640);
      Row prediction = TestNode.await(pool.query(
          "SELECT model_version, risk_level, JSON_EXTRACT(analysis, '$.detections') FROM ml_predictions").execute())
          .iterator().next();
      assertThat(prediction.getString(0)).isEqualTo("old-model");
      assertThat(prediction.getString(1)).isEqualTo("high");
      Row key = TestNode.await(pool.query("SELECT name, scopes, expires_at, upgrade_probe FROM api_keys").execute())
          .iterator().next();
      assertThat(key.getString("name")).isEqualTo("old key");
      assertThat(key.getString("scopes")).isEqualTo("read,upload,operate");
      assertThat(key.getValue("upgrade_probe")).isEqualTo(7);
      // V6: an old alert may outlive its image (the reference nullable), a webhook secret may be rotated.
      assertThat(TestNode.await(pool.query("SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
          + " DATABASE() AND TABLE_NAME = 'alerts' AND COLUMN_NAME = 'image_id'").execute()).iterator().next()
          .getString(0)).isEqualTo("YES");
      assertThat(TestNode.await(pool.query("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA ="
          + " DATABASE() AND TABLE_NAME = 'webhooks' AND COLUMN_NAME IN ('previous_secret', 'previous_secret_until')")
          .execute()).iterator().next().getLong(0)).isEqualTo(2);

      MigrateResult again = TestNode.await(SchemaMigrations.migrate(vertx, db, SchemaMigrations.LOCATION,
          UPGRADE_PROBE));
      assertThat(again.migrationsExecuted).isZero();
      assertThat(history(pool)).isEqualTo(migrated);
    } finally {
      TestNode.await(pool.close());
      drop(db);
    }
  }

  @Test
  void anEmptyDatabaseGetsEveryVersionWithoutABaselineAndAStartWithNothingToDoIsCheap() {
    AppConfig.Db db = freshDatabase("_fresh");
    Pool pool = pool(db);
    try {
      MigrateResult result = TestNode.await(SchemaMigrations.migrate(vertx, db));
      assertThat(result.migrationsExecuted).isEqualTo(9);
      assertThat(history(pool)).containsExactly("1 SQL true", "2 SQL true", "4 SQL true", "5 SQL true", "6 SQL true", "7 SQL true",
          "8 SQL true", "9 SQL true", "10 SQL true");
      // V4: an image's object key may be a scene reference (a URL up to 2048 characters, a STAC Item's bands).
      assertThat(TestNode.await(pool.query("SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
          + "DATABASE() AND TABLE_NAME = 'satellite_images' AND COLUMN_NAME = 'object_key'").execute())
          .iterator().next().getString(0)).isEqualToIgnoringCase("text");
      assertThat(TestNode.await(pool.query("SELECT COUNT(*) FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'flyway_schema_history'").execute())
          .iterator().next().getLong(0)).isEqualTo(11);
      // What every later start pays: the median of five migrations with nothing to apply (printed, not a limit).
      long[] millis = new long[5];
      for (int i = 0; i < millis.length; i++) {
        long start = System.nanoTime();
        assertThat(TestNode.await(SchemaMigrations.migrate(vertx, db)).migrationsExecuted).isZero();
        millis[i] = (System.nanoTime() - start) / 1_000_000;
      }
      Arrays.sort(millis);
      System.out.println("schema migration with nothing to apply: median " + millis[2] + " ms of "
          + Arrays.toString(millis));
    } finally {
      TestNode.await(pool.close());
      drop(db);
    }
  }

  /** An empty database of its own beside the stack's, named after it. */
  private static AppConfig.Db freshDatabase(String suffix) {
    String name = stackDb.name() + suffix;
    TestNode.await(server.query("DROP DATABASE IF EXISTS `" + name + "`").execute());
    TestNode.await(server.query("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4").execute());
    return new AppConfig.Db(stackDb.host(), stackDb.port(), name, stackDb.user(), stackDb.password(), 2, null, 0,
        stackDb.sslMode(), stackDb.trustCertPath());
  }

  private static void drop(AppConfig.Db db) {
    TestNode.await(server.query("DROP DATABASE IF EXISTS `" + db.name() + "`").execute());
  }

  private static Pool pool(AppConfig.Db db) {
    return MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setHost(db.host()).setPort(db.port())
        .setDatabase(db.name()).setUser(db.user()).setPassword(db.password())).using(vertx).build();
  }

  private static boolean historyTableExists(AppConfig.Db db) {
    return TestNode.await(server.preparedQuery("SELECT COUNT(*) FROM information_schema.TABLES"
        + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'flyway_schema_history'").execute(Tuple.of(db.name())))
        .iterator().next().getLong(0) > 0;
  }

  /** "version type success" per row of the history, in order. */
  private static List<String> history(Pool pool) {
    List<String> rows = new ArrayList<>();
    for (Row row : TestNode.await(pool.query(
        "SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank").execute())) {
      rows.add(row.getString("version") + " " + row.getString("type") + " " + row.getBoolean("success"));
    }
    return rows;
  }

  private static String readResource(String name) throws IOException {
    try (InputStream in = SchemaUpgradeIT.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** As the release before Flyway split schema.sql: on semicolons that end a line, without comment lines. */
  private static List<String> statements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String statement = current.toString().strip();
        out.add(statement.substring(0, statement.length() - 1));
        current.setLength(0);
      }
    }
    return out;
  }
}
