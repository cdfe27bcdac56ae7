package org.geohazard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geohazard.config.AppConfig;
import org.geohazard.metrics.NodeMetrics.Stage;
import org.geohazard.harness.StackEnv;

/**
 * Raw ONNX Runtime against the whole pipeline, in one run on one machine, on the same images, model,
 * session options and batch sizes; prints one table with the ratio pipeline ÷ raw. Started by
 * {@code scripts/bench.sh} (CPU) and {@code scripts/gpu-bench.sh} (CUDA); see BENCHMARKS.md.
 *
 * <pre>
 * options: --stack-env FILE      the local stack's settings (.stack/env from scripts/local-stack.sh)
 *          --gpu                 CUDA provider, batch sizes 1..32
 *          --batch-sizes 1,2,4,8 raw batch sizes and the pipeline's batcher.maxBatch values
 *          --rounds 5            repeated measurements; every figure is the median over them
 *          --max-delay-ms N      batcher.maxDelayMs for the pipeline (default: the config's)
 *          --images-per-round N  uploads per pipeline round (default: max(32, 2 x in-flight))
 *          --raw-ms 1500         length of one raw round in milliseconds
 *          --warmup-s 60         seconds of uploads through a first node before any pipeline figure, so
 *                                that the JIT compiles the node's code once (it stays compiled for the
 *                                nodes that follow in this JVM) instead of inside the measured rounds
 *          --row-warmup-s 15     seconds of uploads on each row's fresh node before its measured rounds:
 *                                starting a node sets off a burst of compilation of its start-up code
 *                                that otherwise lands in the row's first rounds
 *          --raw-only            skip the pipeline (no stack needed)
 * </pre>
 */
public final class InferenceBenchmark {

  private record PipelineRow(int maxBatch, int inFlight, double imagesPerSecond, double p50Ms, double p99Ms,
                             PipelineBenchmark.StageBreakdown stages, CpuAccounting.PerImage cpu,
                             List<String> traffic) {}

  private record SingleImage(double p50Ms, double p99Ms, PipelineBenchmark.StageBreakdown stages,
                             CpuAccounting.PerImage cpu) {}

  private final Map<String, String> options;
  private final boolean gpu;
  private final List<Integer> batchSizes;
  private final int rounds;
  private final Map<String, String> stackEnv;
  private final List<BenchImages.BenchImage> images = BenchImages.all();
  private long serial;
  private long retriedUploads;

  private InferenceBenchmark(Map<String, String> options) throws IOException {
    this.options = options;
    this.gpu = options.containsKey("gpu");
    this.batchSizes = parseSizes(options.getOrDefault("batch-sizes", gpu ? "1,2,4,8,16,32" : "1,2,4,8"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    this.stackEnv = options.containsKey("raw-only") && !options.containsKey("stack-env")
        ? Map.of() : StackEnv.read(Path.of(options.getOrDefault("stack-env", ".stack/env")));
    if (!stackEnv.isEmpty()) {
      // Other checkouts' brokers and s3proxies on the same machine are not this pipeline's CPU.
      Path envFile = Path.of(options.getOrDefault("stack-env", ".stack/env")).toAbsolutePath();
      if (envFile.getParent() != null) {
        CpuAccounting.onlyStack(envFile.getParent());
      }
    }
  }

  public static void main(String[] args) throws Exception {
    new InferenceBenchmark(parse(args)).run();
    // Vert.x and ORT leave non-daemon threads behind after close on some paths; the run is over.
    System.exit(0);
  }

  private void run() throws Exception {
    Map<String, String> modelOverrides = new HashMap<>();
    if (gpu && System.getenv("GEOHAZARD_MODEL_EXECUTION_PROVIDER") == null) {
      modelOverrides.put("GEOHAZARD_MODEL_EXECUTION_PROVIDER", "cuda");
    }
    modelOverrides.putAll(passThroughEnv());
    AppConfig config = PipelineBenchmark.configOf(stackEnv, modelOverrides);
    printHeader(config);

    Map<Integer, RawOrtBenchmark.Row> raw = new LinkedHashMap<>();
    String provider;
    try (RawOrtBenchmark bench = new RawOrtBenchmark(config, images)) {
      provider = bench.detector().executionProvider().name().toLowerCase(Locale.ROOT);
      progress("raw ONNX Runtime on %s (%s requested)", provider, config.model().executionProvider());
      if (!provider.equals(config.model().executionProvider())) {
        // CPU figures printed as GPU rows would be worse than none; the session logged why it fell back.
        throw new IllegalStateException(config.model().executionProvider() + " was requested but the session runs on "
            + provider + "; see the warning above");
      }
      long roundMs = Long.parseLong(options.getOrDefault("raw-ms", "1500"));
      for (int batchSize : batchSizes) {
        RawOrtBenchmark.Row row = bench.measure(batchSize, rounds, Math.max(1000, roundMs), roundMs);
        raw.put(batchSize, row);
        progress("raw batch %d: %.1f img/s, p50 %.1f ms, p99 %.1f ms", batchSize, row.imagesPerSecond(),
            row.batchP50Ms(), row.batchP99Ms());
      }
    }

    Map<Integer, PipelineRow> pipeline = new LinkedHashMap<>();
    SingleImage single = null;
    if (!options.containsKey("raw-only")) {
      warmUp(modelOverrides, Integer.parseInt(options.getOrDefault("warmup-s", "60")));
      single = singleImage(modelOverrides);
      for (int maxBatch : batchSizes) {
        PipelineRow row = throughput(modelOverrides, maxBatch);
        pipeline.put(maxBatch, row);
        progress("pipeline maxBatch %d: %.1f img/s, p50 %.1f ms, p99 %.1f ms, mean batch %.2f", maxBatch,
            row.imagesPerSecond(), row.p50Ms(), row.p99Ms(), row.stages().meanBatchSize());
      }
    }
    printTable(provider, raw, pipeline, single);
  }

  /**
   * A server runs for days; its code is compiled once. Without this, the C1/C2 compiler threads take
   * more CPU per image than the model in the first rows (measured: 12-33 ms per image in the rounds
   * right after start), which would be charged to the pipeline.
   */
  private void warmUp(Map<String, String> modelOverrides, int seconds) {
    if (seconds <= 0) {
      return;
    }
    int maxBatch = batchSizes.get(batchSizes.size() - 1);
    int inFlight = Math.max(8, 4 * maxBatch);
    progress("warming the JVM up: %d s of uploads (maxBatch %d, %d in flight)", seconds, maxBatch, inFlight);
    try (PipelineBenchmark node = PipelineBenchmark.start(stackEnv, nodeOverrides(modelOverrides, maxBatch, inFlight))) {
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long images = 0;
      while (System.nanoTime() < end) {
        node.round(payloads(4 * inFlight), inFlight);
        images += 4L * inFlight;
        // Single uploads too: the sequential path has its own hot spots (a batch of one, no waiting).
        node.round(payloads(8), 1);
        images += 8;
      }
      retriedUploads += node.retriedUploads();
      progress("warm-up done: %d images", images);
    }
  }

  /** At least one round, then more until --row-warmup-s has passed since the row's node started. */
  private void warmUpRow(PipelineBenchmark node, int imagesPerRound, int inFlight) {
    long end = System.nanoTime() + Long.parseLong(options.getOrDefault("row-warmup-s", "15")) * 1_000_000_000L;
    do {
      node.round(payloads(imagesPerRound), inFlight);
    } while (System.nanoTime() < end);
  }

  /** Sequential uploads on a node with maxBatch 1, so no image waits for companions. */
  private SingleImage singleImage(Map<String, String> modelOverrides) {
    Map<String, String> overrides = nodeOverrides(modelOverrides, 1, 8);
    try (PipelineBenchmark node = PipelineBenchmark.start(stackEnv, overrides)) {
      progress("pipeline single-image latency (maxBatch 1, one image at a time)");
      warmUpRow(node, 2 * images.size(), 1);
      PipelineBenchmark.MeterSnapshot before = node.meters();
      CpuAccounting.Snapshot cpuBefore = cpuSnapshot();
      List<Double> p50s = new ArrayList<>();
      List<Double> p99s = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        PipelineBenchmark.Round result = node.round(payloads(2 * images.size()), 1);
        p50s.add(Stats.percentile(result.latenciesMs(), 50));
        p99s.add(Stats.percentile(result.latenciesMs(), 99));
      }
      CpuAccounting.PerImage cpu = cpuBetween(cpuBefore, (long) rounds * 2 * images.size());
      PipelineBenchmark.StageBreakdown stages = PipelineBenchmark.between(before, node.meters());
      retriedUploads += node.retriedUploads();
      return new SingleImage(Stats.median(p50s), Stats.median(p99s), stages, cpu);
    }
  }

  /**
   * Closed-loop load: {@code inFlight} images between upload and saved result at all times, enough
   * for the batcher to fill {@code maxBatch} while the previous batch runs.
   */
  private PipelineRow throughput(Map<String, String> modelOverrides, int maxBatch) {
    int inFlight = Math.max(8, 4 * maxBatch);
    int perRound = Integer.parseInt(options.getOrDefault("images-per-round", String.valueOf(Math.max(32, 2 * inFlight))));
    try (PipelineBenchmark node = PipelineBenchmark.start(stackEnv, nodeOverrides(modelOverrides, maxBatch, inFlight))) {
      warmUpRow(node, Math.max(perRound / 2, inFlight), inFlight);
      PipelineBenchmark.MeterSnapshot before = node.meters();
      StackTraffic traffic = new StackTraffic(node.registry(), stackEnv);
      StackTraffic.Snapshot trafficBefore = traffic.snapshot();
      CpuAccounting.Snapshot cpuBefore = cpuSnapshot();
      List<Double> throughputs = new ArrayList<>();
      List<Double> p50s = new ArrayList<>();
      List<Double> p99s = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        PipelineBenchmark.Round result = node.round(payloads(perRound), inFlight);
        throughputs.add(result.imagesPerSecond());
        p50s.add(Stats.percentile(result.latenciesMs(), 50));
        p99s.add(Stats.percentile(result.latenciesMs(), 99));
      }
      CpuAccounting.PerImage cpu = cpuBetween(cpuBefore, (long) rounds * perRound);
      List<String> trafficPerImage = StackTraffic.between(trafficBefore, traffic.snapshot(), (long) rounds * perRound);
      PipelineBenchmark.StageBreakdown stages = PipelineBenchmark.between(before, node.meters());
      retriedUploads += node.retriedUploads();
      return new PipelineRow(maxBatch, inFlight, Stats.median(throughputs), Stats.median(p50s), Stats.median(p99s),
          stages, cpu, trafficPerImage);
    }
  }

  private static CpuAccounting.Snapshot cpuSnapshot() {
    return CpuAccounting.available() ? CpuAccounting.snapshot() : null;
  }

  private static CpuAccounting.PerImage cpuBetween(CpuAccounting.Snapshot before, long images) {
    return before == null ? null : CpuAccounting.between(before, CpuAccounting.snapshot(), images);
  }

  private Map<String, String> nodeOverrides(Map<String, String> modelOverrides, int maxBatch, int inFlight) {
    Map<String, String> overrides = new HashMap<>(modelOverrides);
    overrides.put("GEOHAZARD_BATCHER_MAX_BATCH", String.valueOf(maxBatch));
    if (options.containsKey("max-delay-ms")) {
      overrides.put("GEOHAZARD_BATCHER_MAX_DELAY_MS", options.get("max-delay-ms"));
    }
    // A private spool folder: the default (java.io.tmpdir/geohazard-uploads) is shared with every other
    // node and test run on the machine.
    if (System.getenv("GEOHAZARD_HTTP_UPLOADS_DIR") == null) {
      overrides.put("GEOHAZARD_HTTP_UPLOADS_DIR", Path.of("target", "bench-uploads").toAbsolutePath().toString());
    }
    // The consumer must hand the batcher at least as many images as the client keeps in flight.
    overrides.put("GEOHAZARD_KAFKA_MAX_IN_FLIGHT", String.valueOf(Math.max(64, 2 * inFlight)));
    return overrides;
  }

  /** Fresh bytes for every upload (the service deduplicates by SHA-256), cycling through the image set. */
  private List<BenchImages.BenchImage> payloads(int count) {
    List<BenchImages.BenchImage> payloads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      BenchImages.BenchImage image = images.get(i % images.size());
      payloads.add(new BenchImages.BenchImage(image.name(), BenchImages.distinct(image, serial++)));
    }
    return payloads;
  }

  private void printHeader(AppConfig config) {
    AppConfig.Model model = config.model();
    AppConfig.Batcher batcher = config.batcher();
    System.out.println("geohazard inference benchmark: raw ONNX Runtime vs the full pipeline");
    System.out.printf("date      %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    System.out.printf("machine   %s, %d cores visible to the JVM, load average at start %s%n", cpuModel(),
        Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.printf("jvm       %s %s (%s), max heap %d MB%n", System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("model     %s, provider %s (devices %s), intraOpThreads %d, interOpThreads %d, graph opt ALL%n",
        model.paths().get(0), model.executionProvider(), model.cudaDevices(), model.intraOpThreads(), model.interOpThreads());
    System.out.printf("batcher   maxBatch = the row's batch size, maxDelayMs %s, preprocessThreads %d%n",
        options.getOrDefault("max-delay-ms", String.valueOf(batcher.maxDelayMs())), batcher.preprocessThreads());
    System.out.printf("kafka     producerLingerMs %d, commitIntervalMs %d%n", config.kafka().producerLingerMs(),
        config.kafka().commitIntervalMs());
    System.out.printf("images    %d: %s%n", images.size(), images.stream()
        .map(image -> image.name() + " (" + image.bytes().length / 1024 + " KB)").toList());
    System.out.printf("rounds    %d per figure; every figure is the median over rounds%n%n", rounds);
  }

  private void printTable(String provider, Map<Integer, RawOrtBenchmark.Row> raw, Map<Integer, PipelineRow> pipeline,
                          SingleImage single) {
    System.out.println();
    System.out.printf("Throughput (%s). raw: OnnxDetector.run on prepared inputs, latency = one run; pipeline: HTTP"
        + " upload -> S3 -> Kafka -> decode -> batch -> ORT -> MariaDB/Redis/ml.results, latency = upload start"
        + " to result saved, under closed-loop load with 'in flight' images outstanding.%n", provider);
    System.out.println("| batch | raw img/s | raw p50 ms | raw p99 ms | raw ms/img | pipeline img/s | pipeline p50 ms"
        + " | pipeline p99 ms | in flight | mean batch | pipeline / raw |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    double bestRaw = 0;
    double bestPipeline = 0;
    for (Map.Entry<Integer, RawOrtBenchmark.Row> entry : raw.entrySet()) {
      RawOrtBenchmark.Row r = entry.getValue();
      PipelineRow p = pipeline.get(entry.getKey());
      bestRaw = Math.max(bestRaw, r.imagesPerSecond());
      String pipelineCells = "| - | - | - | - | - | - |";
      if (p != null) {
        bestPipeline = Math.max(bestPipeline, p.imagesPerSecond());
        pipelineCells = String.format(Locale.ROOT, "| %.1f | %.1f | %.1f | %d | %.2f | %.2f |", p.imagesPerSecond(),
            p.p50Ms(), p.p99Ms(), p.inFlight(), p.stages().meanBatchSize(), p.imagesPerSecond() / r.imagesPerSecond());
      }
      System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.2f %s%n", r.batchSize(), r.imagesPerSecond(),
          r.batchP50Ms(), r.batchP99Ms(), r.msPerImage(), pipelineCells);
    }
    if (!pipeline.isEmpty()) {
      System.out.printf(Locale.ROOT, "best pipeline / best raw: %.1f / %.1f img/s = %.2f%n", bestPipeline, bestRaw,
          bestPipeline / bestRaw);
    }
    if (!pipeline.isEmpty()) {
      System.out.printf("uploads answered 503 and sent again (counted in their latency): %d%n", retriedUploads);
    }
    RawOrtBenchmark.Row rawSingle = raw.get(1);
    if (single != null && rawSingle != null) {
      System.out.printf(Locale.ROOT, "%nSingle image, one at a time (pipeline maxBatch 1): raw p50 %.1f ms (p99 %.1f);"
              + " pipeline p50 %.1f ms (p99 %.1f); pipeline - raw = %.1f ms at p50%n",
          rawSingle.batchP50Ms(), rawSingle.batchP99Ms(), single.p50Ms(), single.p99Ms(),
          single.p50Ms() - rawSingle.batchP50Ms());
    }
    if (!pipeline.isEmpty()) {
      System.out.println();
      System.out.println("Where a pipeline image's time goes: mean ms per image from the node's stage timers (/metrics"
          + " geohazard_stage_seconds) over the measured rounds, one image at a time ('single') and under the"
          + " throughput rows' load. inference and postprocess are a batch's time divided by its size; upload is"
          + " the client's POST until 202; end_to_end is from the Kafka consumer's hand-over to the saved result."
          + " 'ORT busy' = inference ms per image x images/s: the share of wall time the session's thread spent"
          + " running batches (what 'keeping the accelerator busy' means; raw ORT is at 100 %).");
      StringBuilder header = new StringBuilder("| maxBatch | upload |");
      StringBuilder rule = new StringBuilder("| ---: | ---: |");
      for (Stage stage : Stage.values()) {
        header.append(' ').append(stage.name().toLowerCase(Locale.ROOT)).append(" |");
        rule.append(" ---: |");
      }
      header.append(" ORT busy |");
      rule.append(" ---: |");
      System.out.println(header);
      System.out.println(rule);
      if (single != null) {
        double perSecond = 1000 / single.p50Ms();
        System.out.println(stageLine("1, single", single.stages(), perSecond));
      }
      for (PipelineRow row : pipeline.values()) {
        System.out.println(stageLine(String.valueOf(row.maxBatch()), row.stages(), row.imagesPerSecond()));
      }
      printCpu(raw, pipeline, single);
    }
  }

  /**
   * CPU milliseconds per image by part, over the same measured rounds. With every part on the same
   * cores, pipeline img/s is at most cores x 1000 / (total CPU ms per image), while raw ORT gets the
   * cores to itself; so the ORT share of the total is roughly the best ratio this machine allows.
   */
  private static void printCpu(Map<Integer, RawOrtBenchmark.Row> raw, Map<Integer, PipelineRow> pipeline,
                               SingleImage single) {
    if ((single == null || single.cpu() == null) && pipeline.values().stream().allMatch(row -> row.cpu() == null)) {
      System.out.println("\nCPU per image: not measured (needs Linux /proc)");
      return;
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.println();
    System.out.println("Where the CPU goes: CPU ms per image by part over the measured rounds (Linux /proc counters,"
        + " 10 ms ticks; 'ort' is the session's threads; the stack's processes are counted whole; 'bench client'"
        + " is the load generator and is left out of 'total'). raw ORT CPU ms/img is this process's CPU per image"
        + " in the raw rounds. 'node' is the geohazard node's own threads (ort to other node threads); 'total' adds"
        + " the stack's processes and the rest of the machine. 'ORT share of total' = ort / total: with every part on"
        + " the same " + cores + " cores, about the best pipeline / raw this machine allows. 'ORT share of node' ="
        + " ort / node: the same bound for a node whose Kafka, S3, MariaDB and Redis run on other hosts.");
    StringBuilder header = new StringBuilder("| maxBatch | raw ORT CPU ms/img |");
    StringBuilder rule = new StringBuilder("| ---: | ---: |");
    for (String part : CpuAccounting.PARTS) {
      header.append(' ').append(part).append(" |");
      rule.append(" ---: |");
    }
    header.append(" node | total | machine busy | ORT share of node | ORT share of total |");
    rule.append(" ---: | ---: | ---: | ---: | ---: |");
    System.out.println(header);
    System.out.println(rule);
    if (single != null && single.cpu() != null) {
      System.out.println(cpuLine("1, single", raw.get(1), single.cpu()));
    }
    for (PipelineRow row : pipeline.values()) {
      if (row.cpu() != null) {
        System.out.println(cpuLine(String.valueOf(row.maxBatch()), raw.get(row.maxBatch()), row.cpu()));
      }
    }
    printCeiling(raw, pipeline, cores);
    printTraffic(pipeline);
  }

  /** Parts that any analysed image needs on a host where the stack runs beside the node (see printCeiling). */
  static final List<String> MUST_RUN = List.of("decode+letterbox", "probe+hash", "kafka broker", "s3proxy", "mariadb",
      "redis");

  /**
   * The best ratio this host allows if everything else the node spends (event loops, Kafka and S3 clients, GC, JIT,
   * other threads) were cut to nothing: ORT / (ORT + the parts every image needs on these cores). Assumes the CPU per
   * image of those parts stays as measured, the cores are all busy, and (for pipeline / raw) ORT costs the same CPU
   * per image in both and raw ORT keeps the cores as busy; the raw-ORT variant puts raw's CPU per image in place of
   * the pipeline's ORT (what ORT costs without neighbours evicting its caches).
   */
  private static void printCeiling(Map<Integer, RawOrtBenchmark.Row> raw, Map<Integer, PipelineRow> pipeline,
                                   int cores) {
    System.out.println();
    System.out.println("Ceiling on this host: ORT / (ORT + " + String.join(" + ", MUST_RUN) + "), CPU ms per image"
        + " from the rows above: the best 'ORT share of total' (and, if ORT costs the same CPU per image in raw"
        + " and pipeline and raw keeps all " + cores + " cores busy, the best pipeline / raw) reachable if every other"
        + " part of the node (event loops, Kafka and S3 clients, JVM GC and JIT, other threads) cost nothing and"
        + " the rest of the machine were idle. 'with raw ORT' uses raw ORT's CPU per image instead of the"
        + " pipeline's ORT. Goals (issue 26): pipeline / raw >= 0.95, ORT share of total >= 0.75.");
    for (PipelineRow row : pipeline.values()) {
      if (row.cpu() == null) {
        continue;
      }
      Map<String, Double> ms = row.cpu().msPerImage();
      double ort = ms.getOrDefault("ort", 0.0);
      double must = MUST_RUN.stream().mapToDouble(part -> ms.getOrDefault(part, 0.0)).sum();
      RawOrtBenchmark.Row rawRow = raw.get(row.maxBatch());
      double rawOrt = rawRow == null ? Double.NaN : rawRow.cpuMsPerImage();
      System.out.printf(Locale.ROOT, "maxBatch %d: ceiling %.2f = %.1f / (%.1f + %.1f)%s; measured ORT share of"
              + " total %.2f (goal 0.75)%s%n", row.maxBatch(), ort / (ort + must), ort, ort, must,
          Double.isNaN(rawOrt) ? "" : String.format(Locale.ROOT, "; with raw ORT %.2f = %.1f / (%.1f + %.1f)",
              rawOrt / (rawOrt + must), rawOrt, rawOrt, must),
          row.cpu().share("ort"),
          rawRow == null ? "" : String.format(Locale.ROOT, "; measured pipeline / raw %.2f (goal 0.95)",
              row.imagesPerSecond() / rawRow.imagesPerSecond()));
    }
  }

  /** The node's SQL and Redis commands and the records its broker took, per image (StackTraffic). */
  private static void printTraffic(Map<Integer, PipelineRow> pipeline) {
    for (PipelineRow row : pipeline.values()) {
      if (row.traffic() == null || row.traffic().isEmpty()) {
        continue;
      }
      System.out.println();
      System.out.printf("Stack traffic per image at maxBatch %d over the measured rounds (node's own client meters;"
          + " broker end offsets of this stack; MariaDB's whole-server counters):%n", row.maxBatch());
      row.traffic().forEach(System.out::println);
    }
  }

  private static String cpuLine(String label, RawOrtBenchmark.Row raw, CpuAccounting.PerImage cpu) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s |", label,
        raw == null || Double.isNaN(raw.cpuMsPerImage()) ? "-" : CpuAccounting.format(raw.cpuMsPerImage())));
    for (String part : CpuAccounting.PARTS) {
      line.append(' ').append(CpuAccounting.format(cpu.msPerImage().get(part))).append(" |");
    }
    line.append(String.format(Locale.ROOT, " %.1f | %.1f | %.0f %% | %.2f | %.2f |", cpu.nodeMsPerImage(),
        cpu.totalMsPerImage(), 100 * cpu.machineUtilisation(), cpu.shareOfNode("ort"), cpu.share("ort")));
    return line.toString();
  }

  private static String stageLine(String label, PipelineBenchmark.StageBreakdown stages, double imagesPerSecond) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f |", label, stages.uploadMeanMs()));
    for (Stage stage : Stage.values()) {
      line.append(String.format(Locale.ROOT, " %.1f |", stages.meanMs().get(stage)));
    }
    double busy = stages.meanMs().get(Stage.INFERENCE) * imagesPerSecond / 1000;
    line.append(String.format(Locale.ROOT, " %.0f %% |", 100 * busy));
    return line.toString();
  }

  /**
   * GEOHAZARD_MODEL_*, GEOHAZARD_BATCHER_* and the Kafka clients' grouping (GEOHAZARD_KAFKA_PRODUCER_LINGER_MS,
   * GEOHAZARD_KAFKA_COMMIT_INTERVAL_MS) of this process's environment apply to both parts alike.
   */
  private static Map<String, String> passThroughEnv() {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((key, value) -> {
      if (key.startsWith("GEOHAZARD_MODEL_") || key.startsWith("GEOHAZARD_BATCHER_")
          || key.equals("GEOHAZARD_KAFKA_PRODUCER_LINGER_MS") || key.equals("GEOHAZARD_KAFKA_COMMIT_INTERVAL_MS")) {
        env.put(key, value);
      }
    });
    return env;
  }

  private static void progress(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static List<Integer> parseSizes(String list) {
    List<Integer> sizes = new ArrayList<>();
    for (String item : list.split(",")) {
      sizes.add(Integer.parseInt(item.strip()));
    }
    return sizes;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
      }
      String name = args[i].substring(2);
      boolean flag = name.equals("gpu") || name.equals("raw-only");
      if (flag) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    return options;
  }
}
