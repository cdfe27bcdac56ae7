package org.geohazard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.inference.OfflineAnalyzer;
import org.geohazard.testing.PairScenes;

/**
 * What a look with another sensor's scene costs (issue 22, {@code other_sensor_image_id}): the shipped Sentinel-2 and
 * Sentinel-1 detectors through the offline pipeline (the node's planning, batching and assembly) on a 256² 13-band
 * optical scene in UTM and its 296² radar scene in geographic coordinates ({@code PairScenes}). Printed: the median
 * of each scene analysed alone and of the look, and the look against its limit, the two analyses alone added (the
 * look analyses both; what is beyond their sum is the check, the placing of the other scene's boxes and the
 * corroboration). Usage: {@code scripts/other-sensor-bench.sh [rounds]} (default 30).
 */
public final class OtherSensorLatency {

  private OtherSensorLatency() {
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
    Path dir = Files.createTempDirectory("other-sensor-latency");
    Path optical = PairScenes.sentinel2(dir, true, 612_340, 1);
    Path radar = PairScenes.sentinel1Geographic(dir, true, 612_340, 2);
    try (OfflineAnalyzer analyzer = OfflineAnalyzer.load(config, List.of(Path.of("models/geohazard-s2flood.onnx"),
        Path.of("models/geohazard-s1flood.onnx")))) {
      List<Double> opticalMs = new ArrayList<>();
      List<Double> radarMs = new ArrayList<>();
      List<Double> lookMs = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < rounds + 5; i++) {
        // Interleaved, so that the machine's load falls on all three alike.
        double a = timed(() -> analyzer.analyze(optical, OfflineAnalyzer.Hints.NONE, (done, total) -> { }));
        double b = timed(() -> analyzer.analyze(radar, OfflineAnalyzer.Hints.NONE, (done, total) -> { }));
        double c = timed(() -> analyzer.analyzeWith(optical, null, radar, OfflineAnalyzer.Hints.NONE,
            (done, total) -> { }, null));
        if (i >= 5) {
          opticalMs.add(a);
          radarMs.add(b);
          lookMs.add(c);
          ratios.add(c / (a + b));
        }
      }
      double optical50 = Stats.median(opticalMs);
      double radar50 = Stats.median(radarMs);
      double look50 = Stats.median(lookMs);
      System.out.printf("optical 256 x 256 (13 bands, UTM) alone: median %.1f ms%n", optical50);
      System.out.printf("radar 296 x 296 (VV dB, EPSG:4326) alone: median %.1f ms%n", radar50);
      System.out.printf("optical looked at with the radar scene: median %.1f ms%n", look50);
      System.out.printf("look / (optical alone + radar alone): median of %d rounds %.2f (limit 1.00: the two "
          + "analyses; what is beyond is the check, placing and corroboration)%n", rounds,
          Stats.median(ratios));
    }
  }

  private interface Run {
    Object run() throws Exception;
  }

  private static double timed(Run run) throws Exception {
    long t0 = System.nanoTime();
    run.run();
    return (System.nanoTime() - t0) / 1e6;
  }
}
