package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.geohazard.config.AppConfig;

/**
 * The one source of the schema: Flyway applies the versioned scripts of {@code db/migration} (in the jar) that the
 * database has not seen, in order, and records each in {@code flyway_schema_history}. Nodes starting together are
 * safe: Flyway holds a named lock on the database while it migrates, and the others then find nothing to do.
 *
 * <p>A database made by the releases before Flyway (tables, no history) is baselined at version 0 and then runs
 * V1, which creates only what is missing ({@code CREATE TABLE IF NOT EXISTS}); its rows stay as they are. Such a
 * database must have been started by the last release before Flyway, which completed every table's columns.
 */
public final class SchemaMigrations {

  /** Where the scripts are: {@code V<n>__<what>.sql}, never edited once released. */
  public static final String LOCATION = "classpath:db/migration";

  private SchemaMigrations() {}

  /**
   * Migrates {@code db}'s primary on a worker thread (JDBC blocks) over one connection, closed when done. Costs a
   * connection and one read of the history table when there is nothing to apply.
   *
   * @param locations where the scripts are; {@link #LOCATION} but in tests
   */
  public static Future<MigrateResult> migrate(Vertx vertx, AppConfig.Db db, String... locations) {
    return vertx.executeBlocking(() -> migrate(db, locations.length == 0 ? new String[] {LOCATION} : locations),
        false);
  }

  static MigrateResult migrate(AppConfig.Db db, String... locations) throws SQLException {
    return Flyway.configure(SchemaMigrations.class.getClassLoader())
        .dataSource(reachableUrl(db), db.user(), db.password())
        .locations(locations)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .baselineDescription("tables made before migrations")
        .load()
        .migrate();
  }

  /** The first of {@link DbConnect#jdbcUrls} that connects (several only for {@code preferred}: TLS, else plain). */
  private static String reachableUrl(AppConfig.Db db) throws SQLException {
    List<String> urls = DbConnect.jdbcUrls(db);
    if (urls.size() == 1) {
      return urls.get(0);
    }
    SQLException last = null;
    for (String url : urls) {
      try (Connection probe = DriverManager.getConnection(url, db.user(), db.password())) {
        return url;
      } catch (SQLException e) {
        last = e;
      }
    }
    throw last;
  }
}
