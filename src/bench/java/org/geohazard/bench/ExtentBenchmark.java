package org.geohazard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.geohazard.inference.OfflineAnalyzer;

/**
 * Issue 24's timing target: a Sentinel-2-sized scene's flood extent in at most 1.3 × the time of its detection
 * pass, heap bounded. One synthetic 13-band uint16 scene (default 10 980², 10 m UTM, inland Spain; 256² DEFLATE
 * tiles; lakes and a river with water's spectrum on dry land, so the mask has regions, edges and specks) is
 * analysed by two offline analyzers with the same planning, batching and reading as a node
 * ({@link OfflineAnalyzer}): the Sentinel-2 detector alone (its pass: tiles plus the full view, seams merged) and
 * the Sentinel-2 mask model alone (its pass: tiles, stitched, specks dropped, traced, cut to land, GeoTIFF
 * written). Prints each round, the medians, their ratio next to the limit 1.3, and the peak heap of each.
 * Usage: ExtentBenchmark [side] [rounds] [scene file] (defaults 10980, 3, a temporary file).
 */
public final class ExtentBenchmark {

  private static final double LIMIT = 1.3;

  private ExtentBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int side = args.length > 0 ? Integer.parseInt(args[0]) : 10_980;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path scene = args.length > 2 ? Path.of(args[2]) : Files.createTempFile("extent-scene-", ".tif");
    Path mask = Files.createTempFile("extent-mask-", ".tif");
    try {
      if (args.length <= 2 || !Files.exists(scene)) {
        long start = System.nanoTime();
        scene(side).write(scene);
        System.out.printf("scene %d² x 13 bands uint16 written in %.1f s (%d MB)%n", side,
            (System.nanoTime() - start) / 1e9, Files.size(scene) >> 20);
      }
      AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties()));
      List<Double> detection = new ArrayList<>();
      List<Double> extent = new ArrayList<>();
      List<Double> detectionRuns = new ArrayList<>();
      List<Double> maskRuns = new ArrayList<>();
      long detectionHeap = 0;
      long extentHeap = 0;
      try (OfflineAnalyzer detector = OfflineAnalyzer.load(config, List.of(Path.of("models/geohazard-s2flood.onnx")));
           OfflineAnalyzer masker = OfflineAnalyzer.load(config, List.of(Path.of("models/geohazard-s2seg.onnx")))) {
        for (int round = 0; round < rounds; round++) {
          // Alternated, so that the machine's load drifts over both alike.
          HeapPeaks.reset();
          double detectionOrt = detector.sessionRunMillis();
          double maskOrt = masker.sessionRunMillis();
          long start = System.nanoTime();
          Analysis detected = detector.analyze(scene, OfflineAnalyzer.Hints.NONE, (done, total) -> { });
          double detectionS = (System.nanoTime() - start) / 1e9;
          detectionHeap = Math.max(detectionHeap, HeapPeaks.peakBytes());
          HeapPeaks.reset();
          start = System.nanoTime();
          int[] maskWindows = new int[1];
          Analysis masked = masker.analyze(scene, OfflineAnalyzer.Hints.NONE, (done, total) -> maskWindows[0] = total,
              mask);
          double extentS = (System.nanoTime() - start) / 1e9;
          extentHeap = Math.max(extentHeap, HeapPeaks.peakBytes());
          detectionOrt = (detector.sessionRunMillis() - detectionOrt) / 1e3;
          maskOrt = (masker.sessionRunMillis() - maskOrt) / 1e3;
          detectionRuns.add(detectionOrt);
          maskRuns.add(maskOrt);
          AnalysisExtent drawn = masked.floodExtent().orElseThrow(() ->
              new IllegalStateException("the mask model drew no extent"));
          detection.add(detectionS);
          extent.add(extentS);
          System.out.printf("round %d: detection %.1f s (ORT %.1f s; %d windows, %d detections), extent %.1f s (ORT %.1f s;"
                  + " %d windows, %.2f km² in %d polygons, %d specks dropped, mask %d MB), ratio %.2f%n", round + 1,
              detectionS, detectionOrt,
              detected.tiles(), detected.detections().size(), extentS, maskOrt, maskWindows[0], drawn.floodedKm2(),
              drawn.polygons().size() + drawn.polygonsOmitted(), drawn.droppedRegions(), Files.size(mask) >> 20,
              extentS / detectionS);
        }
      }
      double ratio = Stats.median(extent) / Stats.median(detection);
      System.out.printf("median over %d rounds: detection pass %.1f s, extent %.1f s; extent / detection %.2f "
              + "(limit %.1f: %s)%n", rounds, Stats.median(detection), Stats.median(extent), ratio, LIMIT,
          ratio <= LIMIT ? "met" : "NOT met");
      System.out.printf("inside ONNX Runtime (median): detector %.1f s, mask model %.1f s, ratio %.2f: the rest of the "
          + "extent pass (reading, stitching, specks, polygons, land cut, GeoTIFF) %.1f s against the detection pass's "
          + "%.1f s%n", Stats.median(detectionRuns), Stats.median(maskRuns),
          Stats.median(maskRuns) / Stats.median(detectionRuns), Stats.median(extent) - Stats.median(maskRuns),
          Stats.median(detection) - Stats.median(detectionRuns));
      System.out.printf("peak heap: detection %d MB, extent %d MB (max heap %d MB)%n", detectionHeap >> 20,
          extentHeap >> 20, Runtime.getRuntime().maxMemory() >> 20);
    } finally {
      if (args.length <= 2) {
        Files.deleteIfExists(scene);
      }
      Files.deleteIfExists(mask);
    }
  }

  /** Water (dark NIR and SWIR, brighter green) in lakes, a river and scattered ponds, on dry land. */
  static GeoTiffFixture scene(int side) {
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      int cx = x % 1500 - 750;
      int cy = y % 1500 - 750;
      boolean lake = cx * cx + cy * cy < 300 * 300;
      boolean river = Math.abs(y - (side / 3 + x / 5)) < 6;
      boolean pond = ((x * 7919 + y * 104_729) & 1023) == 0;
      boolean water = lake || river || pond;
      int b = band + 1;
      int value = water ? (b == 3 ? 1300 : b == 2 ? 1100 : b == 4 ? 900 : b >= 8 ? 250 : 700)
          : (b == 3 ? 900 : b == 2 ? 700 : b == 4 ? 1000 : b == 8 || b == 9 ? 3200 : b >= 11 ? 2400 : 1500);
      return value + (x * 31 + y * 17 + band * 7) % 97;
    };
    return new GeoTiffFixture(side, side).bands(13, SampleType.UINT16).tiles(256)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing().samples(samples)
        .georeferenced(32630, true, 600_000, 4_250_000, 10, 10);
  }
}
