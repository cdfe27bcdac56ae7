package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.ApiKeyMatch;
import org.geohazard.bus.ApiKeyRow;
import org.geohazard.bus.ApiKeyService;
import org.geohazard.bus.Failure;

/** SQL for API keys, stored as the SHA-256 of the key (the key itself is shown once, when created). */
final class ApiKeyStore implements ApiKeyService {

  private final Pool primary;
  private final Pool reads;

  ApiKeyStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  @Override
  public Future<ApiKeyMatch> find(String keyHash) {
    return reads.preparedQuery(
            """
            SELECT id, name, requests_per_window, scopes, UNIX_TIMESTAMP(expires_at) AS expires_at,
              COALESCE(tenant_id, id) AS tenant_id FROM api_keys
            WHERE key_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3))""")
        .execute(Tuple.of(keyHash))
        .map(rows -> {
          if (rows.size() == 0) {
            return new ApiKeyMatch(false, null, null, null, null, null, null);
          }
          Row row = rows.iterator().next();
          return new ApiKeyMatch(true, row.getLong("id"), row.getString("name"), row.getInteger("requests_per_window"),
              row.getString("scopes"), Rows.instant(row, "expires_at"), row.getLong("tenant_id"));
        });
  }

  /** The new key's id (also for the command line's {@link ApiKeyAdmin}). */
  Future<Long> insert(String keyHash, String name, Integer requestsPerWindow, String scopes, String expiresAt) {
    return primary.preparedQuery("""
            INSERT INTO api_keys (key_hash, name, requests_per_window, scopes, expires_at)
            VALUES (?, ?, ?, ?, IF(? IS NULL, NULL, FROM_UNIXTIME(?)))""")
        .execute(Tuple.of(keyHash, name, requestsPerWindow, scopes, epoch(expiresAt), epoch(expiresAt)))
        .map(rows -> rows.property(MySQLClient.LAST_INSERTED_ID));
  }

  private static Double epoch(String instant) {
    return instant == null ? null : java.time.Instant.parse(instant).toEpochMilli() / 1000.0;
  }

  private static final String ROW = """
      SELECT id, name, scopes, requests_per_window, UNIX_TIMESTAMP(created_at) AS created_at,
        UNIX_TIMESTAMP(expires_at) AS expires_at, UNIX_TIMESTAMP(revoked_at) AS revoked_at, key_hash FROM api_keys""";

  @Override
  public Future<ApiKeyRow> create(String keyHash, String name, String scopes, Integer requestsPerWindow,
                                  String expiresAt) {
    return insert(keyHash, name, requestsPerWindow, scopes, expiresAt)
        .compose(id -> rows(primary, "WHERE id = ?", Tuple.of(id)))
        .map(rows -> rows.get(0));
  }

  @Override
  public Future<List<ApiKeyRow>> list() {
    return rows(reads, "ORDER BY id", Tuple.tuple());
  }

  @Override
  public Future<ApiKeyRow> revoke(long keyId) {
    return primary.preparedQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, NOW(3)) WHERE id = ?")
        .execute(Tuple.of(keyId))
        .compose(v -> rows(primary, "WHERE id = ?", Tuple.of(keyId)))
        .compose(rows -> rows.isEmpty() ? Future.failedFuture(Failure.notFound("no such API key"))
            : Future.succeededFuture(rows.get(0)));
  }

  /**
   * A scan of the table (keys are few: thousands at most) on the pool {@link #find} reads, so that a node that
   * forgets a key after a change looks it up where the change is already visible.
   */
  @Override
  public Future<String> fingerprint() {
    return reads.query("""
            SELECT COUNT(*), COALESCE(SUM(c), 0), COALESCE(BIT_XOR(c), 0) FROM (
              SELECT CRC32(CONCAT_WS('|', id, scopes, COALESCE(requests_per_window, '-'), COALESCE(expires_at, '-'),
                COALESCE(revoked_at, '-'), COALESCE(tenant_id, '-'))) AS c FROM api_keys) AS k""")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return row.getValue(0) + ":" + row.getValue(1) + ":" + row.getValue(2);
        });
  }

  /**
   * A new key with the old one's name, scopes, budget, expiry and tenant (what the old key made stays the new
   * one's); the old one keeps working for the overlap (or
   * until its own expiry, if sooner), so that clients can move over without a gap.
   */
  @Override
  public Future<List<ApiKeyRow>> rotate(long keyId, String keyHash, int overlapSeconds) {
    return Transactions.run(primary, conn -> conn.preparedQuery(ROW
                + " WHERE id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3)) FOR UPDATE")
            .execute(Tuple.of(keyId))
            .compose(found -> {
              if (found.size() == 0) {
                return Future.failedFuture(new Failure(Failure.Code.NOT_FOUND,
                    "no active API key with id " + keyId));
              }
              Row old = found.iterator().next();
              return conn.preparedQuery("""
                      INSERT INTO api_keys (key_hash, name, requests_per_window, scopes, tenant_id, expires_at)
                      SELECT ?, name, requests_per_window, scopes, COALESCE(tenant_id, id), expires_at
                      FROM api_keys WHERE id = ?""")
                  .execute(Tuple.of(keyHash, keyId))
                  .compose(inserted -> {
                    long newId = inserted.property(MySQLClient.LAST_INSERTED_ID);
                    return conn.preparedQuery("""
                            UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, NOW(3) + INTERVAL ? SECOND),
                              NOW(3) + INTERVAL ? SECOND) WHERE id = ?""")
                        .execute(Tuple.of(overlapSeconds, overlapSeconds, keyId))
                        .compose(v -> rows(conn, "WHERE id IN (?, ?) ORDER BY id = ? DESC",
                            Tuple.of(newId, old.getLong("id"), newId)));
                  });
            }));
  }

  private static Future<List<ApiKeyRow>> rows(SqlClient client, String where, Tuple params) {
    return client.preparedQuery(ROW + " " + where).execute(params).map(rows -> {
      List<ApiKeyRow> out = new ArrayList<>();
      for (Row row : rows) {
        out.add(new ApiKeyRow(row.getLong("id"), row.getString("name"), row.getString("scopes"),
            row.getInteger("requests_per_window"), Rows.instant(row, "created_at"), Rows.instant(row, "expires_at"),
            Rows.instant(row, "revoked_at"), row.getString("key_hash")));
      }
      return out;
    });
  }
}
