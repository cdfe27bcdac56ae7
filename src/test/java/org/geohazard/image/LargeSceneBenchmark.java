package org.geohazard.image;

import org.geohazard.inference.scene.SceneTiler;
import org.geohazard.inference.scene.SceneWindow;
import org.geohazard.inference.scene.TilePlan;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a synthetic Sentinel-2-sized scene (default 10 980² × 4 bands uint16, 256² DEFLATE tiles with predictor 2,
 * 964 MB of samples) the way the inference worker will: one stretch from the overview, then every 640² tile of the
 * plan (20 % overlap) and the overview as RGB. Prints wall times and the peak heap next to the limit.
 *
 * <pre>
 * mvn -B -q -o test-compile
 * java -Xmx256m -cp target/classes:target/test-classes org.geohazard.image.LargeSceneBenchmark [side] [file]
 * </pre>
 * Running it under {@code -Xmx256m} is itself the proof that the heap stays bounded: decoding the scene whole would
 * need four times that. The scene file is written (about 100 MB; once, reused if present) to the given path or a
 * temporary file that is deleted afterwards.
 */
public final class LargeSceneBenchmark {

  static final long PEAK_HEAP_LIMIT_BYTES = 300L << 20;

  private LargeSceneBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--write-only")) {
      // Used by scripts/scene-bench.sh, which measures the same scene through a running node.
      scene(Integer.parseInt(args[1])).write(Path.of(args[2]));
      return;
    }
    int side = args.length > 0 ? Integer.parseInt(args[0]) : 10_980;
    Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("scene", ".tif");
    boolean temporary = args.length <= 1;
    try {
      long writeStart = System.nanoTime();
      if (temporary || !Files.exists(file)) {
        scene(side).write(file);
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
      Result result = readEveryTile(file);
      System.out.printf(Locale.ROOT, "scene %d × %d × 4 uint16 (%,d MB of samples), file %,d MB, written in %.1f s%n",
          side, side, 8L * side * side >> 20, Files.size(file) >> 20, writeSeconds);
      System.out.printf(Locale.ROOT, "read %d tiles + overview as RGB in %.1f s (stretch %.1f s); checksum %d%n",
          result.tiles, result.seconds, result.stretchSeconds, result.checksum);
      System.out.printf(Locale.ROOT, "peak heap used %,d MB (limit %,d MB), -Xmx %,d MB%n",
          result.peakHeapBytes >> 20, PEAK_HEAP_LIMIT_BYTES >> 20, Runtime.getRuntime().maxMemory() >> 20);
      if (result.peakHeapBytes > PEAK_HEAP_LIMIT_BYTES) {
        System.exit(1);
      }
    } finally {
      if (temporary) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Smooth gradients per band: compresses like real land cover with predictor 2, values vary in every tile. */
  static GeoTiffFixture scene(int side) {
    return new GeoTiffFixture(side, side).bands(4, SampleType.UINT16).tiles(256)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> expected(band, x, y))
        .georeferenced(32633, true, 300_000, 5_000_000, 10, 10);
  }

  static int expected(int band, int x, int y) {
    return 500 + band * 1000 + (x / 8 + y / 8) % 900;
  }

  record Result(int tiles, double seconds, double stretchSeconds, long checksum, long peakHeapBytes) {
  }

  static Result readEveryTile(Path file) throws Exception {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    long checksum = 0;
    int tiles = 0;
    double stretchSeconds;
    ImageLimits limits = ImageLimits.DEFAULT;
    try (GeoTiffRaster raster = GeoTiffRaster.open(file, limits, GeoTiffRaster.DEFAULT_CACHE_BYTES)) {
      TilePlan plan = new SceneTiler(640).plan(raster.width(), raster.height());
      BandStretch stretch = BandStretch.fromScene(raster, BandStretch.parseBands("3,2,1", raster.bandCount()));
      stretchSeconds = (System.nanoTime() - start) / 1e9;
      for (SceneWindow window : plan.windows()) {
        RgbImage rgb = stretch.read(raster, window.x(), window.y(), window.width(), window.height(),
            window.outputWidth(), window.outputHeight());
        checksum += rgb.rgb()[rgb.rgb().length / 2] & 0xFF;
        tiles++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return new Result(tiles - 1, seconds, stretchSeconds, checksum, peak);
  }
}
