package org.geohazard.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geohazard.config.AppConfig;

/**
 * The node's one Kafka producer, shared by the verticles that publish. Keys are image ids, values
 * are versioned JSON. {@code acks=all} and idempotence: a record the broker acknowledged survives a
 * broker restart, and a retried send does not duplicate it.
 */
public final class KafkaPublisher implements AutoCloseable {

  private final KafkaProducer<String, String> producer;
  private KafkaClientMetrics metrics;

  public KafkaPublisher(Vertx vertx, AppConfig.Kafka config) {
    this.producer = KafkaProducer.createShared(vertx, "geohazard-producer", producerConfig(config));
  }

  /** The producer's settings, each with its reason; Kafka's own {@code ProducerConfig} validates them in a test. */
  static Map<String, String> producerConfig(AppConfig.Kafka config) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", config.bootstrap());
    // By name: the Kafka client is vertx-kafka-client's dependency, not one this code compiles against.
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    // Fail an upload with 503 within seconds when the broker is away, instead of holding the client.
    props.put("max.block.ms", "5000");
    props.put("delivery.timeout.ms", "15000");
    props.put("request.timeout.ms", "5000");
    // Latency first (see kafka.producerLingerMs): under load records still share requests, gathering
    // while earlier ones are in flight.
    props.put("linger.ms", Integer.toString(config.producerLingerMs()));
    props.put("client.id", "geohazard-producer");
    props.putAll(securityConfig(config.tls()));
    return props;
  }

  /**
   * The TLS settings of a Kafka client (producer and consumer alike): none for PLAINTEXT; for SSL the protocol and,
   * when configured, the trust store (PEM for .pem/.crt files, else PKCS#12 or JKS as the JVM reads it). Kafka
   * verifies the broker's host name by default.
   */
  public static Map<String, String> securityConfig(AppConfig.KafkaTls tls) {
    Map<String, String> props = new HashMap<>();
    if (!tls.securityProtocol().equals("SSL")) {
      return props;
    }
    props.put("security.protocol", "SSL");
    if (!tls.trustStorePath().isEmpty()) {
      String path = tls.trustStorePath();
      String lower = path.toLowerCase(Locale.ROOT);
      boolean pem = lower.endsWith(".pem") || lower.endsWith(".crt");
      props.put("ssl.truststore.location", path);
      props.put("ssl.truststore.type", pem ? "PEM" : lower.endsWith(".jks") ? "JKS" : "PKCS12");
      if (!pem && !tls.trustStorePassword().isEmpty()) {
        props.put("ssl.truststore.password", tls.trustStorePassword());
      }
    }
    return props;
  }

  /**
   * The producer's own meters on /metrics (requests, records sent, batch sizes, request latency): what the broker is
   * asked per image, beside the consumer's meters.
   */
  public synchronized void bindMetrics(MeterRegistry registry) {
    if (metrics == null) {
      metrics = new KafkaClientMetrics(producer.unwrap());
      metrics.bindTo(registry);
    }
  }

  public Future<Void> send(String topic, String key, JsonObject value) {
    return producer.send(record(topic, key, value)).mapEmpty();
  }

  /** One record: keyed by the image id, so that one image's records stay in order on one partition. */
  static KafkaProducerRecord<String, String> record(String topic, String key, JsonObject value) {
    return KafkaProducerRecord.create(topic, key, value.encode());
  }

  /** Broker reachability: metadata for one topic. */
  public Future<Integer> partitionCount(String topic) {
    return producer.partitionsFor(topic).map(List::size);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (metrics != null) {
        metrics.close();
      }
    }
    producer.close();
  }
}
