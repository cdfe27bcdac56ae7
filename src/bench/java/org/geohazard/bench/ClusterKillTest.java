package org.geohazard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.geohazard.testing.TestImages;

/**
 * The cluster's delivery guarantees under a crash, measured: uploads {@code --images} distinct pictures through
 * the API node of a running cluster ({@code scripts/cluster-demo.sh}) with a client that retries refused or
 * failed requests, {@code kill -9}s one worker when 30 % are accepted, starts a new worker at 60 %, then waits
 * for every accepted image and counts: accepted, analysed (completed), lost (accepted, never completed),
 * analysed more than once (distinct analyses of one image on {@code ml.results}: work redone after the kill),
 * result published again (the same stored result on {@code ml.results} again: a redelivered claim found its
 * image settled and published what follows the save once more) and the client's retries. It also times how long the cluster
 * takes to notice the dead member (its heartbeat going stale, and the cluster manager dropping it) and
 * prints the remote event-bus traffic from the API node's {@code /metrics}. Run by
 * {@code scripts/cluster-kill-test.sh}.
 */
public final class ClusterKillTest {

  private final String api;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, AtomicInteger> resultsSeen = new ConcurrentHashMap<>();
  /** Per image, the distinct analyses published: a result published again is the same document. */
  private final Map<String, Set<String>> analysesSeen = new ConcurrentHashMap<>();
  private final AtomicInteger retries = new AtomicInteger();
  private volatile boolean readerStopped;
  private final AtomicInteger refusedFinally = new AtomicInteger();

  private ClusterKillTest(String api) {
    this.api = api;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int images = Integer.parseInt(options.getOrDefault("images", "500"));
    String api = options.getOrDefault("api", "http://127.0.0.1:8080");
    Path victim = Path.of(options.getOrDefault("kill-pid-file", ".stack/cluster-worker-1.pid"));
    String joinCommand = options.getOrDefault("join-command", "bash scripts/cluster-demo.sh worker 3");
    String bootstrap = options.getOrDefault("kafka", "127.0.0.1:19092");
    new ClusterKillTest(api).run(images, victim, joinCommand, bootstrap);
  }

  private void run(int images, Path victim, String joinCommand, String bootstrap) throws Exception {
    Thread resultsReader = startResultsReader(bootstrap);
    List<String> accepted = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService uploaders = Executors.newFixedThreadPool(8);
    AtomicInteger done = new AtomicInteger();
    long killedAt = 0;
    Process joiner = null;
    boolean joinReported = false;
    long start = System.nanoTime();
    for (int i = 0; i < images; i++) {
      uploaders.submit(() -> {
        String id = uploadWithRetries(TestImages.floodPng());
        if (id != null) {
          accepted.add(id);
        }
        done.incrementAndGet();
      });
    }
    String victimMember = null;
    while (done.get() < images) {
      if (killedAt == 0 && done.get() >= images * 3 / 10) {
        victimMember = memberIdOf(victim);
        long pid = Long.parseLong(Files.readString(victim).trim());
        new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
        killedAt = System.nanoTime();
        System.out.printf("killed worker pid %d after %d uploads%n", pid, done.get());
        long noticed = timeUntilNoticed(victimMember, killedAt);
        System.out.printf(Locale.ROOT, "cluster noticed the dead member: heartbeat stale after %.1f s, member dropped after %.1f s%n",
            staleAfterSeconds, noticed / 1e9);
      }
      if (joiner == null && done.get() >= images * 6 / 10) {
        // Started beside the uploads (it takes seconds to come up), not waited for here.
        System.out.printf("starting a new worker after %d uploads%n", done.get());
        joiner = new ProcessBuilder("bash", "-c", joinCommand).inheritIO().start();
      }
      if (joiner != null && !joinReported && !joiner.isAlive()) {
        joinReported = true;
        System.out.printf("the new worker is up (exit %d) after %d uploads%n", joiner.exitValue(), done.get());
      }
      Thread.sleep(50);
    }
    uploaders.shutdown();
    uploaders.awaitTermination(10, TimeUnit.MINUTES);
    if (joiner != null && !joinReported) {
      joiner.waitFor(2, TimeUnit.MINUTES);
      System.out.printf("the new worker is up after all uploads%n");
    }
    double uploadSeconds = (System.nanoTime() - start) / 1e9;

    // Every accepted image, until completed (or 10 minutes pass).
    Set<String> completed = ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (completed.size() < accepted.size() && System.nanoTime() < deadline) {
      for (String id : List.copyOf(accepted)) {
        if (!completed.contains(id) && "completed".equals(status(id))) {
          completed.add(id);
        }
      }
      if (completed.size() < accepted.size()) {
        Thread.sleep(1000);
      }
    }
    Thread.sleep(3000);  // the last results reach ml.results
    readerStopped = true;  // the reader closes its consumer after its current poll
    resultsReader.join(10_000);
    int twice = 0;
    int publishedAgain = 0;
    for (String id : accepted) {
      AtomicInteger seen = resultsSeen.get(id);
      if (seen != null && seen.get() > 1) {
        publishedAgain++;
      }
      Set<String> analyses = analysesSeen.get(id);
      if (analyses != null && analyses.size() > 1) {
        twice++;
      }
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "uploads sent %d in %.1f s; client retries %d; refused after all retries %d%n",
        images, uploadSeconds, retries.get(), refusedFinally.get());
    System.out.printf("accepted %d | analysed %d | lost %d | analysed more than once %d | result published again %d%n",
        accepted.size(), completed.size(), accepted.size() - completed.size(), twice, publishedAgain);
    System.out.println("accepted ids: " + Path.of("target/cluster-kill-accepted.txt"));
    Files.write(Path.of("target/cluster-kill-accepted.txt"), accepted);
    System.out.println("remote event-bus traffic on the API node's /metrics:");
    metricsLines("vertx_eventbus_bytes").forEach(line -> System.out.println("  " + line));
    if (accepted.size() != completed.size()) {
      System.exit(1);
    }
  }

  private double staleAfterSeconds = Double.NaN;

  /** Polls the API node's cluster view until the victim is stale and then gone; nanoseconds until gone. */
  private long timeUntilNoticed(String member, long killedAt) throws Exception {
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonArray members = new JsonObject(get("/api/v1/cluster").body()).getJsonArray("members");
      JsonObject found = null;
      for (Object m : members) {
        if (((JsonObject) m).getString("node_id").equals(member)) {
          found = (JsonObject) m;
        }
      }
      if (found != null && "stale".equals(found.getString("state")) && Double.isNaN(staleAfterSeconds)) {
        staleAfterSeconds = (System.nanoTime() - killedAt) / 1e9;
      }
      if (found == null) {
        if (Double.isNaN(staleAfterSeconds)) {
          staleAfterSeconds = (System.nanoTime() - killedAt) / 1e9;
        }
        return System.nanoTime() - killedAt;
      }
      Thread.sleep(100);
    }
    return -1;
  }

  /** The node id of the worker whose pid file this is (cluster-<node>.pid). */
  private static String memberIdOf(Path pidFile) {
    String name = pidFile.getFileName().toString();
    return name.substring("cluster-".length(), name.length() - ".pid".length());
  }

  private String uploadWithRetries(byte[] png) {
    for (int attempt = 1; attempt <= 8; attempt++) {
      try {
        HttpResponse<String> response = upload(png);
        if (response.statusCode() == 200 || response.statusCode() == 202) {
          return new JsonObject(response.body()).getString("image_id");
        }
        if (response.statusCode() < 500 && response.statusCode() != 429) {
          refusedFinally.incrementAndGet();
          return null;
        }
      } catch (Exception e) {
        // a node going away mid-request: retried like a 503
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(200L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    refusedFinally.incrementAndGet();
    return null;
  }

  private HttpResponse<String> upload(byte[] png) throws Exception {
    String boundary = "geohazard-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    body.write(png);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/analyze/single"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String status(String id) {
    try {
      HttpResponse<String> response = get("/api/v1/results/" + id);
      return response.statusCode() == 200 ? new JsonObject(response.body()).getString("status") : "unknown";
    } catch (Exception e) {
      return "unknown";
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<String> metricsLines(String prefix) {
    try {
      return get("/metrics").body().lines().filter(l -> l.startsWith(prefix) && !l.startsWith("#")).toList();
    } catch (Exception e) {
      return List.of("(no /metrics: " + e.getMessage() + ")");
    }
  }

  /** Counts every result on ml.results from now on, per image id (the record key). */
  private Thread startResultsReader(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "cluster-kill-test-" + UUID.randomUUID());
    props.put("auto.offset.reset", "latest");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of("ml.results"));
    consumer.poll(Duration.ofSeconds(5));  // joins the group and takes its (latest) positions before uploads start
    Thread reader = new Thread(() -> {
      try (consumer) {
        while (!readerStopped) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
            resultsSeen.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
            Object analysis = new io.vertx.core.json.JsonObject(record.value()).getValue("analysis");
            analysesSeen.computeIfAbsent(record.key(), k -> ConcurrentHashMap.newKeySet()).add(String.valueOf(analysis));
          }
        }
      }
    }, "ml-results-reader");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
