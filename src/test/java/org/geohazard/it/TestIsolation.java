package org.geohazard.it;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Keeps a test run off the data of a node running on the same stack ({@code scripts/run.sh} beside
 * {@code mvn -B verify}): the run's own Kafka topics and consumer group (named after the run, created here with
 * the stack's partition counts and deleted when the JVM ends), its own database ({@code <name>_test}), Redis
 * logical database 1 (or {@code GEOHAZARD_TEST_REDIS_DATABASE}) and its own bucket ({@code <bucket>-test}). Without this a live node took the tests' claims
 * and analysed them with the real model, its lost-claim sweep republished the tests' images, and a cached answer
 * of one could name an image the other's database does not have.
 */
final class TestIsolation {

  /** Topic config key (as an environment name), the stack's topic name, its partitions in scripts/local-stack.sh. */
  private record Topic(String env, String name, int partitions) {}

  private static final List<Topic> TOPICS = List.of(
      new Topic("GEOHAZARD_KAFKA_TOPIC_PROCESS", "images.process", 8),
      new Topic("GEOHAZARD_KAFKA_TOPIC_PROCESS_HIGH", "images.process.high", 4),
      new Topic("GEOHAZARD_KAFKA_TOPIC_DLQ", "images.process.dlq", 1),
      new Topic("GEOHAZARD_KAFKA_TOPIC_RESULTS", "ml.results", 4),
      new Topic("GEOHAZARD_KAFKA_TOPIC_ALERTS", "alerts.critical", 2),
      new Topic("GEOHAZARD_KAFKA_TOPIC_MONITORING", "system.monitoring", 1));

  private static Map<String, String> overrides;

  private TestIsolation() {}

  /** The settings that isolate this run, made (topics, database) on first use. */
  static synchronized Map<String, String> overrides(Map<String, String> stack) {
    if (overrides == null) {
      String run = "it-" + Long.toString(System.currentTimeMillis(), 36);
      Map<String, String> settings = new HashMap<>();
      List<NewTopic> topics = new ArrayList<>();
      for (Topic topic : TOPICS) {
        String name = run + "." + topic.name();
        settings.put(topic.env(), name);
        topics.add(new NewTopic(name, topic.partitions(), (short) 1));
      }
      settings.put("GEOHAZARD_KAFKA_CONSUMER_GROUP", run + ".inference");
      String database = stack.getOrDefault("GEOHAZARD_DB_NAME", "geohazard") + "_test";
      settings.put("GEOHAZARD_DB_NAME", database);
      // Two checkouts testing at once on one machine (each with its own stack ports and database name) pick
      // different logical databases here, or one run's cached analyses answer the other's uploads.
      settings.put("GEOHAZARD_REDIS_DATABASE", System.getenv().getOrDefault("GEOHAZARD_TEST_REDIS_DATABASE", "1"));
      settings.put("GEOHAZARD_S3_BUCKET", stack.getOrDefault("GEOHAZARD_S3_BUCKET", "geohazard-images") + "-test");
      createTopics(stack.get("GEOHAZARD_KAFKA_BOOTSTRAP"), topics);
      createDatabase(stack, database);
      overrides = Map.copyOf(settings);
    }
    return overrides;
  }

  private static Properties admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
    return props;
  }

  private static void createTopics(String bootstrap, List<NewTopic> topics) {
    try (Admin admin = Admin.create(admin(bootstrap))) {
      admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the test run's topics on " + bootstrap + ": " + e, e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try (Admin admin = Admin.create(admin(bootstrap))) {
        admin.deleteTopics(topics.stream().map(NewTopic::name).toList()).all().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("could not delete the test run's topics: " + e);
      }
    }, "delete-test-topics"));
  }

  private static void createDatabase(Map<String, String> stack, String database) {
    Vertx vertx = Vertx.vertx();
    try {
      MySQLConnectOptions connect = new MySQLConnectOptions()
          .setHost(stack.getOrDefault("GEOHAZARD_DB_HOST", "127.0.0.1"))
          .setPort(Integer.parseInt(stack.getOrDefault("GEOHAZARD_DB_PORT", "3306")))
          .setUser(stack.getOrDefault("GEOHAZARD_DB_USER", "root"))
          .setPassword(stack.getOrDefault("GEOHAZARD_DB_PASSWORD", ""));
      Pool pool = MySQLBuilder.pool().connectingTo(connect).using(vertx).build();
      try {
        // The name comes from the stack's own settings plus a fixed suffix; quoted as an identifier.
        TestNode.await(pool.query("CREATE DATABASE IF NOT EXISTS `" + database.replace("`", "``")
            + "` CHARACTER SET utf8mb4").execute());
      } finally {
        TestNode.await(pool.close());
      }
    } finally {
      TestNode.await(vertx.close());
    }
  }
}
