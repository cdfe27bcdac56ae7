package org.geohazard.it;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.geohazard.config.AppConfig;

/** Direct reads of the real database, to check what a request did (or did not) write. */
final class TestDatabase implements AutoCloseable {

  private final Pool pool;

  TestDatabase(Vertx vertx, AppConfig.Db db) {
    this.pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(2))
        .connectingTo(new MySQLConnectOptions().setHost(db.host()).setPort(db.port()).setDatabase(db.name())
            .setUser(db.user()).setPassword(db.password()))
        .using(vertx).build();
  }

  long count(String sql, Object... params) {
    return TestNode.await(pool.preparedQuery(sql).execute(Tuple.from(params)))
        .iterator().next().getLong(0);
  }

  /** Polls {@code sql} (a count) until it answers {@code expected}; fails after {@code timeout}. */
  void awaitCount(long expected, java.time.Duration timeout, String sql, Object... params) throws Exception {
    org.geohazard.testing.Poll.until("count " + expected + " of " + sql, () -> count(sql, params), n -> n == expected,
        timeout, java.time.Duration.ofMillis(50));
  }

  /** The first column of the first row {@code sql} answers, as text. */
  String text(String sql, Object... params) {
    return TestNode.await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getString(0);
  }

  void execute(String sql, Object... params) {
    TestNode.await(pool.preparedQuery(sql).execute(Tuple.from(params)));
  }

  long imageRows() {
    return count("SELECT COUNT(*) FROM satellite_images");
  }

  @Override
  public void close() {
    TestNode.await(pool.close());
  }
}
