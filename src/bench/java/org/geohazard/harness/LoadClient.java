package org.geohazard.harness;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The client side of the delivery measurements (the cluster kill test and the fault suite): uploads that retry
 * what a careful client retries (5xx, 429, a connection that fails) for up to {@link #RETRY_FOR}, the answers it
 * got, a reader of {@code ml.results} counting each image's results, and the final count once every accepted
 * image has settled.
 */
public final class LoadClient {

  /** How long one upload keeps trying: longer than the outages the fault suite makes (30 s). */
  public static final Duration RETRY_FOR = Duration.ofSeconds(90);

  /** What became of the accepted images. */
  public record Outcome(int sent, int accepted, int analysed, int failed, int lost, int analysedTwice,
                        int publishedAgain, int serverErrors, int connectionErrors, int retries, int refused) {
    public String line() {
      return String.format(Locale.ROOT, "sent %d | accepted %d | analysed %d | failed %d | lost %d | analysed twice %d"
              + " | result published again %d | 5xx answers %d | connection errors %d | client retries %d"
              + " | refused after retries %d", sent, accepted, analysed, failed, lost, analysedTwice, publishedAgain,
          serverErrors, connectionErrors, retries, refused);
    }
  }

  private final String api;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, AtomicInteger> resultsSeen = new ConcurrentHashMap<>();
  /** Per image, the distinct analyses published: a result published again is the same document. */
  private final Map<String, Set<String>> analysesSeen = new ConcurrentHashMap<>();
  public final AtomicInteger retries = new AtomicInteger();
  public final AtomicInteger refusedFinally = new AtomicInteger();
  public final AtomicInteger serverErrors = new AtomicInteger();
  public final AtomicInteger connectionErrors = new AtomicInteger();
  private volatile boolean readerStopped;
  private Thread reader;

  public LoadClient(String api) {
    this.api = api;
  }

  /** {@code images} distinct pictures being uploaded by {@code clients} threads. */
  public static final class Uploads {
    public final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    public final AtomicInteger done = new AtomicInteger();
    private final ExecutorService pool;

    private Uploads(ExecutorService pool) {
      this.pool = pool;
    }

    /** Waits until every upload is accepted or refused for good. */
    public void awaitAll() throws InterruptedException {
      pool.awaitTermination(30, TimeUnit.MINUTES);
    }
  }

  /** Starts uploading {@code images} distinct pictures ({@code picture} makes each) with {@code clients} threads. */
  public Uploads startUploads(int images, int clients, Supplier<byte[]> picture) {
    Uploads uploads = new Uploads(Executors.newFixedThreadPool(clients));
    for (int i = 0; i < images; i++) {
      uploads.pool.submit(() -> {
        String id = uploadWithRetries(picture.get());
        if (id != null) {
          uploads.accepted.add(id);
        }
        uploads.done.incrementAndGet();
      });
    }
    uploads.pool.shutdown();
    return uploads;
  }

  /** Uploads one picture until it is accepted (its image id) or refused for good (null). */
  public String uploadWithRetries(byte[] png) {
    long deadline = System.nanoTime() + RETRY_FOR.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response = upload(png);
        if (response.statusCode() == 200 || response.statusCode() == 202) {
          return new JsonObject(response.body()).getString("image_id");
        }
        if (response.statusCode() >= 500) {
          serverErrors.incrementAndGet();
        } else if (response.statusCode() != 429) {
          refusedFinally.incrementAndGet();
          return null;
        }
      } catch (Exception e) {
        // a node going away mid-request, or refusing connections: retried like a 503
        connectionErrors.incrementAndGet();
      }
      if (System.nanoTime() > deadline) {
        refusedFinally.incrementAndGet();
        return null;
      }
      retries.incrementAndGet();
      try {
        Thread.sleep(Math.min(2000L, 200L * attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
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

  public String status(String id) {
    try {
      HttpResponse<String> response = get("/api/v1/results/" + id);
      return response.statusCode() == 200 ? new JsonObject(response.body()).getString("status") : "unknown";
    } catch (Exception e) {
      return "unknown";
    }
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Whether the node answers its readiness check. */
  public boolean ready() {
    try {
      return get("/api/v1/health/ready").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  public List<String> metricsLines(String prefix) {
    try {
      return get("/metrics").body().lines().filter(l -> l.startsWith(prefix) && !l.startsWith("#")).toList();
    } catch (Exception e) {
      return List.of("(no /metrics: " + e.getMessage() + ")");
    }
  }

  /** Counts every result on {@code topic} from now on, per image id (the record key). */
  public void startResultsReader(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "load-client-" + UUID.randomUUID());
    props.put("auto.offset.reset", "latest");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of(topic));
    consumer.poll(Duration.ofSeconds(5));  // joins the group and takes its (latest) positions before uploads start
    reader = new Thread(() -> {
      try (consumer) {
        while (!readerStopped) {
          try {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
              resultsSeen.computeIfAbsent(record.key(), k -> new AtomicInteger()).incrementAndGet();
              Object analysis = new JsonObject(record.value()).getValue("analysis");
              analysesSeen.computeIfAbsent(record.key(), k -> ConcurrentHashMap.newKeySet()).add(String.valueOf(analysis));
            }
          } catch (RuntimeException e) {
            // the broker restarting under the fault suite: the consumer reconnects on the next poll
          }
        }
      }
    }, "ml-results-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits (up to {@code timeout}) until every accepted image is completed or failed, then counts. */
  public Outcome settle(int sent, List<String> accepted, Duration timeout) throws InterruptedException {
    Set<String> completed = ConcurrentHashMap.newKeySet();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (completed.size() + failed.size() < accepted.size() && System.nanoTime() < deadline) {
      for (String id : List.copyOf(accepted)) {
        if (completed.contains(id) || failed.contains(id)) {
          continue;
        }
        String status = status(id);
        if ("completed".equals(status)) {
          completed.add(id);
        } else if ("failed".equals(status)) {
          failed.add(id);
        }
      }
      if (completed.size() + failed.size() < accepted.size()) {
        Thread.sleep(1000);
      }
    }
    Thread.sleep(3000);  // the last results reach ml.results
    readerStopped = true;  // the reader closes its consumer after its current poll
    if (reader != null) {
      reader.join(TimeUnit.SECONDS.toMillis(10));
    }
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
    return new Outcome(sent, accepted.size(), completed.size(), failed.size(),
        accepted.size() - completed.size() - failed.size(), twice, publishedAgain, serverErrors.get(),
        connectionErrors.get(), retries.get(), refusedFinally.get());
  }
}
