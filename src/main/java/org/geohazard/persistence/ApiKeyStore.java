package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.geohazard.bus.ApiKeyCommand;
import org.geohazard.bus.ApiKeyMatch;
import org.geohazard.bus.ApiKeyRows;
import org.geohazard.bus.Failure;
import org.geohazard.bus.FailureException;

/** SQL for API keys, stored as the SHA-256 of the key (the key itself is shown once, when created). */
final class ApiKeyStore {

  private final Pool primary;
  private final Pool reads;

  ApiKeyStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  Future<ApiKeyMatch> find(String keyHash) {
    return reads.preparedQuery(
            """
            SELECT id, name, requests_per_window, scopes, UNIX_TIMESTAMP(expires_at) AS expires_at FROM api_keys
            WHERE key_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3))""")
        .execute(Tuple.of(keyHash))
        .map(rows -> {
          if (rows.size() == 0) {
            return new ApiKeyMatch(false, null, null, null, null, null);
          }
          Row row = rows.iterator().next();
          return new ApiKeyMatch(true, row.getLong("id"), row.getString("name"), row.getInteger("requests_per_window"),
              row.getString("scopes"), Rows.instant(row, "expires_at"));
        });
  }

  Future<Long> create(String keyHash, String name, Integer requestsPerWindow, String scopes, String expiresAt) {
    return primary.preparedQuery("""
            INSERT INTO api_keys (key_hash, name, requests_per_window, scopes, expires_at)
            VALUES (?, ?, ?, ?, IF(? IS NULL, NULL, FROM_UNIXTIME(?)))""")
        .execute(Tuple.of(keyHash, name, requestsPerWindow, scopes, epoch(expiresAt), epoch(expiresAt)))
        .map(rows -> rows.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID));
  }

  private static Double epoch(String instant) {
    return instant == null ? null : java.time.Instant.parse(instant).toEpochMilli() / 1000.0;
  }

  private static final String ROW = """
      SELECT id, name, scopes, requests_per_window, UNIX_TIMESTAMP(created_at) AS created_at,
        UNIX_TIMESTAMP(expires_at) AS expires_at, UNIX_TIMESTAMP(revoked_at) AS revoked_at, key_hash FROM api_keys""";

  /** An administrator's act ({@link ApiKeyCommand}); answers the keys it made or changed, or all for a list. */
  Future<ApiKeyRows> admin(ApiKeyCommand command) {
    return switch (command.action()) {
      case "create" -> create(command.keyHash(), command.name(), command.requestsPerWindow(), command.scopes(),
          command.expiresAt()).compose(id -> rows(primary, "WHERE id = ?", Tuple.of(id)));
      case "list" -> rows(reads, "ORDER BY id", Tuple.tuple());
      case "revoke" -> primary.preparedQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, NOW(3)) WHERE id = ?")
          .execute(Tuple.of(command.keyId()))
          .compose(v -> rows(primary, "WHERE id = ?", Tuple.of(command.keyId())))
          .compose(ApiKeyStore::found);
      default -> rotate(command);
    };
  }

  /**
   * A new key with the old one's name, scopes, budget and expiry; the old one keeps working for the overlap (or
   * until its own expiry, if sooner), so that clients can move over without a gap.
   */
  private Future<ApiKeyRows> rotate(ApiKeyCommand command) {
    return Transactions.run(primary, conn -> conn.preparedQuery(ROW
                + " WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3)) FOR UPDATE")
            .execute(Tuple.of(command.keyId()))
            .compose(found -> {
              if (found.size() == 0) {
                return Future.failedFuture(new FailureException(Failure.NOT_FOUND,
                    "no active API key with id " + command.keyId()));
              }
              Row old = found.iterator().next();
              return conn.preparedQuery("""
                      INSERT INTO api_keys (key_hash, name, requests_per_window, scopes, expires_at)
                      SELECT ?, name, requests_per_window, scopes, expires_at FROM api_keys WHERE id = ?""")
                  .execute(Tuple.of(command.keyHash(), command.keyId()))
                  .compose(inserted -> {
                    long newId = inserted.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID);
                    return conn.preparedQuery("""
                            UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, NOW(3) + INTERVAL ? SECOND),
                              NOW(3) + INTERVAL ? SECOND) WHERE id = ?""")
                        .execute(Tuple.of(command.overlapSeconds(), command.overlapSeconds(), command.keyId()))
                        .compose(v -> rows(conn, "WHERE id IN (?, ?) ORDER BY id = ? DESC",
                            Tuple.of(newId, old.getLong("id"), newId)));
                  });
            }));
  }

  private static Future<ApiKeyRows> found(ApiKeyRows rows) {
    return rows.keys().isEmpty() ? Future.failedFuture(new FailureException(Failure.NOT_FOUND, "no such API key"))
        : Future.succeededFuture(rows);
  }

  private static Future<ApiKeyRows> rows(io.vertx.sqlclient.SqlClient client, String where, Tuple params) {
    return client.preparedQuery(ROW + " " + where).execute(params).map(rows -> {
      java.util.List<ApiKeyRows.Row> out = new java.util.ArrayList<>();
      for (Row row : rows) {
        out.add(new ApiKeyRows.Row(row.getLong("id"), row.getString("name"), row.getString("scopes"),
            row.getInteger("requests_per_window"), Rows.instant(row, "created_at"), Rows.instant(row, "expires_at"),
            Rows.instant(row, "revoked_at"), row.getString("key_hash")));
      }
      return new ApiKeyRows(out);
    });
  }
}
