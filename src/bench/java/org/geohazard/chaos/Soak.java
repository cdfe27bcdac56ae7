package org.geohazard.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;
import org.geohazard.harness.NodeProcess;
import org.geohazard.testing.TestImages;

/**
 * The soak ({@code scripts/soak.sh}): one node (the fat jar, the stand-in model) under a steady {@code --rate} of
 * uploads per second for {@code --minutes}, sampling every 30 s its heap in use, then its heap right after a full
 * collection ({@code jcmd GC.run}: the live set) and its resident set size. Prints the samples, then the
 * median of the first and of the last fifth of the run side by side (flat means the last is within a few per cent
 * of the first) and what became of the accepted images.
 */
public final class Soak {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    double rate = Double.parseDouble(options.getOrDefault("rate", "20"));
    double minutes = Double.parseDouble(options.getOrDefault("minutes", "30"));
    int port = Integer.parseInt(options.getOrDefault("port", "8094"));
    System.exit(new Soak().run(rate, minutes, port));
  }

  private record Sample(double minute, long liveHeap, long usedHeap, long rss, int accepted) {}

  private int run(double rate, double minutes, int port) throws Exception {
    try (NodeProcess node = NodeProcess.start(Map.of("GEOHAZARD_HTTP_PORT", Integer.toString(port),
        "GEOHAZARD_NODE_ID", "soak"), "768m", "soak")) {
      LoadClient client = new LoadClient("http://127.0.0.1:" + port);
      node.awaitReady(client, "soak");
      List<String> accepted = Collections.synchronizedList(new ArrayList<>());
      ExecutorService uploaders = Executors.newFixedThreadPool(8);
      AtomicInteger sent = new AtomicInteger();
      List<Sample> samples = new ArrayList<>();
      long start = System.nanoTime();
      long end = start + (long) (minutes * 60e9);
      long intervalNanos = (long) (1e9 / rate);
      long nextUpload = start;
      long nextSample = start;
      System.out.printf(Locale.ROOT, "soak: %.1f uploads/s for %.0f min, node pid %d%n", rate, minutes, node.pid());
      System.out.println(" minute  heap after full GC MB  heap before MB  RSS MB  accepted");
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        if (now >= nextUpload) {
          sent.incrementAndGet();
          uploaders.submit(() -> {
            String id = client.uploadWithRetries(TestImages.floodPng());
            if (id != null) {
              accepted.add(id);
            }
          });
          nextUpload += intervalNanos;
        }
        if (now >= nextSample) {
          long usedBefore = metric(client, "jvm_memory_used_bytes{area=\"heap\"");
          // The live set is what a full collection leaves: G1's own "live data" only follows the old generation
          // between its rare concurrent cycles, so it grows with promoted garbage on a 768 MB heap.
          fullGc(node.pid());
          Sample sample = new Sample((now - start) / 60e9, metric(client, "jvm_memory_used_bytes{area=\"heap\""),
              usedBefore, node.rssBytes(), accepted.size());
          samples.add(sample);
          System.out.printf(Locale.ROOT, "%7.1f  %21.1f  %14.1f  %6.1f  %8d%n", sample.minute(), sample.liveHeap() / 1e6,
              sample.usedHeap() / 1e6, sample.rss() / 1e6, sample.accepted());
          nextSample += TimeUnit.SECONDS.toNanos(30);
        }
        Thread.sleep(Math.max(0, Math.min(nextUpload, nextSample) - System.nanoTime()) / 1_000_000);
      }
      uploaders.shutdown();
      uploaders.awaitTermination(5, TimeUnit.MINUTES);
      int fifth = Math.max(1, samples.size() / 5);
      List<Sample> first = samples.subList(0, fifth);
      List<Sample> last = samples.subList(samples.size() - fifth, samples.size());
      System.out.printf(Locale.ROOT, "median of the first and last fifth: heap after full GC %.1f -> %.1f MB (x%.2f), "
              + "heap before it %.1f -> %.1f MB, RSS %.1f -> %.1f MB (x%.2f)%n",
          median(first, Sample::liveHeap) / 1e6, median(last, Sample::liveHeap) / 1e6,
          median(last, Sample::liveHeap) / Math.max(1, median(first, Sample::liveHeap)),
          median(first, Sample::usedHeap) / 1e6, median(last, Sample::usedHeap) / 1e6,
          median(first, Sample::rss) / 1e6, median(last, Sample::rss) / 1e6,
          median(last, Sample::rss) / Math.max(1, median(first, Sample::rss)));
      LoadClient.Outcome outcome = client.settle(sent.get(), accepted, Duration.ofMinutes(5));
      System.out.println(outcome.line());
      Files.createDirectories(Path.of("target"));
      return outcome.lost() > 0 ? 1 : 0;
    }
  }

  /** A full collection in the node ({@code jcmd <pid> GC.run}), waited for. */
  private static void fullGc(long pid) throws Exception {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid), "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    jcmd.waitFor(30, TimeUnit.SECONDS);
  }

  private static double median(List<Sample> samples, ToLongFunction<Sample> value) {
    long[] values = samples.stream().mapToLong(value).sorted().toArray();
    return values.length == 0 ? 0 : values.length % 2 == 1 ? values[values.length / 2]
        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2.0;
  }

  /** Sum of the series of {@code prefix} (a metric name, optionally with the start of its labels) on /metrics. */
  private static long metric(LoadClient client, String prefix) {
    double sum = 0;
    for (String line : client.metricsLines(prefix)) {
      String[] parts = line.trim().split("\\s+");
      try {
        sum += Double.parseDouble(parts[parts.length - 1]);
      } catch (NumberFormatException e) {
        // not a sample line
      }
    }
    return (long) sum;
  }
}
