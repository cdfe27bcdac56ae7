package org.geohazard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.geohazard.bus.ImageClaim;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SampleType;
import org.geohazard.inference.processing.Postprocessing;
import org.geohazard.inference.runtime.ExecutionProvider;
import org.geohazard.inference.runtime.ModelMetadata;
import org.geohazard.inference.runtime.OnnxDetector;
import org.geohazard.inference.scene.ScenePair;
import org.geohazard.inference.runtime.SessionConfig;
import org.geohazard.inference.scene.SceneSource;

/**
 * What a before/after pair adds to a scene's analysis, printed beside a single image's model latency: the change
 * step alone ({@link ScenePair#read}: the before scene co-registered onto the scene's grid, the change rules, the
 * polygons) on 13-band Sentinel-2 pairs of 256², 1024² and 2048² pixels (DEFLATE GeoTIFFs made here, a flood
 * appearing), median of its runs after a warm-up; and {@link OnnxDetector#detect} of one 256² image by the S2 flood
 * model, the cost of a scene of that size alone. Run it by hand,
 * <pre>
 *   mvn -B -q -o -Pbench test-compile -Dweb.skipInstall=true
 *   java -cp target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath) \
 *       org.geohazard.bench.PairLatency [models/geohazard-s2flood.onnx]
 * </pre>
 */
public final class PairLatency {

  private PairLatency() {
  }

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/geohazard-s2flood.onnx");
    Path dir = Files.createTempDirectory("pair-latency");
    ImageLimits limits = ImageLimits.DEFAULT;
    SessionConfig config = new SessionConfig(0, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.CPU, 0,
        true, true, true);
    double detectMs;
    try (OnnxDetector detector = OnnxDetector.open(model, config, Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard())) {
      byte[] pixels = new byte[256 * 256 * 3];
      new Random(1).nextBytes(pixels);
      RgbImage image = new RgbImage(256, 256, pixels);
      List<Double> ms = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        long t0 = System.nanoTime();
        detector.detect(List.of(image));
        if (i >= 5) {
          ms.add((System.nanoTime() - t0) / 1e6);
        }
      }
      detectMs = Stats.median(ms);
    }
    System.out.printf("single image: detect of a 256 x 256 image by %s: median %.1f ms%n", model.getFileName(),
        detectMs);
    ImageClaim claim = new ImageClaim("bench", "0".repeat(64), "k", "image/tiff", null, null, null, null, null, null,
        0L);
    for (int side : new int[] {256, 1024, 2048}) {
      Path before = scene(dir, side, false);
      Path after = scene(dir, side, true);
      List<Double> ms = new ArrayList<>();
      int runs = side <= 256 ? 25 : side <= 1024 ? 8 : 4;
      for (int i = 0; i < runs + 2; i++) {
        long t0 = System.nanoTime();
        try (SceneSource source = SceneSource.open(after, limits);
             GeoTiffRaster earlier = GeoTiffRaster.open(before)) {
          ScenePair.read(claim, source, earlier, "b".repeat(64), t0);
        }
        if (i >= 2) {
          ms.add((System.nanoTime() - t0) / 1e6);
        }
      }
      double median = Stats.median(ms);
      System.out.printf("pair %d x %d, 13 bands: change step median %.1f ms (%d runs) = %.2f x the single-image"
          + " detect above%n", side, side, median, runs, median / detectMs);
    }
  }

  private static Path scene(Path dir, int side, boolean flooded) throws Exception {
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      boolean water = (x < side / 4 && y < side / 4)
          || (flooded && Math.hypot(x - side * 0.6, y - side * 0.6) < side * 0.2);
      int b = band + 1;
      double noise = ((x * 31 + y * 17 + b * 7) % 13) * 10;
      if (water) {
        return (b == 3 ? 800 : b == 11 || b == 12 ? 120 : 300) + noise;
      }
      return (b == 3 ? 700 : b == 8 ? 3200 : b == 4 ? 500 : 2200) + noise;
    };
    return new GeoTiffFixture(side, side).bands(13, SampleType.UINT16).compression(GeoTiffFixture.Compression.DEFLATE)
        .tiles(256).georeferenced(32630, true, 600_000, 4_200_000, 10, 10).samples(samples)
        .write(Files.createTempFile(dir, flooded ? "after-" : "before-", ".tif"));
  }
}
