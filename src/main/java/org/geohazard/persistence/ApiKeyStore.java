package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.geohazard.bus.ApiKeyMatch;

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
            SELECT id, name, requests_per_window, scopes FROM api_keys
            WHERE key_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > NOW(3))""")
        .execute(Tuple.of(keyHash))
        .map(rows -> {
          if (rows.size() == 0) {
            return new ApiKeyMatch(false, null, null, null, null);
          }
          Row row = rows.iterator().next();
          return new ApiKeyMatch(true, row.getLong("id"), row.getString("name"), row.getInteger("requests_per_window"),
              row.getString("scopes"));
        });
  }

  Future<Long> create(String keyHash, String name, Integer requestsPerWindow, String scopes) {
    return primary.preparedQuery("INSERT INTO api_keys (key_hash, name, requests_per_window, scopes) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(keyHash, name, requestsPerWindow, scopes))
        .map(rows -> rows.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID));
  }
}
