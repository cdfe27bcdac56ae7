package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with {@code http.tls} set serves HTTPS with that certificate and nothing else on its port. The certificate
 * is made for the test by the JDK's keytool (self-signed, for localhost and 127.0.0.1) and handed to the node as
 * PEM files; the client trusts exactly that certificate.
 */
class TlsIT {

  @TempDir
  Path dir;

  @Test
  void theNodeServesHttpsWithTheConfiguredCertificateAndRefusesPlainHttp() throws Exception {
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    TestCertificates.writePem(TestCertificates.selfSigned(dir.resolve("node.p12"), "localhost"), cert, key);

    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_HTTP_TLS_CERT_PATH", cert.toString(),
        "GEOHAZARD_HTTP_TLS_KEY_PATH", key.toString()))) {
      WebClient https = WebClient.create(node.vertx(), new WebClientOptions().setSsl(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(cert.toString())).setVerifyHost(true)
          .setDefaultHost("127.0.0.1").setDefaultPort(node.node.httpPort()));
      HttpResponse<Buffer> health = TestNode.await(https.get("/api/v1/health").send());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(node.checked("getHealth", health).getString("status")).isNotBlank();
      assertThat(health.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");

      // The same port spoken to in plain HTTP: the TLS handshake fails and no answer is served.
      WebClient plain = WebClient.create(node.vertx(), new WebClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(node.node.httpPort()));
      Throwable refused = failure(plain.get("/api/v1/health").send());
      assertThat(refused).as("a plain HTTP request on the HTTPS port gets no answer").isNotNull();

      // A client that does not trust the certificate is refused too: the node's key is the one configured.
      WebClient untrusting = WebClient.create(node.vertx(), new WebClientOptions().setSsl(true)
          .setDefaultHost("127.0.0.1").setDefaultPort(node.node.httpPort()));
      Throwable untrusted = failure(untrusting.get("/api/v1/health").send());
      assertThat(untrusted).as("a client without the certificate in its trust store").isNotNull();
    }
  }

  /** Why {@code request} failed; null if it was answered. */
  private static Throwable failure(io.vertx.core.Future<?> request) throws Exception {
    return request.toCompletionStage().toCompletableFuture().handle((answer, error) -> error)
        .get(30, TimeUnit.SECONDS);
  }
}
