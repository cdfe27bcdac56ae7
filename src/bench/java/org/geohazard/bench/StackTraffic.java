package org.geohazard.bench;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What the node asks of the stack per analysed image, counted where it can be told apart from other users of the
 * same servers: the node's own SQL statements and Redis commands (Vert.x's client meters in the node's registry:
 * one count per command the client sent), its Kafka clients' requests (their own meters), the records written to
 * each topic of this stack's broker (the end offsets of every partition, {@code __consumer_offsets} included: one
 * record there per partition position committed), and what the node's threads allocated on the heap. MariaDB's own
 * {@code Com_*} counters are read too, but they are the whole server's, which other sessions may share: a
 * cross-check on a quiet machine only.
 */
final class StackTraffic {

  /** Counts at one instant, by name. */
  record Snapshot(Map<String, Double> counts) {}

  private static final List<String> KAFKA_COUNTS = List.of("kafka.producer.request.total",
      "kafka.producer.record.send.total", "kafka.consumer.fetch.manager.fetch.total",
      "kafka.consumer.coordinator.commit.total", "kafka.consumer.request.total");

  private final MeterRegistry registry;
  private final String bootstrap;
  private final String dbHost;
  private final String dbPort;

  StackTraffic(MeterRegistry registry, Map<String, String> stackEnv) {
    this.registry = registry;
    this.bootstrap = stackEnv.get("GEOHAZARD_KAFKA_BOOTSTRAP");
    this.dbHost = stackEnv.getOrDefault("GEOHAZARD_DB_HOST", "127.0.0.1");
    this.dbPort = stackEnv.getOrDefault("GEOHAZARD_DB_PORT", "3306");
  }

  Snapshot snapshot() {
    Map<String, Double> counts = new TreeMap<>();
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      // vertx.sql.processing.time / vertx.redis.processing.time: one timing per command sent.
      if (meter instanceof Timer timer && name.endsWith("processing.time") && !name.contains("http")) {
        counts.merge("node " + name.replace(".processing.time", "").replace("vertx.", "") + " commands",
            (double) timer.count(), Double::sum);
      }
    }
    // The Kafka clients' own request counts (KafkaClientMetrics on the node's producer and consumer).
    for (String name : KAFKA_COUNTS) {
      registry.find(name).functionCounters().forEach(counter -> counts.merge("node " + name, counter.count(),
          Double::sum));
    }
    counts.put("node heap allocated, MB (live threads)", allocatedBytes() / 1e6);
    counts.putAll(topicRecords());
    counts.putAll(mariaDbCounters());
    return new Snapshot(counts);
  }

  /** Per image between two snapshots, only what moved; "whole server" rows marked. */
  static List<String> between(Snapshot before, Snapshot after, long images) {
    List<String> lines = new ArrayList<>();
    after.counts().forEach((name, value) -> {
      double delta = value - before.counts().getOrDefault(name, 0.0);
      if (delta > 0) {
        lines.add(String.format(Locale.ROOT, "%-48s %8.2f", name, delta / images));
      }
    });
    return lines;
  }

  /**
   * Bytes allocated on the Java heap so far by this JVM's live threads, less the benchmark's client: what the node's
   * collector has to clear. Threads that ended are not counted (the node's pools and clients live as long as it).
   */
  private static double allocatedBytes() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
        || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
      return 0;
    }
    double total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (!thread.getName().startsWith("bench-client")) {
        total += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
      }
    }
    return total;
  }

  private Map<String, Double> topicRecords() {
    Map<String, Double> records = new HashMap<>();
    if (bootstrap == null) {
      return records;
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-traffic");
    try (Admin admin = Admin.create(props)) {
      var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
      Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
      topics.values().forEach(topic -> topic.partitions().forEach(partition ->
          wanted.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(wanted).all().get(10, TimeUnit.SECONDS);
      ends.forEach((partition, info) -> records.merge("broker records to " + partition.topic(),
          (double) info.offset(), Double::sum));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("[bench] topic offsets not read: " + e.getMessage());
    }
    return records;
  }

  /** MariaDB's Com_* counters of the whole server, through the mysql client when it is installed. */
  private Map<String, Double> mariaDbCounters() {
    Map<String, Double> counters = new HashMap<>();
    try {
      Process mysql = new ProcessBuilder("mysql", "-uroot", "-h" + dbHost, "-P" + dbPort, "-N", "-B", "-e",
          "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_execute','Com_begin','Com_commit','Com_select',"
              + "'Com_insert','Com_update','Com_delete','Com_set_option','Questions')")
          .redirectErrorStream(true).start();
      String out = new String(mysql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (mysql.waitFor(10, TimeUnit.SECONDS) && mysql.exitValue() == 0) {
        for (String line : out.split("\n")) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length == 2) {
            counters.put("mariadb (whole server) " + fields[0], Double.parseDouble(fields[1]));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no mysql client: the node's own counts above still say it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return counters;
  }
}
