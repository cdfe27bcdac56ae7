package org.geohazard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geohazard.testing.TestImages;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;
import org.geohazard.harness.NodeProcess;

/**
 * A cached read against its limit, in one run: {@code GET /api/v1/results/{id}} of a completed image on a node
 * (the fat jar, stand-in model, 2 API event loops) and the same bytes from {@link BareServer} (a bare Vert.x server
 * on as many event loops), each a process of its own, loaded in turn by one closed-loop client with
 * {@code --connections} keep-alive connections for {@code --seconds} per round, {@code --rounds} rounds
 * alternating. Prints requests/s and p50/p99 per round and the medians, with the ratio node ÷ bare.
 * ({@code scripts/load.sh}.)
 */
public final class ReadLoadBenchmark {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int connections = Integer.parseInt(options.getOrDefault("connections", "32"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    // Seconds of load on each server before the rounds: on these small machines the JIT takes minutes to finish
    // compiling the node's paths (and the S3 SDK's, and s3proxy's), and a short warm-up measures a cold node.
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
    int nodePort = 8095;
    int barePort = 8096;
    try (NodeProcess node = NodeProcess.start(Map.of("GEOHAZARD_HTTP_PORT", Integer.toString(nodePort),
        "GEOHAZARD_NODE_ID", "read-load", "GEOHAZARD_HTTP_INSTANCES", "2"), "768m", "read-load")) {
      LoadClient client = new LoadClient("http://127.0.0.1:" + nodePort);
      node.awaitReady(client, "read-load");
      String imageId = client.uploadWithRetries(TestImages.floodPng());
      while (!"completed".equals(client.status(imageId))) {
        Thread.sleep(100);
      }
      String path = "/api/v1/results/" + imageId;
      String body = client.get(path).body();
      Path bodyFile = Files.createTempFile("read-load-body", ".json");
      Files.writeString(bodyFile, body);
      Process bare = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), BareServer.class.getName(),
          "--body", bodyFile.toString(), "--port", Integer.toString(barePort), "--instances", "2")
          .redirectErrorStream(true).redirectOutput(new File(".stack/logs/bare-server.log")).start();
      Vertx vertx = Vertx.vertx();
      try {
        Thread.sleep(2000);
        System.out.printf(Locale.ROOT, "cached GET of a %d-byte result: %d connections, %d s per round, %d rounds, "
            + "after %d s of warm-up each%n", body.length(), connections, seconds, rounds, warmup);
        // Warm both up (JIT, connection pools, the node's near cache).
        load(vertx, nodePort, path, connections, warmup);
        load(vertx, barePort, path, connections, warmup);
        List<Double> nodeRates = new ArrayList<>();
        List<Double> bareRates = new ArrayList<>();
        List<Double> nodeP99 = new ArrayList<>();
        List<Double> bareP99 = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          ClosedLoop.Result n = load(vertx, nodePort, path, connections, seconds);
          ClosedLoop.Result b = load(vertx, barePort, path, connections, seconds);
          nodeRates.add(n.rate());
          bareRates.add(b.rate());
          nodeP99.add(n.p99Ms());
          bareP99.add(b.p99Ms());
          System.out.printf(Locale.ROOT, "round %d: node %8.0f req/s p50 %5.2f ms p99 %6.2f ms (errors %d) | bare %8.0f"
                  + " req/s p50 %5.2f ms p99 %6.2f ms | ratio %.2f%n", round, n.rate(), n.p50Ms(), n.p99Ms(), n.errors(),
              b.rate(), b.p50Ms(), b.p99Ms(), n.rate() / b.rate());
        }
        double nodeMedian = Stats.median(nodeRates);
        double bareMedian = Stats.median(bareRates);
        System.out.printf(Locale.ROOT, "median: node %.0f req/s (p99 %.2f ms) vs bare Vert.x %.0f req/s (p99 %.2f ms):"
                + " ratio %.2f (goal >= 0.6, p99 < 5 ms)%n", nodeMedian, Stats.median(nodeP99), bareMedian,
            Stats.median(bareP99), nodeMedian / bareMedian);
      } finally {
        vertx.close();
        bare.destroy();
        Files.deleteIfExists(bodyFile);
      }
    }
  }

  /** Closed loop of GETs of {@code path}; a 200 is done. */
  private static ClosedLoop.Result load(Vertx vertx, int port, String path, int connections, int seconds)
      throws Exception {
    ClosedLoop.Request get = new ClosedLoop.Request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path), null);
    return ClosedLoop.run(vertx, port, connections, seconds, () -> get, status -> status == 200);
  }
}
