package org.geohazard.persistence;

import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.SslMode;
import java.util.Locale;
import org.geohazard.config.AppConfig;

/** How a node connects to MariaDB: the account of {@code db} and its TLS settings, to the primary or a replica. */
public final class DbConnect {

  private DbConnect() {}

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
