package org.geohazard.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MariaDB connection settings, TLS among them (a TLS server is not part of the local stack: not tried live). */
class DbConnectTest {

  private static AppConfig.Db db(Map<String, String> env) {
    return AppConfig.fromJson(ConfigLoader.load(null, env, new Properties())).db();
  }

  @Test
  void theDefaultIsTheClientsOwnSslModeSoNothingChangesUntilConfigured() {
    MySQLConnectOptions options = DbConnect.options(db(Map.of()), "db.internal", 3307);
    assertThat(options.getSslMode()).isEqualTo(new MySQLConnectOptions().getSslMode()).isEqualTo(SslMode.DISABLED);
    assertThat(options.getHost()).isEqualTo("db.internal");
    assertThat(options.getPort()).isEqualTo(3307);
  }

  @Test
  void verifyIdentityUsesTheConfiguredAuthority(@TempDir Path dir) throws Exception {
    String ca = Files.writeString(dir.resolve("db-ca.pem"), "ca").toString();
    MySQLConnectOptions options = DbConnect.options(db(Map.of("GEOHAZARD_DB_SSL_MODE", "VERIFY_IDENTITY",
        "GEOHAZARD_DB_TRUST_CERT_PATH", ca)), "db.internal", 3306);
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_IDENTITY);
    assertThat(((PemTrustOptions) options.getSslOptions().getTrustOptions()).getCertPaths()).containsExactly(ca);
  }

  @Test
  void anUnknownModeOrAnUnreadableAuthorityStopsTheNode(@TempDir Path dir) {
    assertThatThrownBy(() -> db(Map.of("GEOHAZARD_DB_SSL_MODE", "on"))).hasMessageContaining("db.sslMode must be");
    assertThatThrownBy(() -> db(Map.of("GEOHAZARD_DB_TRUST_CERT_PATH", dir.resolve("none.pem").toString())))
        .hasMessageContaining("db.trustCertPath: cannot read");
  }
}
