package org.geohazard.persistence;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;
import java.util.List;
import java.util.Locale;
import org.geohazard.config.AppConfig;

/** How a node connects to MariaDB: the account of {@code db} and its TLS settings, to the primary or a replica. */
public final class DbConnect {

  /** Within the pools' own connect timeout: a database that is away delays a start by seconds, not minutes. */
  static final int JDBC_CONNECT_TIMEOUT_MS = 3000;

  private DbConnect() {}

  /**
   * The JDBC URLs of the primary (MariaDB Connector/J, for the schema migrations' one connection) with the same
   * TLS settings as {@link #options}, to be tried in order: two for {@code preferred} (TLS without verifying the
   * certificate, then plain), which that driver has no single mode for; one otherwise. Without TLS the driver may
   * ask a MySQL 8 server for its public key to send the password (caching_sha2_password), as the pools' client does.
   */
  static List<String> jdbcUrls(AppConfig.Db db) {
    String base = "jdbc:mariadb://" + db.host() + ":" + db.port() + "/" + db.name()
        + "?connectTimeout=" + JDBC_CONNECT_TIMEOUT_MS;
    String trust = db.trustCertPath().isEmpty() ? "" : "&serverSslCert=" + db.trustCertPath();
    String plain = base + "&sslMode=disable&allowPublicKeyRetrieval=true";
    return switch (db.sslMode()) {
      case "disabled" -> List.of(plain);
      case "preferred" -> List.of(base + "&sslMode=trust", plain);
      case "required" -> List.of(base + "&sslMode=trust");
      case "verify_ca" -> List.of(base + "&sslMode=verify-ca" + trust);
      case "verify_identity" -> List.of(base + "&sslMode=verify-full" + trust);
      default -> throw new IllegalArgumentException("db.sslMode " + db.sslMode());
    };
  }

  public static MySQLConnectOptions options(AppConfig.Db db, String host, int port) {
    MySQLConnectOptions options = new MySQLConnectOptions()
        .setHost(host).setPort(port).setDatabase(db.name()).setUser(db.user()).setPassword(db.password())
        .setSslMode(SslMode.valueOf(db.sslMode().toUpperCase(Locale.ROOT)));
    if (!db.trustCertPath().isEmpty()) {
      options.setSslOptions(new ClientSSLOptions().setTrustOptions(new PemTrustOptions().addCertPath(db.trustCertPath())));
    }
    return options;
  }
}
