package org.geohazard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.inference.OfflineAnalyzer;

/**
 * The offline CLI's cost per image ({@link OfflineAnalyzer#analyze}: read, decode or window, letterbox, run,
 * decode boxes, merge seams, risk rules) next to the time ONNX Runtime's session runs took inside the same
 * analyses, median over rounds, per file; and the models' load time (once per CLI process). Run by
 * {@code scripts/cli-bench.sh}, which also times whole {@code java -jar ... analyze} processes.
 */
public final class OfflineAnalyzeBenchmark {

  private OfflineAnalyzeBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("rounds", 9);
    List<Path> files = new ArrayList<>();
    for (String arg : args) {
      files.add(Path.of(arg));
    }
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
    long loadStart = System.nanoTime();
    try (OfflineAnalyzer analyzer = OfflineAnalyzer.load(config, config.model().paths())) {
      System.out.printf("models %s loaded and warmed up in %.0f ms%n", analyzer.modelVersions(),
          (System.nanoTime() - loadStart) / 1e6);
      System.out.printf("%-44s %7s %6s %10s %10s %6s%n", "file", "pixels", "windows", "analyze ms", "ORT ms",
          "ratio");
      for (Path file : files) {
        if (!Files.exists(file)) {
          System.out.println(file + ": absent, skipped");
          continue;
        }
        analyzer.analyze(file, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
        List<Double> totals = new ArrayList<>();
        List<Double> runs = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        Analysis last = null;
        for (int round = 0; round < rounds; round++) {
          double ortBefore = analyzer.sessionRunMillis();
          long start = System.nanoTime();
          last = analyzer.analyze(file, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
          double total = (System.nanoTime() - start) / 1e6;
          double ort = analyzer.sessionRunMillis() - ortBefore;
          totals.add(total);
          runs.add(ort);
          ratios.add(total / ort);
        }
        String name = file.getFileName().toString();
        System.out.printf("%-44s %7s %6d %10.1f %10.1f %6.2f%n", name.length() > 44 ? name.substring(0, 44) : name,
            last.imageWidth() + "x" + last.imageHeight(), last.tiles(), Stats.median(totals), Stats.median(runs),
            Stats.median(ratios));
      }
    }
    System.out.println("ratio: analyze time over the ONNX Runtime session runs inside it (median of " + rounds
        + " rounds; 1.00 would be no cost besides the model)");
  }
}
