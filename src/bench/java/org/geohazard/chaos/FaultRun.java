package org.geohazard.chaos;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;
import org.geohazard.harness.NodeProcess;
import org.geohazard.testing.TestImages;

/**
 * One run of the fault suite ({@code scripts/fault-suite.sh}): starts a node (the fat jar, the stand-in model)
 * whose database and Redis connections go through {@link TcpProxy proxies} this run owns, uploads
 * {@code --images} distinct pictures with {@code --clients} retrying clients, makes one fault when 30 % are
 * done, and counts what became of every accepted image (accepted / analysed / failed / lost / analysed twice /
 * 5xx). Faults: {@code none}; {@code db-cut} and {@code redis-cut} (the proxy drops the service for
 * {@code --cut-seconds}); {@code kafka-restart} and {@code s3-restart} (the stack's broker or object store
 * stopped and started again, {@code scripts/local-stack.sh restart}). Appends its line to
 * {@code target/fault-results.txt}; exits 1 when an accepted image was lost or analysed twice.
 */
public final class FaultRun {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    String fault = options.getOrDefault("fault", "none");
    int images = Integer.parseInt(options.getOrDefault("images", "1000"));
    int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
    int cutSeconds = Integer.parseInt(options.getOrDefault("cut-seconds", "30"));
    int port = Integer.parseInt(options.getOrDefault("port", "8093"));
    System.exit(new FaultRun().run(fault, images, clients, cutSeconds, port));
  }

  private int run(String fault, int images, int clients, int cutSeconds, int port) throws Exception {
    Map<String, String> stack = NodeProcess.stackEnv();
    String log = "fault-" + fault;
    try (TcpProxy db = new TcpProxy(stack.getOrDefault("GEOHAZARD_DB_HOST", "127.0.0.1"),
            Integer.parseInt(stack.getOrDefault("GEOHAZARD_DB_PORT", "3306")));
         TcpProxy redis = new TcpProxy(stack.getOrDefault("GEOHAZARD_REDIS_HOST", "127.0.0.1"),
            Integer.parseInt(stack.getOrDefault("GEOHAZARD_REDIS_PORT", "6379")));
         NodeProcess node = NodeProcess.start(Map.of("GEOHAZARD_DB_PORT", Integer.toString(db.port()),
             "GEOHAZARD_REDIS_PORT", Integer.toString(redis.port()), "GEOHAZARD_HTTP_PORT", Integer.toString(port),
             "GEOHAZARD_NODE_ID", log), "768m", log)) {
      LoadClient client = new LoadClient("http://127.0.0.1:" + port);
      node.awaitReady(client, log);
      client.startResultsReader(stack.get("GEOHAZARD_KAFKA_BOOTSTRAP"), "ml.results");
      long start = System.nanoTime();
      LoadClient.Uploads uploads = client.startUploads(images, clients, TestImages::floodPng);
      while (uploads.done.get() < images * 3 / 10) {
        Thread.sleep(50);
      }
      System.out.printf("%s after %d uploads%n", fault, uploads.done.get());
      long faultStart = System.nanoTime();
      Fault applied = apply(fault, db, redis, cutSeconds);
      double faultSeconds = (System.nanoTime() - faultStart) / 1e9;
      uploads.awaitAll();
      List<String> accepted = List.copyOf(uploads.accepted);
      double uploadSeconds = (System.nanoTime() - start) / 1e9;
      LoadClient.Outcome outcome = client.settle(images, accepted, Duration.ofMinutes(10));
      String line = String.format(Locale.ROOT, "%-13s %s | fault: %s for %.1f s | uploads took %.1f s",
          fault, outcome.line(), applied.description(), faultSeconds, uploadSeconds);
      System.out.println(line);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/fault-results.txt"), line + System.lineSeparator(),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      Files.write(Path.of("target/fault-" + fault + "-accepted.txt"), accepted);
      return outcome.lost() > 0 || outcome.analysedTwice() > 0 ? 1 : 0;
    }
  }

  private record Fault(String description) {}

  private static Fault apply(String fault, TcpProxy db, TcpProxy redis, int cutSeconds) throws Exception {
    switch (fault) {
      case "none" -> {
        return new Fault("none");
      }
      case "db-cut", "redis-cut" -> {
        TcpProxy proxy = fault.equals("db-cut") ? db : redis;
        proxy.cut();
        Thread.sleep(TimeUnit.SECONDS.toMillis(cutSeconds));
        proxy.restore();
        return new Fault((fault.equals("db-cut") ? "MariaDB" : "Redis") + " unreachable");
      }
      case "kafka-restart", "s3-restart" -> {
        String service = fault.equals("kafka-restart") ? "kafka" : "s3proxy";
        Process restart = new ProcessBuilder("bash", "scripts/local-stack.sh", "restart", service)
            .redirectErrorStream(true).redirectOutput(new File(".stack/logs/fault-restart-" + service + ".log"))
            .start();
        if (!restart.waitFor(5, TimeUnit.MINUTES) || restart.exitValue() != 0) {
          throw new IllegalStateException("restarting " + service + " failed; see .stack/logs/fault-restart-"
              + service + ".log");
        }
        return new Fault(service + " stopped and started again");
      }
      default -> throw new IllegalArgumentException("unknown fault " + fault
          + " (none, db-cut, redis-cut, kafka-restart, s3-restart)");
    }
  }
}
