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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geohazard.testing.TestImages;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;
import org.geohazard.harness.NodeProcess;

/**
 * A cached read against its limit, in one run: {@code GET /api/v1/results/{id}} of a completed image on a node
 * (the fat jar, stand-in model, 2 API event loops) and the same bytes from {@link BareServer} (a bare Vert.x server
 * on as many event loops), each a process of its own, loaded in turn by one closed-loop client with
 * {@code --connections} keep-alive connections for {@code --seconds} per round, {@code --rounds} rounds
 * alternating. Prints requests/s and p50/p99 per round and the medians, with the ratio node ÷ bare, and each
 * server's CPU milliseconds per request in the round (its process's user + system time from {@code /proc}, which
 * other load on shared cores inflates far less than it does the rates). {@code --client wrk} loads with wrk
 * ({@code wrk -t1 -cN --latency}, installed by {@code scripts/local-stack.sh up}) instead of the Vert.x
 * closed-loop client: a C client that takes less of the shared cores from the servers.
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
    boolean wrk = "wrk".equals(options.getOrDefault("client", "vertx"));
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
        System.out.printf(Locale.ROOT, "cached GET of a %d-byte result: %d connections (%s), %d s per round, %d rounds, "
            + "after %d s of warm-up each%n", body.length(), connections, wrk ? "wrk" : "Vert.x client", seconds,
            rounds, warmup);
        Loader loader = (port, s) -> wrk ? wrk(port, path, connections, s) : load(vertx, port, path, connections, s);
        // Warm both up (JIT, connection pools, the node's near cache).
        loader.load(nodePort, warmup);
        loader.load(barePort, warmup);
        List<Double> nodeRates = new ArrayList<>();
        List<Double> bareRates = new ArrayList<>();
        List<Double> nodeP99 = new ArrayList<>();
        List<Double> bareP99 = new ArrayList<>();
        List<Double> nodeCpu = new ArrayList<>();
        List<Double> bareCpu = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          long nodeTicks = cpuTicks(node.pid());
          ClosedLoop.Result n = loader.load(nodePort, seconds);
          double nodeMs = (cpuTicks(node.pid()) - nodeTicks) * MS_PER_TICK / Math.max(1, n.count());
          long bareTicks = cpuTicks(bare.pid());
          long nodeIdleTicks = cpuTicks(node.pid());
          ClosedLoop.Result b = loader.load(barePort, seconds);
          double bareMs = (cpuTicks(bare.pid()) - bareTicks) * MS_PER_TICK / Math.max(1, b.count());
          // What the node spends unloaded (consumers polling, timers), in the same seconds: part of its figure above.
          double nodeIdleMsPerSecond = (cpuTicks(node.pid()) - nodeIdleTicks) * MS_PER_TICK / seconds;
          nodeRates.add(n.rate());
          bareRates.add(b.rate());
          nodeP99.add(n.p99Ms());
          bareP99.add(b.p99Ms());
          nodeCpu.add(nodeMs);
          bareCpu.add(bareMs);
          ratios.add(n.rate() / b.rate());
          System.out.printf(Locale.ROOT, "round %d: node %8.0f req/s p50 %5.2f ms p99 %6.2f ms (errors %d) %.3f CPU ms/req"
                  + " | bare %8.0f req/s p50 %5.2f ms p99 %6.2f ms %.3f CPU ms/req | ratio %.2f | node unloaded %.0f CPU"
                  + " ms/s%n", round, n.rate(), n.p50Ms(), n.p99Ms(), n.errors(), nodeMs, b.rate(), b.p50Ms(), b.p99Ms(),
              bareMs, n.rate() / b.rate(), nodeIdleMsPerSecond);
        }
        double nodeMedian = Stats.median(nodeRates);
        double bareMedian = Stats.median(bareRates);
        System.out.printf(Locale.ROOT, "median: node %.0f req/s (p99 %.2f ms, %.3f CPU ms/req) vs bare Vert.x %.0f req/s"
                + " (p99 %.2f ms, %.3f CPU ms/req): ratio %.2f (median of the rounds' ratios %.2f; CPU per request"
                + " bare ÷ node %.2f; p99 node ÷ bare %.2f; goals: ratio >= 0.7 with wrk -c32, p99 <= 1.5 × bare)%n",
            nodeMedian, Stats.median(nodeP99), Stats.median(nodeCpu), bareMedian, Stats.median(bareP99),
            Stats.median(bareCpu), nodeMedian / bareMedian, Stats.median(ratios),
            Stats.median(bareCpu) / Stats.median(nodeCpu), Stats.median(nodeP99) / Stats.median(bareP99));
      } finally {
        vertx.close();
        bare.destroy();
        Files.deleteIfExists(bodyFile);
      }
    }
  }

  /** /proc counts a process's CPU in USER_HZ ticks of 10 ms. */
  private static final double MS_PER_TICK = 10.0;

  /** One round of load against a port. */
  private interface Loader {
    ClosedLoop.Result load(int port, int seconds) throws Exception;
  }

  /** User + system CPU ticks of a process so far (fields 14 and 15 of {@code /proc/PID/stat}). */
  static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern WRK_COUNT = Pattern.compile("([0-9]+) requests in");
  private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
  private static final Pattern WRK_ERRORS = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), "
      + "write ([0-9]+), timeout ([0-9]+)");

  /** One round with wrk (one thread, {@code connections} keep-alive connections, its latency percentiles). */
  private static ClosedLoop.Result wrk(int port, String path, int connections, int seconds) throws Exception {
    Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency",
        "http://127.0.0.1:" + port + path).redirectErrorStream(true).start();
    String out = new String(wrk.getInputStream().readAllBytes());
    if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    Matcher rate = WRK_RATE.matcher(out);
    Matcher count = WRK_COUNT.matcher(out);
    if (!rate.find() || !count.find()) {
      throw new IllegalStateException("cannot read wrk's output: " + out);
    }
    long errors = 0;
    Matcher non2xx = WRK_NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = WRK_ERRORS.matcher(out);
    if (socket.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(socket.group(g));
      }
    }
    long requests = Long.parseLong(count.group(1));
    return new ClosedLoop.Result(Double.parseDouble(rate.group(1)) * (requests - errors) / Math.max(1, requests),
        wrkPercentile(out, "50%"), wrkPercentile(out, "99%"), errors, requests - errors);
  }

  /** A line of wrk's latency distribution ({@code "    99%    3.21ms"}), in milliseconds. */
  private static double wrkPercentile(String out, String percentile) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\b").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + percentile + " latency in wrk's output: " + out);
    }
    double value = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> value / 1000;
      case "s" -> value * 1000;
      default -> value;
    };
  }

  /** Closed loop of GETs of {@code path}; a 200 is done. */
  private static ClosedLoop.Result load(Vertx vertx, int port, String path, int connections, int seconds)
      throws Exception {
    ClosedLoop.Request get = new ClosedLoop.Request(new RequestOptions().setMethod(HttpMethod.GET).setURI(path), null);
    return ClosedLoop.run(vertx, port, connections, seconds, () -> get, status -> status == 200);
  }
}
