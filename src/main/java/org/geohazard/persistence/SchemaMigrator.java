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
 * ({@code CREATE TABLE IF NOT EXISTS}), so every node may run it on every start.
 */
final class SchemaMigrator {

  private static final String RESOURCE = "/geohazard/schema.sql";

  private SchemaMigrator() {}

  static Future<Void> apply(Pool pool) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : statements(readSchema())) {
      chain = chain.compose(v -> pool.query(statement).execute().mapEmpty());
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
