package org.geohazard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadYourWritesTest {

  private final Vertx vertx = Vertx.vertx();
  // Pools are lazy: nothing connects until a query runs, and the lookups below run none.
  private final Pool replica = MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setPort(1)).using(vertx).build();
  private final Pool primary = MySQLBuilder.pool().connectingTo(new MySQLConnectOptions().setPort(2)).using(vertx).build();

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void aRowTheReplicaDoesNotHaveYetIsReadFromThePrimary() {
    List<Pool> asked = new ArrayList<>();
    Optional<String> found = ReadYourWrites.byId(replica, primary, pool -> {
      asked.add(pool);
      return Future.succeededFuture(pool == primary ? Optional.of("row") : Optional.<String>empty());
    }).result();
    assertThat(found).contains("row");
    assertThat(asked).containsExactly(replica, primary);
  }

  @Test
  void theReplicaAnswersWhenItHasTheRowAndAMissingRowCostsOneQueryWithoutAReplica() {
    List<Pool> asked = new ArrayList<>();
    assertThat(ReadYourWrites.byId(replica, primary, pool -> {
      asked.add(pool);
      return Future.succeededFuture(Optional.of("row"));
    }).result()).contains("row");
    assertThat(asked).containsExactly(replica);
    asked.clear();
    assertThat(ReadYourWrites.byId(primary, primary, pool -> {
      asked.add(pool);
      return Future.succeededFuture(Optional.<String>empty());
    }).result()).isEmpty();
    assertThat(asked).containsExactly(primary);
  }
}
