package org.geohazard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.LargeScene;
import org.geohazard.inference.OfflineAnalyzer;
import org.geohazard.inference.SceneStages;

/**
 * A large scene's analysis against its two limits, in one run: decoding alone (every window of every model's look
 * read and letterboxed on the preprocessing threads, no model), inference alone (the models over as many windows,
 * in full batches, no reading) and the pipelined analysis that overlaps them ({@link OfflineAnalyzer}, the
 * windowing, batching and merging a node does, without the servers). Rounds alternate the three; medians are
 * printed with the ratio pipelined ÷ max(decode, inference) next to the goal (≤ 1.2), the floor two stages sharing
 * the cores cannot beat ((CPU of decode + CPU of inference) ÷ cores) and the pipelined run's peak heap against 2 GB.
 *
 * <pre>
 * java -cp ... org.geohazard.bench.ScenePipelineBenchmark [side] [file] [--bands 3,2,1] [--rounds 3]
 * </pre>
 * The scene is LargeScene's synthetic 4-band uint16 GeoTIFF (DEFLATE tiles, predictor 2), written once to
 * {@code file} when absent. {@code scripts/scene-bench.sh} runs it beside the same scene through a node.
 */
public final class ScenePipelineBenchmark {

  static final double GOAL_RATIO = 1.2;
  static final long HEAP_LIMIT_BYTES = 2L << 30;

  private ScenePipelineBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int side = 10_980;
    Path file = null;
    String bands = "3,2,1";
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bands" -> bands = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          if (args[i].matches("\\d+")) {
            side = Integer.parseInt(args[i]);
          } else {
            file = Path.of(args[i]);
          }
        }
      }
    }
    boolean temporary = file == null;
    if (temporary) {
      file = Files.createTempFile("scene", ".tif");
      Files.delete(file);
    }
    try {
      if (!Files.exists(file)) {
        LargeScene.scene(side).write(file);
      }
      run(file, bands, rounds);
    } finally {
      if (temporary) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void run(Path file, String bands, int rounds) throws Exception {
    // The node's settings, environment overrides included (e.g. GEOHAZARD_BATCHER_PREPROCESS_THREADS=1 to try one).
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, System.getenv(), new Properties()));
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = config.batcher().preprocessThreads();
    OfflineAnalyzer.Hints hints = new OfflineAnalyzer.Hints(null, null, null, bands, null);
    try (SceneStages stages = SceneStages.load(config);
         OfflineAnalyzer analyzer = OfflineAnalyzer.load(config, config.model().paths())) {
      System.out.printf(Locale.ROOT, "scene %s (%,d MB), bands %s; windows per model %s; %d cores, %d "
              + "preprocessing threads, batches of %d, -Xmx %,d MB%n", file.getFileName(), Files.size(file) >> 20,
          bands, stages.plan(file, bands), cores, threads, config.batcher().maxBatch(),
          Runtime.getRuntime().maxMemory() >> 20);
      List<Double> decodeWall = new ArrayList<>();
      List<Double> decodeCpu = new ArrayList<>();
      List<Double> inferWall = new ArrayList<>();
      List<Double> inferCpu = new ArrayList<>();
      List<Double> pipelinedWall = new ArrayList<>();
      List<Double> pipelinedCpu = new ArrayList<>();
      List<Double> ortInside = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> floors = new ArrayList<>();
      long peakHeap = 0;
      Analysis analysis = null;
      System.out.printf(Locale.ROOT, "%5s %12s %12s %12s %12s %12s%n", "round", "decode s", "inference s",
          "pipelined s", "ratio", "heap MB");
      for (int round = 0; round < rounds; round++) {
        SceneStages.Timing decode = stages.decodeAlone(file, bands, threads);
        SceneStages.Timing inference = stages.inferenceAlone(file, bands);
        HeapPeaks.reset();
        long cpu = SceneStages.processCpuNanos();
        double ortBefore = analyzer.sessionRunMillis();
        long start = System.nanoTime();
        analysis = analyzer.analyze(file, hints, (done, total) -> { });
        double pipelined = (System.nanoTime() - start) / 1e9;
        ortInside.add((analyzer.sessionRunMillis() - ortBefore) / 1000);
        pipelinedCpu.add((SceneStages.processCpuNanos() - cpu) / 1e9);
        long heap = HeapPeaks.peakBytes();
        peakHeap = Math.max(peakHeap, heap);
        decodeWall.add(decode.wallSeconds());
        decodeCpu.add(decode.cpuSeconds());
        inferWall.add(inference.wallSeconds());
        inferCpu.add(inference.cpuSeconds());
        pipelinedWall.add(pipelined);
        double ratio = pipelined / Math.max(decode.wallSeconds(), inference.wallSeconds());
        ratios.add(ratio);
        floors.add((decode.cpuSeconds() + inference.cpuSeconds()) / cores);
        System.out.printf(Locale.ROOT, "%5d %12.1f %12.1f %12.1f %12.2f %12d%n", round + 1, decode.wallSeconds(),
            inference.wallSeconds(), pipelined, ratio, heap >> 20);
      }
      double limit = Math.max(Stats.median(decodeWall), Stats.median(inferWall));
      System.out.printf(Locale.ROOT, "analysis: %d windows, %d detections, risk %s%n", analysis.tiles(),
          analysis.detections().size(), analysis.riskLevel());
      System.out.printf(Locale.ROOT, "medians of %d: decode alone %.1f s (CPU %.1f s), inference alone %.1f s "
              + "(CPU %.1f s), pipelined %.1f s (CPU %.1f s)%n", rounds, Stats.median(decodeWall),
          Stats.median(decodeCpu), Stats.median(inferWall), Stats.median(inferCpu), Stats.median(pipelinedWall),
          Stats.median(pipelinedCpu));
      System.out.printf(Locale.ROOT, "ONNX Runtime's runs inside the pipelined analysis: %.1f s (%.2f x inference "
          + "alone: the model slowed by decoding on the same cores)%n", Stats.median(ortInside),
          Stats.median(ortInside) / Stats.median(inferWall));
      System.out.printf(Locale.ROOT, "max(decode, inference) = %.1f s%n", limit);
      System.out.printf(Locale.ROOT, "pipelined / max(decode, inference): %.2f (median of rounds; goal <= %.1f)%n",
          Stats.median(ratios), GOAL_RATIO);
      double floor = Stats.median(floors);
      System.out.printf(Locale.ROOT, "floor on %d shared cores, (CPU decode + CPU inference) / cores = %.1f s = "
          + "%.2f x max; pipelined / floor: %.2f%n", cores, floor, floor / limit, Stats.median(pipelinedWall) / floor);
      System.out.printf(Locale.ROOT, "peak heap during the pipelined runs: %,d MB (limit %,d MB)%n", peakHeap >> 20,
          HEAP_LIMIT_BYTES >> 20);
    }
  }
}
