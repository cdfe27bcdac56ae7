package org.geohazard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductionReadinessTest {

  @TempDir
  Path dir;

  /** A production configuration with every finding addressed (the certificate files only need to be readable). */
  private Map<String, String> production() throws Exception {
    Path cert = Files.writeString(dir.resolve("node.crt"), "certificate");
    Path key = Files.writeString(dir.resolve("node.key"), "key");
    Map<String, String> env = new HashMap<>();
    env.put("GEOHAZARD_NODE_MODE", "production");
    env.put("GEOHAZARD_HTTP_ADMIN_TOKEN", "a-long-enough-admin-token");
    env.put("GEOHAZARD_HTTP_TLS_CERT_PATH", cert.toString());
    env.put("GEOHAZARD_HTTP_TLS_KEY_PATH", key.toString());
    env.put("GEOHAZARD_DB_USER", "geohazard_app");
    env.put("GEOHAZARD_DB_PASSWORD", "db-secret");
    env.put("GEOHAZARD_REDIS_PASSWORD", "redis-secret");
    env.put("GEOHAZARD_S3_ACCESS_KEY", "AKIAPRODUCTION");
    env.put("GEOHAZARD_S3_SECRET_KEY", "s3-production-secret");
    return env;
  }

  private static AppConfig config(Map<String, String> env) {
    return AppConfig.fromJson(ConfigLoader.load(null, env, new Properties()));
  }

  private Map<String, String> productionWith(String key, String value) throws Exception {
    Map<String, String> env = production();
    env.put(key, value);
    return env;
  }

  @Test
  void aFullySetProductionConfigurationStarts() throws Exception {
    AppConfig config = config(production());
    assertThat(config.node().mode()).isEqualTo(AppConfig.Mode.PRODUCTION);
    assertThat(config.productionFindings()).isEmpty();
  }

  @Test
  void theShippedDefaultsAreRefusedInProductionWithEveryOffendingKeyInOneMessage() {
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_NODE_MODE", "production")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContainingAll("node.mode is production", "http.adminToken", "http.tls", "db.password", "db.user",
            "redis.password", "s3.accessKey", "s3.secretKey");
  }

  @Test
  void developmentStartsWithTheSameFindingsListed() {
    AppConfig config = config(Map.of());
    assertThat(config.node().mode()).isEqualTo(AppConfig.Mode.DEVELOPMENT);
    assertThat(config.productionFindings()).hasSize(7)
        .anyMatch(f -> f.startsWith("http.adminToken")).anyMatch(f -> f.startsWith("s3.secretKey"));
  }

  @Test
  void eachSettingIsRefusedOnItsOwn() throws Exception {
    Map<String, String> rejections = new HashMap<>();
    rejections.put("GEOHAZARD_HTTP_ADMIN_TOKEN", "http.adminToken");
    rejections.put("GEOHAZARD_DB_PASSWORD", "db.password");
    rejections.put("GEOHAZARD_REDIS_PASSWORD", "redis.password");
    rejections.put("GEOHAZARD_S3_ACCESS_KEY", "s3.accessKey");
    rejections.put("GEOHAZARD_S3_SECRET_KEY", "s3.secretKey");
    for (Map.Entry<String, String> rejection : rejections.entrySet()) {
      // blank
      assertThatThrownBy(() -> config(productionWith(rejection.getKey(), "")))
          .as(rejection.getKey()).hasMessageContaining(rejection.getValue())
          .satisfies(e -> assertThat(findingsIn(e.getMessage())).hasSize(1));
    }
    for (String user : List.of("root", "ROOT", "")) {
      assertThatThrownBy(() -> config(productionWith("GEOHAZARD_DB_USER", user))).hasMessageContaining("db.user");
    }
    assertThatThrownBy(() -> config(productionWith("GEOHAZARD_S3_ACCESS_KEY", "geohazard")))
        .hasMessageContaining("s3.accessKey");
    assertThatThrownBy(() -> config(productionWith("GEOHAZARD_S3_SECRET_KEY", "geohazard-secret")))
        .hasMessageContaining("s3.secretKey");
    assertThatThrownBy(() -> config(productionWith("GEOHAZARD_SECURITY_ANONYMOUS_SCOPES", "read,upload,publish")))
        .hasMessageContaining("security.anonymousScopes contains publish");
    Map<String, String> plainHttp = production();
    plainHttp.remove("GEOHAZARD_HTTP_TLS_CERT_PATH");
    plainHttp.remove("GEOHAZARD_HTTP_TLS_KEY_PATH");
    assertThatThrownBy(() -> config(plainHttp)).hasMessageContaining("http.tls is off");
  }

  @Test
  void aPkcs12KeyStoreCountsAsTls() throws Exception {
    Map<String, String> env = production();
    env.remove("GEOHAZARD_HTTP_TLS_CERT_PATH");
    env.remove("GEOHAZARD_HTTP_TLS_KEY_PATH");
    env.put("GEOHAZARD_HTTP_TLS_KEY_STORE_PATH", Files.writeString(dir.resolve("node.p12"), "store").toString());
    env.put("GEOHAZARD_HTTP_TLS_KEY_STORE_PASSWORD", "changeit");
    AppConfig config = config(env);
    assertThat(config.http().tls().enabled()).isTrue();
    assertThat(config.http().toString()).doesNotContain("changeit");
  }

  @Test
  void tlsSettingsThatCannotWorkStopTheNodeWithTheKey() throws Exception {
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_HTTP_TLS_CERT_PATH", production().get(
        "GEOHAZARD_HTTP_TLS_CERT_PATH")))).hasMessageContaining("http.tls.certPath and http.tls.keyPath go together");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_HTTP_TLS_KEY_STORE_PATH", dir.resolve("absent.p12").toString())))
        .hasMessageContaining("http.tls.keyStorePath: cannot read");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_NODE_MODE", "staging")))
        .hasMessageContaining("node.mode: 'staging'");
  }

  @Test
  void aClusteredNodeNeedsEventBusTlsInProduction() throws Exception {
    Map<String, String> clustered = productionWith("GEOHAZARD_CLUSTER_ENABLED", "true");
    assertThatThrownBy(() -> config(clustered)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.enabled without cluster.tls")
        .satisfies(e -> assertThat(findingsIn(e.getMessage())).hasSize(1));
    // Development starts and lists it; a standalone production node does not need it.
    clustered.put("GEOHAZARD_NODE_MODE", "development");
    assertThat(config(clustered).productionFindings()).containsExactly("cluster.enabled without cluster.tls (set"
        + " cluster.tls.certPath/keyPath or keyStorePath, and cluster.tls.trustCertPath or trustStorePath)");
    assertThat(config(production()).productionFindings()).isEmpty();

    Map<String, String> pem = productionWith("GEOHAZARD_CLUSTER_ENABLED", "true");
    pem.put("GEOHAZARD_CLUSTER_TLS_CERT_PATH", pem.get("GEOHAZARD_HTTP_TLS_CERT_PATH"));
    pem.put("GEOHAZARD_CLUSTER_TLS_KEY_PATH", pem.get("GEOHAZARD_HTTP_TLS_KEY_PATH"));
    pem.put("GEOHAZARD_CLUSTER_TLS_TRUST_CERT_PATH", Files.writeString(dir.resolve("nodes.pem"), "ca").toString());
    AppConfig withPem = config(pem);
    assertThat(withPem.cluster().tls().enabled()).isTrue();
    assertThat(withPem.productionFindings()).isEmpty();

    Map<String, String> pkcs12 = productionWith("GEOHAZARD_CLUSTER_ENABLED", "true");
    pkcs12.put("GEOHAZARD_CLUSTER_TLS_KEY_STORE_PATH", Files.writeString(dir.resolve("n.p12"), "s").toString());
    pkcs12.put("GEOHAZARD_CLUSTER_TLS_KEY_STORE_PASSWORD", "store-secret");
    pkcs12.put("GEOHAZARD_CLUSTER_TLS_TRUST_STORE_PATH", Files.writeString(dir.resolve("t.p12"), "t").toString());
    pkcs12.put("GEOHAZARD_CLUSTER_TLS_TRUST_STORE_PASSWORD", "trust-secret");
    AppConfig withPkcs12 = config(pkcs12);
    assertThat(withPkcs12.productionFindings()).isEmpty();
    assertThat(withPkcs12.cluster().toString()).doesNotContain("store-secret").doesNotContain("trust-secret");
  }

  @Test
  void eventBusTlsSettingsThatCannotWorkStopTheNodeWithTheKey() throws Exception {
    String cert = production().get("GEOHAZARD_HTTP_TLS_CERT_PATH");
    String key = production().get("GEOHAZARD_HTTP_TLS_KEY_PATH");
    // A certificate with nobody to check the peers against (or the reverse) would not be mutual.
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_CLUSTER_TLS_CERT_PATH", cert, "GEOHAZARD_CLUSTER_TLS_KEY_PATH",
        key))).hasMessageContaining("cluster.tls needs both");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_CLUSTER_TLS_TRUST_CERT_PATH", cert)))
        .hasMessageContaining("cluster.tls needs both");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_CLUSTER_TLS_CERT_PATH", cert)))
        .hasMessageContaining("cluster.tls.certPath and cluster.tls.keyPath go together");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_CLUSTER_TLS_KEY_STORE_PATH", dir.resolve("absent.p12")
        .toString(), "GEOHAZARD_CLUSTER_TLS_TRUST_CERT_PATH", cert)))
        .hasMessageContaining("cluster.tls.keyStorePath: cannot read");
    assertThatThrownBy(() -> config(Map.of("GEOHAZARD_CLUSTER_INTERFACES", "10.0.*.*,eth0")))
        .hasMessageContaining("cluster.interfaces");
    assertThat(config(Map.of("GEOHAZARD_CLUSTER_INTERFACES", "10.0.*.*, 192.168.1.4-18")).cluster().interfaces())
        .containsExactly("10.0.*.*", "192.168.1.4-18");
  }

  /** The findings part of a refusal message: "...: a; b; c (set node.mode ...)". */
  private static List<String> findingsIn(String message) {
    String list = message.substring(message.indexOf("fit for it: ") + "fit for it: ".length(),
        message.lastIndexOf(" (set node.mode"));
    return List.of(list.split("; "));
  }
}
