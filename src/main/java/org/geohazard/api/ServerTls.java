package org.geohazard.api;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import org.geohazard.config.AppConfig;

/** Applies the configured certificate ({@code http.tls}) to the HTTP server's options; none: plain HTTP. */
final class ServerTls {

  private ServerTls() {}

  static HttpServerOptions apply(HttpServerOptions options, AppConfig.Tls tls) {
    if (!tls.enabled()) {
      return options;
    }
    options.setSsl(true);
    if (tls.pem()) {
      options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()));
    } else {
      options.setKeyCertOptions(new PfxOptions().setPath(tls.keyStorePath()).setPassword(tls.keyStorePassword()));
    }
    return options;
  }
}
