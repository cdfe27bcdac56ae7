package org.geohazard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mysqlclient.MySQLException;
import org.junit.jupiter.api.Test;

class TransactionsTest {

  @Test
  void onlyRolledBackVictimsRunAgain() {
    assertThat(Transactions.retryable(new MySQLException("Deadlock found", 1213, "40001"))).isTrue();
    assertThat(Transactions.retryable(new MySQLException("Lock wait timeout", 1205, "HY000"))).isTrue();
    // a duplicate key or a syntax error would fail the same way again
    assertThat(Transactions.retryable(new MySQLException("Duplicate entry", 1062, "23000"))).isFalse();
    assertThat(Transactions.retryable(new MySQLException("Syntax", 1064, "42000"))).isFalse();
    assertThat(Transactions.retryable(new IllegalStateException("closed"))).isFalse();
  }
}
