package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made for a test by the running JDK's keytool: a PKCS#12 store holding a 2048-bit RSA key and its
 * self-signed certificate for localhost and 127.0.0.1 (alias {@value #ALIAS}), and the same as PEM files.
 */
final class TestCertificates {

  static final String ALIAS = "node";
  static final String PASSWORD = "test-store-password";

  private TestCertificates() {}

  /** A new PKCS#12 store at {@code store} whose certificate names {@code commonName}. */
  static Path selfSigned(Path store, String commonName) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=" + commonName, "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return store;
  }

  static KeyStore load(Path store) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
  }

  /** The store's certificate in PEM. */
  static String certificatePem(Path store) throws Exception {
    return pem("CERTIFICATE", load(store).getCertificate(ALIAS).getEncoded());
  }

  /** Writes the store's certificate and its private key (PKCS#8) as PEM files. */
  static void writePem(Path store, Path cert, Path key) throws Exception {
    Files.writeString(cert, certificatePem(store));
    Files.writeString(key, pem("PRIVATE KEY", load(store).getKey(ALIAS, PASSWORD.toCharArray()).getEncoded()));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
