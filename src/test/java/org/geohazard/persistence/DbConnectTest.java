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

  @Test
  void theMigrationsConnectionKeepsTheSameTlsSettings(@TempDir Path dir) throws Exception {
    String ca = Files.writeString(dir.resolve("db-ca.pem"), "ca").toString();
    assertThat(DbConnect.jdbcUrls(db(Map.of("GEOHAZARD_DB_HOST", "db.internal", "GEOHAZARD_DB_NAME", "hazards"))))
        .containsExactly("jdbc:mariadb://db.internal:3306/hazards?connectTimeout=3000&sslMode=disable"
            + "&allowPublicKeyRetrieval=true");
    assertThat(DbConnect.jdbcUrls(db(Map.of("GEOHAZARD_DB_SSL_MODE", "verify_identity",
        "GEOHAZARD_DB_TRUST_CERT_PATH", ca)))).singleElement().asString()
        .endsWith("&sslMode=verify-full&serverSslCert=" + ca).doesNotContain("allowPublicKeyRetrieval");
    assertThat(DbConnect.jdbcUrls(db(Map.of("GEOHAZARD_DB_SSL_MODE", "verify_ca", "GEOHAZARD_DB_TRUST_CERT_PATH", ca))))
        .singleElement().asString().endsWith("&sslMode=verify-ca&serverSslCert=" + ca);
    assertThat(DbConnect.jdbcUrls(db(Map.of("GEOHAZARD_DB_SSL_MODE", "required")))).singleElement().asString()
        .endsWith("&sslMode=trust");
  }

  @Test
  void preferredTriesTlsFirstThenPlainAsThePoolsClientDoes() {
    assertThat(DbConnect.jdbcUrls(db(Map.of("GEOHAZARD_DB_SSL_MODE", "preferred"))))
        .satisfiesExactly(tls -> assertThat(tls).endsWith("&sslMode=trust"),
            plain -> assertThat(plain).endsWith("&sslMode=disable&allowPublicKeyRetrieval=true"));
  }
}
