package org.geohazard.bench;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.inference.SceneStages;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.harness.BenchArgs;

/**
 * What one durable put of an upload costs the node in CPU, through {@link S3ObjectStore} (the node's own client and
 * settings) against the configured S3-compatible store: {@code threads} threads put distinct 100 KB objects for a
 * few seconds per round; printed per round and as medians: puts per second, this process's CPU milliseconds per put
 * and the whole machine's (the store's own share included) — the figures that bound uploads per second on a host.
 *
 * <pre>java -cp ... org.geohazard.bench.S3PutBenchmark [--threads 8] [--seconds 5] [--rounds 3] [--bytes 102400]</pre>
 * Needs the stack ({@code scripts/local-stack.sh up}); reads its settings from the environment like a node.
 */
public final class S3PutBenchmark {

  private S3PutBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "5"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    int bytes = Integer.parseInt(options.getOrDefault("bytes", "102400"));
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, System.getenv(), new Properties()));
    Vertx vertx = Vertx.vertx();
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    Path file = Files.createTempFile("s3-put", ".bin");
    try {
      byte[] body = new byte[bytes];
      new Random(7).nextBytes(body);
      Files.write(file, body);
      S3ObjectStore store = new S3ObjectStore(vertx, config.s3());
      store.ensureBucket().await();
      AtomicInteger counter = new AtomicInteger();
      runFor(2 * seconds, threads, clients, store, file, counter);  // warm-up: connections, and the JIT (slow here)
      List<Double> rates = new ArrayList<>();
      List<Double> ownCpu = new ArrayList<>();
      List<Double> machineCpu = new ArrayList<>();
      System.out.printf(Locale.ROOT, "puts of %,d bytes through S3ObjectStore to %s, %d threads, %d s x %d rounds%n",
          bytes, config.s3().endpoint(), threads, seconds, rounds);
      System.out.printf(Locale.ROOT, "%5s %10s %16s %18s%n", "round", "puts/s", "node CPU ms/put", "machine CPU ms/put");
      for (int round = 0; round < rounds; round++) {
        long cpuBefore = SceneStages.processCpuNanos();
        long[] machineBefore = CpuAccounting.machineTicks();
        long start = System.nanoTime();
        int puts = runFor(seconds, threads, clients, store, file, counter);
        double wall = (System.nanoTime() - start) / 1e9;
        long[] machineAfter = CpuAccounting.machineTicks();
        double own = (SceneStages.processCpuNanos() - cpuBefore) / 1e6 / puts;
        // /proc/stat counts in USER_HZ ticks of 10 ms.
        double machine = (machineAfter[0] - machineBefore[0]) * 10.0 / puts;
        rates.add(puts / wall);
        ownCpu.add(own);
        machineCpu.add(machine);
        System.out.printf(Locale.ROOT, "%5d %10.0f %16.2f %18.2f%n", round + 1, puts / wall, own, machine);
      }
      int cores = Runtime.getRuntime().availableProcessors();
      System.out.printf(Locale.ROOT, "medians: %.0f puts/s, node %.2f CPU ms per put, machine %.2f CPU ms per put "
              + "(store included) -> at most %.0f puts/s on %d cores with the store beside, %.0f with it elsewhere%n",
          Stats.median(rates), Stats.median(ownCpu), Stats.median(machineCpu),
          cores * 1000 / Stats.median(machineCpu), cores, cores * 1000 / Stats.median(ownCpu));
    } finally {
      clients.shutdownNow();
      vertx.close().await();
      Files.deleteIfExists(file);
    }
  }

  private static int runFor(int seconds, int threads, ExecutorService clients, S3ObjectStore store, Path file,
                            AtomicInteger counter) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<Integer>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(clients.submit(() -> {
        int done = 0;
        while (System.nanoTime() < end) {
          store.put("bench/put-" + counter.incrementAndGet(), file, "application/octet-stream").await();
          done++;
        }
        return done;
      }));
    }
    int total = 0;
    for (Future<Integer> thread : running) {
      total += thread.get();
    }
    return total;
  }
}
