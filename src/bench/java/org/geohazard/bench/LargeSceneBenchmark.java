package org.geohazard.bench;

import java.awt.Rectangle;
import java.awt.image.Raster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.geohazard.SharedData;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.LargeScene;
import org.geohazard.inference.scene.SceneTiler;
import org.geohazard.inference.scene.SceneWindow;

/**
 * Reads a synthetic Sentinel-2-sized scene (default 10 980² × 4 bands uint16, 256² DEFLATE tiles with predictor 2,
 * 964 MB of samples) the way the inference worker does: one stretch, then every 640² tile of the plan (20 % overlap)
 * and the overview as RGB. Prints wall times and the peak heap next to the limit. Then the same windows through the
 * JDK's own TIFF reader ({@code javax.imageio}, region by region with {@code setSourceRegion}) against ours:
 * wall time, peak heap and whether every sample agrees, on this scene and on the shared GeoTIFFs.
 *
 * <pre>
 * mvn -B -q -Pbench test-compile
 * java -Xmx256m -cp target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     org.geohazard.bench.LargeSceneBenchmark [side] [file]
 * </pre>
 * Running it under {@code -Xmx256m} is itself the proof that the heap stays bounded: decoding the scene whole would
 * need four times that. The scene file is written (about 100 MB; once, reused if present) to the given path or a
 * temporary file that is deleted afterwards.
 */
public final class LargeSceneBenchmark {

  static final long PEAK_HEAP_LIMIT_BYTES = 300L << 20;
  /** The shared GeoTIFFs the readers are compared on (those javax.imageio can open at all). */
  static final String[] SHARED_TIFFS = {"geotiff/rasterio/RGB.byte.tif", "geotiff/r-cran-stars/L7_ETMs.tif",
      "geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif",
      "geotiff/kaikoura-landslides/satellite_imagery/image_difference/diff_landslide_70.tif"};

  private LargeSceneBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--write-only")) {
      // Used by scripts/scene-bench.sh, which measures the same scene through a running node.
      LargeScene.scene(Integer.parseInt(args[1])).write(Path.of(args[2]));
      return;
    }
    int side = args.length > 0 ? Integer.parseInt(args[0]) : 10_980;
    Path file = args.length > 1 ? Path.of(args[1]) : Files.createTempFile("scene", ".tif");
    boolean temporary = args.length <= 1;
    try {
      long writeStart = System.nanoTime();
      if (temporary || !Files.exists(file)) {
        LargeScene.scene(side).write(file);
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;
      LargeScene.Result result = LargeScene.readEveryTile(file);
      System.out.printf(Locale.ROOT, "scene %d × %d × 4 uint16 (%,d MB of samples), file %,d MB, written in %.1f s%n",
          side, side, 8L * side * side >> 20, Files.size(file) >> 20, writeSeconds);
      System.out.printf(Locale.ROOT, "read %d tiles + overview as RGB in %.1f s (stretch %.1f s); checksum %d%n",
          result.tiles(), result.seconds(), result.stretchSeconds(), result.checksum());
      System.out.printf(Locale.ROOT, "peak heap used %,d MB (limit %,d MB), -Xmx %,d MB%n",
          result.peakHeapBytes() >> 20, PEAK_HEAP_LIMIT_BYTES >> 20, Runtime.getRuntime().maxMemory() >> 20);
      System.out.println();
      System.out.println("raw samples of every 640² tile: ours vs javax.imageio (JDK TIFF plug-in, setSourceRegion)");
      System.out.printf(Locale.ROOT, "%-28s %6s %10s %10s %12s %12s %s%n", "file", "tiles", "ours s", "JDK s",
          "ours heap MB", "JDK heap MB", "samples");
      compare(file.getFileName().toString(), file);
      for (String shared : SHARED_TIFFS) {
        Path tiff = SharedData.folder().resolve(shared);
        if (Files.isRegularFile(tiff)) {
          compare(tiff.getFileName().toString(), tiff);
        } else {
          System.out.println(shared + ": absent (no ../shared/data here)");
        }
      }
      if (result.peakHeapBytes() > PEAK_HEAP_LIMIT_BYTES) {
        System.exit(1);
      }
    } finally {
      if (temporary) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Reads every tile's raw samples with both readers; prints times, peak heaps and whether all samples agree. */
  static void compare(String name, Path file) throws Exception {
    List<SceneWindow> tiles;
    int bands;
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      tiles = new SceneTiler(640).plan(raster.width(), raster.height()).tiles();
      bands = raster.bandCount();
    }
    List<float[]> ours = new ArrayList<>();
    HeapPeaks.reset();
    long start = System.nanoTime();
    long oursChecksum = 0;
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      int[] all = new int[bands];
      for (int b = 0; b < bands; b++) {
        all[b] = b;
      }
      for (SceneWindow tile : tiles) {
        float[] samples = new float[tile.width() * tile.height() * bands];
        raster.readWindow(tile.x(), tile.y(), tile.width(), tile.height(), all, samples);
        oursChecksum += checksum(samples);
        if (ours.size() < 4) {
          ours.add(samples);  // a few tiles kept for the sample-by-sample comparison (memory stays bounded)
        }
      }
    }
    double oursSeconds = (System.nanoTime() - start) / 1e9;
    long oursPeak = HeapPeaks.peakBytes();

    HeapPeaks.reset();
    start = System.nanoTime();
    long jdkChecksum = 0;
    String verdict;
    boolean firstEqual = true;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("tiff");
      ImageReader reader = readers.next();
      reader.setInput(in);
      int index = 0;
      for (SceneWindow tile : tiles) {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(tile.x(), tile.y(), tile.width(), tile.height()));
        Raster raster = reader.canReadRaster() ? reader.readRaster(0, param) : reader.read(0, param).getRaster();
        float[] samples = new float[tile.width() * tile.height() * bands];
        // Ours is band-sequential per window (band 0's plane, then band 1's...).
        for (int b = 0; b < bands; b++) {
          float[] plane = raster.getSamples(0, 0, tile.width(), tile.height(), b, (float[]) null);
          System.arraycopy(plane, 0, samples, b * plane.length, plane.length);
        }
        jdkChecksum += checksum(samples);
        if (index < ours.size()) {
          firstEqual &= Arrays.equals(ours.get(index), samples);
        }
        index++;
      }
      reader.dispose();
      verdict = firstEqual && oursChecksum == jdkChecksum ? "equal" : "DIFFER";
    } catch (Exception | Error e) {
      verdict = "JDK reader failed: " + e;
    }
    double jdkSeconds = (System.nanoTime() - start) / 1e9;
    long jdkPeak = HeapPeaks.peakBytes();
    System.out.printf(Locale.ROOT, "%-28s %6d %10.2f %10.2f %12d %12d %s%n", name, tiles.size(), oursSeconds, jdkSeconds,
        oursPeak >> 20, jdkPeak >> 20, verdict);
  }

  private static long checksum(float[] samples) {
    long sum = 0;
    for (int i = 0; i < samples.length; i += 97) {
      sum = sum * 31 + Float.floatToIntBits(samples[i]);
    }
    return sum;
  }
}
