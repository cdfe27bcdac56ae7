package org.geohazard.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/** The pure parts of {@link KafkaPublisher}: its producer settings and its records (sending is covered by the ITs). */
class KafkaPublisherTest {

  private static AppConfig.Kafka kafka(Map<String, String> env) {
    return AppConfig.fromJson(ConfigLoader.load(null, env, new Properties())).kafka();
  }

  @Test
  void producerSettingsAreOnesKafkaKnowsAndAccepts() {
    Map<String, String> settings = KafkaPublisher.producerConfig(kafka(Map.of()));
    assertThat(ProducerConfig.configNames()).containsAll(settings.keySet());
    // Kafka's own parsing: a bad value (or a serializer class that is not there) throws a ConfigException.
    ProducerConfig parsed = new ProducerConfig(new HashMap<>(settings));
    assertThat(parsed.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
    assertThat(parsed.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1"); // "all"
  }

  @Test
  void aSendFailsWithinSecondsWhenTheBrokerIsAway() {
    Map<String, String> settings = KafkaPublisher.producerConfig(kafka(Map.of()));
    assertThat(Long.parseLong(settings.get("max.block.ms"))).isLessThanOrEqualTo(5_000);
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms; ProducerConfig above checks the types.
    assertThat(Long.parseLong(settings.get("delivery.timeout.ms")))
        .isGreaterThanOrEqualTo(Long.parseLong(settings.get("linger.ms")) + Long.parseLong(settings.get("request.timeout.ms")))
        .isLessThanOrEqualTo(15_000);
  }

  @Test
  void bootstrapAndLingerComeFromTheConfig() {
    Map<String, String> settings = KafkaPublisher.producerConfig(kafka(Map.of(
        "GEOHAZARD_KAFKA_BOOTSTRAP", "broker-1:9092,broker-2:9092", "GEOHAZARD_KAFKA_PRODUCER_LINGER_MS", "7")));
    assertThat(settings).containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
        .containsEntry("linger.ms", "7");
  }

  @Test
  void aRecordIsKeyedByImageIdAndCarriesTheJsonValue() {
    JsonObject value = new JsonObject().put("version", 1).put("image_id", "img-1").put("status", "completed");
    KafkaProducerRecord<String, String> record = KafkaPublisher.record("ml.results", "img-1", value);
    assertThat(record.topic()).isEqualTo("ml.results");
    assertThat(record.key()).isEqualTo("img-1");
    assertThat(new JsonObject(record.value())).isEqualTo(value);
    assertThat(record.partition()).as("the partition is chosen by key, not fixed").isNull();
    assertThat(record.headers()).isEmpty();
  }

  @Test
  void plaintextByDefaultAndSslWithTheTrustStoreWhenConfigured(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    assertThat(KafkaPublisher.producerConfig(kafka(Map.of()))).doesNotContainKey("security.protocol");
    String pem = java.nio.file.Files.writeString(dir.resolve("brokers-ca.pem"), "ca").toString();
    Map<String, String> settings = KafkaPublisher.producerConfig(kafka(Map.of("GEOHAZARD_KAFKA_SECURITY_PROTOCOL", "ssl",
        "GEOHAZARD_KAFKA_TRUST_STORE_PATH", pem)));
    assertThat(settings).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.location", pem)
        .containsEntry("ssl.truststore.type", "PEM").doesNotContainKey("ssl.truststore.password");
    // Kafka's own parsing of the producer's and the consumer's settings accepts them.
    assertThat(new ProducerConfig(new HashMap<>(settings)).getString("security.protocol")).isEqualTo("SSL");
    assertThat(org.apache.kafka.clients.consumer.ConsumerConfig.configNames())
        .containsAll(KafkaPublisher.securityConfig(kafka(Map.of("GEOHAZARD_KAFKA_SECURITY_PROTOCOL", "SSL",
            "GEOHAZARD_KAFKA_TRUST_STORE_PATH", pem)).tls()).keySet());
    String p12 = java.nio.file.Files.writeString(dir.resolve("brokers.p12"), "store").toString();
    assertThat(KafkaPublisher.securityConfig(kafka(Map.of("GEOHAZARD_KAFKA_SECURITY_PROTOCOL", "SSL",
        "GEOHAZARD_KAFKA_TRUST_STORE_PATH", p12, "GEOHAZARD_KAFKA_TRUST_STORE_PASSWORD", "changeit")).tls()))
        .containsEntry("ssl.truststore.type", "PKCS12").containsEntry("ssl.truststore.password", "changeit");
  }

  @Test
  void aTrustStoreWithoutSslOrAnUnknownProtocolIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "ca").toString();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kafka(Map.of("GEOHAZARD_KAFKA_TRUST_STORE_PATH", pem)))
        .hasMessageContaining("kafka.securityProtocol is not SSL");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> kafka(Map.of("GEOHAZARD_KAFKA_SECURITY_PROTOCOL",
        "SASL_SSL"))).hasMessageContaining("kafka.securityProtocol must be PLAINTEXT or SSL");
  }
}
