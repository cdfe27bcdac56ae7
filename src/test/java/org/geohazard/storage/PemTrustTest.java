package org.geohazard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;
import org.geohazard.config.AppConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust of an https object store endpoint (s3.trustCertPath): built from a certificate that the JDK's keytool
 * makes for the test. No TLS object store is part of the local stack, so the handshake itself is not tried here.
 */
class PemTrustTest {

  @TempDir
  Path dir;

  @Test
  void trustsExactlyTheAuthoritiesOfThePemFile() throws Exception {
    X509Certificate authority = selfSigned();
    Path pem = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(authority.getEncoded())
        + "\n-----END CERTIFICATE-----\n");
    X509TrustManager trust = (X509TrustManager) PemTrust.trustManagers(pem)[0];
    assertThat(trust.getAcceptedIssuers()).containsExactly(authority);
    // The store's client takes it (an empty path keeps the JVM's authorities).
    assertThat(S3ObjectStore.httpClient(new AppConfig.S3("https://s3.internal", "us-east-1", "a", "b", "bucket", 2, 0, 0,
        pem.toString())).build()).isNotNull();
  }

  @Test
  void aFileWithoutCertificatesIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> PemTrust.trustManagers(empty)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
  }

  private X509Certificate selfSigned() throws Exception {
    Path store = dir.resolve("ca.p12");
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=test-ca",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "password", "-keypass", "password")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, "password".toCharArray());
    }
    return (X509Certificate) keyStore.getCertificate("ca");
  }
}
