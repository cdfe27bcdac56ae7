package org.geohazard.image;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.geohazard.inference.scene.SceneTiler;
import org.geohazard.inference.scene.SceneWindow;
import org.geohazard.inference.scene.TilePlan;

/**
 * A synthetic Sentinel-2-like scene of any size (4 bands uint16, 256² DEFLATE tiles with predictor 2) and the way
 * the inference worker reads it: one stretch, then every 640² tile of the plan and the overview as RGB.
 * {@code LargeSceneTest} reads a small one; {@code bench.LargeSceneBenchmark} a 10 980² one, and measures.
 */
public final class LargeScene {

  private LargeScene() {
  }

  /** Smooth gradients per band: compresses like real land cover with predictor 2, values vary in every tile. */
  public static GeoTiffFixture scene(int side) {
    return new GeoTiffFixture(side, side).bands(4, SampleType.UINT16).tiles(256)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> expected(band, x, y))
        .georeferenced(32633, true, 300_000, 5_000_000, 10, 10);
  }

  public static int expected(int band, int x, int y) {
    return 500 + band * 1000 + (x / 8 + y / 8) % 900;
  }

  public record Result(int tiles, double seconds, double stretchSeconds, long checksum, long peakHeapBytes) {
  }

  public static Result readEveryTile(Path file) throws Exception {
    return readEveryTile(() -> GeoTiffRaster.open(file, ImageLimits.DEFAULT, GeoTiffRaster.DEFAULT_CACHE_BYTES));
  }

  /**
   * The same from a raster opened by {@code open} (a file, or an object read by ranged requests), the opening
   * timed with the rest.
   */
  public static Result readEveryTile(Callable<GeoTiffRaster> open) throws Exception {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    long start = System.nanoTime();
    long checksum = 0;
    int tiles = 0;
    double stretchSeconds;
    try (GeoTiffRaster raster = open.call()) {
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
