package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the bundled {@code schema.sql} at start-up. Every statement in it is idempotent
 * ({@code CREATE TABLE IF NOT EXISTS}), so every node may run it on every start. Columns added after a
 * table was first created are added to an existing table here, when {@code information_schema} says they are
 * missing ({@code ADD COLUMN IF NOT EXISTS} is MariaDB's, and MySQL 8 refuses it).
 */
final class SchemaMigrator {

  private static final String RESOURCE = "/geohazard/schema.sql";

  private SchemaMigrator() {}

  /** Columns newer than their table: (table, column, definition as in schema.sql). */
  static final List<String[]> ADDED_COLUMNS = List.of(
      new String[] {"satellite_images", "requested_bands", "VARCHAR(32) NULL"},
      new String[] {"satellite_images", "sensor", "VARCHAR(16) NULL"},
      new String[] {"satellite_images", "queued_at", "TIMESTAMP(3) NULL"},
      new String[] {"satellite_images", "claimed_by", "VARCHAR(96) NULL"},
      new String[] {"satellite_images", "claimed_until", "TIMESTAMP(3) NULL"},
      new String[] {"satellite_images", "requeued_at", "TIMESTAMP(3) NULL"},
      new String[] {"satellite_images", "requested_model", "VARCHAR(128) NULL"},
      new String[] {"api_usage", "request_count", "INT NOT NULL DEFAULT 1"},
      new String[] {"alerts", "version", "INT NOT NULL DEFAULT 1"},
      new String[] {"alerts", "updated_at", "TIMESTAMP(3) NULL"},
      new String[] {"alerts", "state", "ENUM('active','acknowledged','resolved','unverified','rejected') NOT NULL DEFAULT 'active'"},
      new String[] {"alerts", "acknowledged_at", "TIMESTAMP(3) NULL"},
      new String[] {"alerts", "acknowledged_by", "VARCHAR(128) NULL"},
      new String[] {"alerts", "resolved_at", "TIMESTAMP(3) NULL"},
      new String[] {"alerts", "resolved_by", "VARCHAR(128) NULL"},
      new String[] {"alerts", "evidence", "TEXT NULL"},
      new String[] {"alerts", "confirmed_at", "TIMESTAMP(3) NULL"},
      new String[] {"alerts", "confirmed_by", "VARCHAR(128) NULL"},
      new String[] {"api_keys", "scopes", "VARCHAR(128) NOT NULL DEFAULT 'read,upload'"},
      new String[] {"api_keys", "expires_at", "TIMESTAMP(3) NULL"});

  /**
   * Columns whose type grew after their table was first made: (table, column, the type as information_schema's
   * COLUMN_TYPE spells it now, the definition as in schema.sql). Values are only ever appended to an ENUM, which
   * MariaDB and MySQL apply without rewriting the table.
   */
  static final List<String[]> WIDENED_COLUMNS = List.<String[]>of(
      new String[] {"alerts", "state", "enum('active','acknowledged','resolved','unverified','rejected')",
          "ENUM('active','acknowledged','resolved','unverified','rejected') NOT NULL DEFAULT 'active'"});

  static Future<Void> apply(Pool pool) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : statements(readSchema())) {
      chain = chain.compose(v -> pool.query(statement).execute().mapEmpty());
    }
    for (String[] column : ADDED_COLUMNS) {
      chain = chain.compose(v -> pool.preparedQuery("""
              SELECT COUNT(*) FROM information_schema.COLUMNS
              WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?""")
          .execute(io.vertx.sqlclient.Tuple.of(column[0], column[1]))
          .compose(rows -> rows.iterator().next().getLong(0) > 0 ? Future.succeededFuture()
              : pool.query("ALTER TABLE " + column[0] + " ADD COLUMN " + column[1] + " " + column[2]).execute()
                  .<Void>mapEmpty()));
    }
    for (String[] column : WIDENED_COLUMNS) {
      chain = chain.compose(v -> pool.preparedQuery("""
              SELECT COLUMN_TYPE FROM information_schema.COLUMNS
              WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?""")
          .execute(io.vertx.sqlclient.Tuple.of(column[0], column[1]))
          .compose(rows -> rows.size() == 0 || column[2].equalsIgnoreCase(rows.iterator().next().getString(0))
              ? Future.succeededFuture()
              : pool.query("ALTER TABLE " + column[0] + " MODIFY COLUMN " + column[1] + " " + column[3]).execute()
                  .<Void>mapEmpty()));
    }
    return chain;
  }

  static String readSchema() {
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits on semicolons that end a line, dropping {@code --} comment lines. */
  static List<String> statements(String sql) {
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
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
