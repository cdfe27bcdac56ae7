package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Set;
import org.geohazard.auth.ApiKeyHash;
import org.geohazard.auth.Scope;
import org.geohazard.config.AppConfig;

/**
 * Creates API keys from the command line
 * ({@code java -jar geohazard.jar create-api-key NAME [REQUESTS] [--scopes read,upload,...]}).
 * The key is printed once; only its SHA-256 is stored, so a stolen database does not yield usable keys.
 */
public final class ApiKeyAdmin {

  private ApiKeyAdmin() {}

  static String newKey() {
    return ApiKeyHash.newKey();
  }

  /** Stores a new key with the default scopes (read, upload) and returns it (the only time it is ever visible). */
  public static Future<String> create(Vertx vertx, AppConfig.Db db, String name, Integer requestsPerWindow) {
    return create(vertx, db, name, requestsPerWindow, Scope.DEFAULT);
  }

  /** Stores a new key holding {@code scopes} and returns it (the only time it is ever visible). */
  public static Future<String> create(Vertx vertx, AppConfig.Db db, String name, Integer requestsPerWindow,
                                      Set<Scope> scopes) {
    if (name == null || name.isBlank() || name.length() > 255) {
      return Future.failedFuture(new IllegalArgumentException("a key needs a name of 1..255 characters"));
    }
    if (requestsPerWindow != null && requestsPerWindow < 1) {
      return Future.failedFuture(new IllegalArgumentException("requests per window must be >= 1"));
    }
    if (scopes.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("a key needs at least one scope"));
    }
    Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(DbConnect.options(db, db.host(), db.port()))
        .using(vertx).build();
    String key = newKey();
    return SchemaMigrations.migrate(vertx, db)
        .compose(v -> new ApiKeyStore(pool, pool).insert(ApiKeyHash.of(key), name, requestsPerWindow,
            Scope.format(scopes), null))
        .map(id -> key)
        .onComplete(done -> pool.close());
  }
}
