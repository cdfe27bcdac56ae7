package org.geohazard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void derivesEnvironmentNamesFromKeyPaths() {
    assertThat(ConfigLoader.envName("kafka.bootstrap")).isEqualTo("GEOHAZARD_KAFKA_BOOTSTRAP");
    assertThat(ConfigLoader.envName("db.poolSize")).isEqualTo("GEOHAZARD_DB_POOL_SIZE");
    assertThat(ConfigLoader.envName("s3.accessKey")).isEqualTo("GEOHAZARD_S3_ACCESS_KEY");
    assertThat(ConfigLoader.envName("rateLimit.requestsPerWindow")).isEqualTo("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW");
  }

  @Test
  void defaultsValidateIntoAConfig() {
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.kafka().topicProcess()).isEqualTo("images.process");
    assertThat(config.node().roles()).containsExactlyInAnyOrder(AppConfig.Role.values());
    assertThat(config.model().classNames()).containsExactly("landslide", "flood", "water_body", "vegetation_loss");
  }

  /**
   * Retention and the per-client caps and cost quotas ship on, with safe defaults, except deleting uploads by age,
   * which a deployment decides; each can be changed from the environment and a nonsensical value stops the node.
   */
  @Test
  void retentionCapsAndCostQuotasHaveSafeDefaults() {
    AppConfig defaults = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
    assertThat(defaults.retention()).isEqualTo(new AppConfig.Retention(0, 90, 90, 30, 3_600_000));
    assertThat(defaults.rateLimit().bytesPerWindow()).isEqualTo(4L << 30);
    assertThat(defaults.rateLimit().pixelsPerWindow()).isEqualTo(2_000_000_000L);
    assertThat(defaults.rateLimit().streamsPerClient()).isEqualTo(5);
    assertThat(defaults.rateLimit().webhooksPerKey()).isEqualTo(20);
    AppConfig changed = AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_RETENTION_UPLOAD_DAYS", "365",
        "GEOHAZARD_RATE_LIMIT_PIXELS_PER_WINDOW", "0"), new Properties()));
    assertThat(changed.retention().uploadDays()).isEqualTo(365);
    assertThat(changed.rateLimit().pixelsPerWindow()).as("0: not limited").isZero();
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_RETENTION_USAGE_DAYS", "-1"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("retention");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null,
        Map.of("GEOHAZARD_RATE_LIMIT_STREAMS_PER_CLIENT", "0"), new Properties())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("streamsPerClient");
  }

  @Test
  void environmentOverridesFileAndSystemPropertiesOverrideEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "http:\n  port: 9000\ndb:\n  host: db.example\n");
    Properties properties = new Properties();
    properties.setProperty("geohazard.db.host", "from-property");
    JsonObject json = ConfigLoader.load(file, Map.of("GEOHAZARD_HTTP_PORT", "9100", "GEOHAZARD_DB_HOST", "from-env",
        "GEOHAZARD_NODE_ROLES", "api, alerts", "GEOHAZARD_MODEL_CONF_THRESHOLD", "0.4"), properties);
    AppConfig config = AppConfig.fromJson(json);
    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.db().host()).isEqualTo("from-property");
    assertThat(config.node().roles()).containsExactlyInAnyOrder(AppConfig.Role.API, AppConfig.Role.ALERTS);
    assertThat(config.model().confThreshold()).isEqualTo(0.4f);
    assertThat(AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_MODEL_CUDA_DEVICES", "1, 3"),
        new Properties())).model().cudaDevices()).containsExactly(1, 3);
  }

  @Test
  void unknownKeyInFileStopsWithItsName(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "kafka:\n  bootstrapp: x:1\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of(), new Properties()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrapp");
  }

  @Test
  void mistypedEnvironmentValueStopsWithTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GEOHAZARD_HTTP_PORT", "eighty"), new Properties()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
  }

  @Test
  void invalidValuesAreRefusedByTheRecords() {
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_BATCHER_MAX_BATCH", "0"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("batcher.maxBatch");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null,
        Map.of("GEOHAZARD_MODEL_EXECUTION_PROVIDER", "tpu"), new Properties())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("executionProvider");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_NODE_ROLES", "api,gpu"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("gpu");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_MODEL_CUDA_DEVICES", "0,0"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("cudaDevices");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_MODEL_CUDA_DEVICES", "0,gpu1"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("gpu1");
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_ALERTS_MIN_RISK_LEVEL", "low"),
        new Properties()))).isInstanceOf(ConfigException.class).hasMessageContaining("minRiskLevel");
  }

  @Test
  void theAdminTokenNeverAppearsInALoggedConfiguration() {
    String token = "s3cr3t-admin-token-value";
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, Map.of("GEOHAZARD_HTTP_ADMIN_TOKEN", token),
        new Properties()));
    assertThat(config.http().adminToken()).isEqualTo(token);
    assertThat(config.http().toString()).doesNotContain(token).contains("adminToken=(set)");
    assertThat(config.toString()).doesNotContain(token);
  }

  @Test
  void anonymousCallersAreNeverOperatorsAndDoNotPublishByDefault() {
    AppConfig defaults = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
    assertThat(defaults.security().anonymousScopes()).containsExactlyInAnyOrder(org.geohazard.auth.Scope.READ,
        org.geohazard.auth.Scope.UPLOAD);
    assertThat(defaults.security().trustedProxies()).isEmpty();
    assertThatThrownBy(() -> AppConfig.fromJson(ConfigLoader.load(null,
        Map.of("GEOHAZARD_SECURITY_ANONYMOUS_SCOPES", "read,operate"), new Properties())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("security.anonymousScopes");
  }
}
