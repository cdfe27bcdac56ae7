package org.geohazard.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.geohazard.testing.TestImages;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;

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

  private final LoadClient client;

  private ClusterKillTest(String api) {
    this.client = new LoadClient(api);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int images = Integer.parseInt(options.getOrDefault("images", "500"));
    String api = options.getOrDefault("api", "http://127.0.0.1:8080");
    Path victim = Path.of(options.getOrDefault("kill-pid-file", ".stack/cluster-worker-1.pid"));
    String joinCommand = options.getOrDefault("join-command", "bash scripts/cluster-demo.sh worker 3");
    String bootstrap = options.getOrDefault("kafka", "127.0.0.1:19092");
    new ClusterKillTest(api).run(images, victim, joinCommand, bootstrap);
  }

  private void run(int images, Path victim, String joinCommand, String bootstrap) throws Exception {
    client.startResultsReader(bootstrap, "ml.results");
    long killedAt = 0;
    Process joiner = null;
    boolean joinReported = false;
    long start = System.nanoTime();
    LoadClient.Uploads uploads = client.startUploads(images, 8, TestImages::floodPng);
    AtomicInteger done = uploads.done;
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
    uploads.awaitAll();
    List<String> accepted = List.copyOf(uploads.accepted);
    if (joiner != null && !joinReported) {
      joiner.waitFor(2, TimeUnit.MINUTES);
      System.out.printf("the new worker is up after all uploads%n");
    }
    double uploadSeconds = (System.nanoTime() - start) / 1e9;

    LoadClient.Outcome outcome = client.settle(images, accepted, Duration.ofMinutes(10));
    System.out.println();
    System.out.printf(Locale.ROOT, "uploads sent %d in %.1f s%n", images, uploadSeconds);
    System.out.println(outcome.line());
    System.out.println("accepted ids: " + Path.of("target/cluster-kill-accepted.txt"));
    Files.write(Path.of("target/cluster-kill-accepted.txt"), accepted);
    System.out.println("remote event-bus traffic on the API node's /metrics:");
    client.metricsLines("vertx_eventbus_bytes").forEach(line -> System.out.println("  " + line));
    if (outcome.lost() > 0 || outcome.analysedTwice() > 0) {
      System.exit(1);
    }
  }

  private double staleAfterSeconds = Double.NaN;

  /** Polls the API node's cluster view until the victim is stale and then gone; nanoseconds until gone. */
  private long timeUntilNoticed(String member, long killedAt) throws Exception {
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonArray members = new JsonObject(client.get("/api/v1/cluster").body()).getJsonArray("members");
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

}
