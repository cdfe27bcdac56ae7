package org.geohazard.image;

import org.geohazard.geo.GeoTiffTags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.geohazard.image.GeoTiffFixture.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeoTiffRasterTest {

  @TempDir
  Path folder;

  /** Distinct values per band and pixel that fit every sample type, including 8-bit. */
  private static double value(SampleType type, int band, int x, int y) {
    long v = (x * 7L + y * 13L + band * 31L) % 251;
    return switch (type) {
      case INT8 -> v - 125;
      case INT16 -> v * 100 - 12_000;
      case UINT16 -> v * 250 + 1_000;
      case INT32 -> v * 100_000 - 9_000_000;
      case UINT32 -> v * 100_000;
      case FLOAT32, FLOAT64 -> v / 8.0 - 3.25;
      default -> v;
    };
  }

  static Stream<Arguments> layouts() {
    Stream.Builder<Arguments> layouts = Stream.builder();
    for (SampleType type : SampleType.values()) {
      for (Compression compression : Compression.values()) {
        layouts.add(Arguments.of(type, compression, false, false, 0, false));
        layouts.add(Arguments.of(type, compression, true, true, 32, true));
      }
      layouts.add(Arguments.of(type, Compression.LZW, true, false, 0, false));
      layouts.add(Arguments.of(type, Compression.DEFLATE, false, true, 48, false));
    }
    return layouts.build();
  }

  @ParameterizedTest(name = "{0} {1} predictor={2} planar={3} tile={4} bigEndian={5}")
  @MethodSource("layouts")
  void readsEveryWindowOfEveryLayoutExactly(SampleType type, Compression compression, boolean predictor,
      boolean planar, int tile, boolean bigEndian) throws Exception {
    int width = 101;
    int height = 75;
    GeoTiffFixture fixture = new GeoTiffFixture(width, height).bands(3, type).compression(compression)
        .rowsPerStrip(7).samples((band, x, y) -> value(type, band, x, y));
    if (predictor) {
      fixture.horizontalDifferencing();
    }
    if (planar) {
      fixture.planar();
    }
    if (tile > 0) {
      fixture.tiles(tile);
    }
    if (bigEndian) {
      fixture.bigEndian();
    }
    Path file = fixture.write(folder.resolve("layout.tif"));

    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      assertThat(raster.width()).isEqualTo(width);
      assertThat(raster.height()).isEqualTo(height);
      assertThat(raster.bandCount()).isEqualTo(3);
      assertThat(raster.sampleType()).isEqualTo(type);
      assertThat(raster.tiled()).isEqualTo(tile > 0);

      int[][] windows = {{0, 0, width, height}, {33, 20, 40, 31}, {width - 1, height - 1, 1, 1}, {60, 5, 41, 70}};
      for (int[] w : windows) {
        int[] bands = {2, 0};
        float[] out = new float[w[2] * w[3] * bands.length];
        raster.readWindow(w[0], w[1], w[2], w[3], bands, out);
        for (int i = 0; i < bands.length; i++) {
          for (int y = 0; y < w[3]; y++) {
            for (int x = 0; x < w[2]; x++) {
              assertThat(out[(i * w[3] + y) * w[2] + x])
                  .as("band %d at %d,%d", bands[i], w[0] + x, w[1] + y)
                  .isEqualTo((float) value(type, bands[i], w[0] + x, w[1] + y));
            }
          }
        }
      }
    }
  }

  @Test
  void downsampledReadTakesTheNearestPixelOfEachOutputCell() throws Exception {
    Path file = new GeoTiffFixture(400, 300).bands(2, SampleType.UINT16).tiles(64)
        .compression(Compression.DEFLATE).samples((band, x, y) -> band * 7 + y * 200 + x)
        .write(folder.resolve("overview.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      float[] out = new float[100 * 75 * 2];
      raster.readWindow(0, 0, 400, 300, new int[] {0, 1}, 100, 75, out);
      // Output pixel (ox, oy) covers source columns 4·ox..4·ox+3; its centre's nearest pixel is 4·ox+2.
      assertThat(out[0]).isEqualTo(2 * 200 + 2);
      assertThat(out[(0 * 75 + 10) * 100 + 20]).isEqualTo((4 * 10 + 2) * 200 + 4 * 20 + 2);
      assertThat(out[(1 * 75 + 74) * 100 + 99]).isEqualTo(7 + 298 * 200 + 398);
    }
  }

  @Test
  void lzwDecoderUndoesTheTestEncoderOnRandomAndRepetitiveData() {
    Random random = new Random(42);
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i < 100_000 ? random.nextInt(256) : (i / 1000) % 3);
    }
    byte[] decoded = new byte[data.length];
    assertThat(TiffLzw.decode(GeoTiffFixture.lzw(data), decoded)).isEqualTo(data.length);
    assertThat(decoded).isEqualTo(data);
  }

  @Test
  void readsGdalNoDataAndGeoTiffTags() throws Exception {
    Path file = new GeoTiffFixture(10, 10).bands(1, SampleType.FLOAT32).noData("nan")
        .georeferenced(32618, true, 101985, 2826915, 300, 300).write(folder.resolve("tags.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      assertThat(raster.noData().getAsDouble()).isNaN();
      GeoTiffTags tags = raster.geoTags();
      assertThat(tags.georeferenced()).isTrue();
      assertThat(tags.modelTiepoints()).containsExactly(0, 0, 0, 101985, 2826915, 0);
      assertThat(tags.modelPixelScale()).containsExactly(300, 300, 0);
      assertThat(tags.geoKeyDirectory()).contains(3072, 32618);
    }
    Path integer = new GeoTiffFixture(4, 4).noData("-9999").write(folder.resolve("nodata.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(integer)) {
      assertThat(raster.noData()).hasValue(-9999);
      assertThat(raster.geoTags().georeferenced()).isFalse();
    }
  }

  @Test
  void rejectsWindowsOutsideTheImageAndUnknownBands() throws Exception {
    Path file = new GeoTiffFixture(20, 10).write(folder.resolve("small.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      float[] out = new float[400];
      assertThatThrownBy(() -> raster.readWindow(15, 0, 10, 5, new int[] {0}, out))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not inside");
      assertThatThrownBy(() -> raster.readWindow(0, 0, 5, 5, new int[] {1}, out))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("band index 1");
      assertThatThrownBy(() -> raster.readWindow(0, 0, 20, 10, new int[] {0, 0, 0}, out))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("destination");
    }
  }

  /**
   * Several threads reading windows of one scene at once (how a large scene's tiles are decoded in parallel) get
   * exactly what one thread reading them in turn gets, through a cache small enough to evict blocks under them.
   */
  @Test
  void concurrentReadersOfOneRasterReadExactly() throws Exception {
    int width = 300;
    int height = 260;
    Path file = new GeoTiffFixture(width, height).bands(3, SampleType.UINT16).tiles(32)
        .compression(Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> value(SampleType.UINT16, band, x, y)).write(folder.resolve("shared.tif"));
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    // Three 32² tiles of 3 × 16 bits: a window needs up to 16 of them, so blocks are evicted while others read.
    try (GeoTiffRaster raster = GeoTiffRaster.open(file, ImageLimits.DEFAULT, 3 * 32 * 32 * 6)) {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        readers.add(pool.submit(() -> {
          Random random = new Random(seed);
          start.await();
          int checked = 0;
          for (int read = 0; read < 150; read++) {
            int w = 1 + random.nextInt(120);
            int h = 1 + random.nextInt(120);
            int x = random.nextInt(width - w + 1);
            int y = random.nextInt(height - h + 1);
            int[] bands = {random.nextInt(3), random.nextInt(3)};
            float[] out = new float[w * h * 2];
            raster.readWindow(x, y, w, h, bands, out);
            for (int i = 0; i < 2; i++) {
              for (int row = 0; row < h; row++) {
                for (int column = 0; column < w; column++) {
                  if (out[(i * h + row) * w + column] != (float) value(SampleType.UINT16, bands[i], x + column,
                      y + row)) {
                    throw new AssertionError("band " + bands[i] + " at " + (x + column) + "," + (y + row));
                  }
                  checked++;
                }
              }
            }
          }
          return checked;
        }));
      }
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(1, TimeUnit.MINUTES)).isPositive();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Threads wanting the same missing blocks at the same moment wait for one decoding of each, not one apiece. */
  @Test
  void aBlockWantedByManyThreadsAtOnceIsDecodedOnce() throws Exception {
    Path file = new GeoTiffFixture(256, 256).bands(4, SampleType.UINT16).tiles(64).compression(Compression.DEFLATE)
        .samples((band, x, y) -> band + x * y).write(folder.resolve("same.tif"));
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      for (int round = 0; round < 5; round++) {
        // Each round a new 128² window (4 tiles, chunky: one block per tile), read by every thread at once.
        int x = (round % 2) * 128;
        int y = (round / 2 % 2) * 128;
        long before = raster.blocksDecoded();
        List<Future<float[]>> reads = allAtOnce(pool, threads, () -> {
          float[] out = new float[128 * 128 * 4];
          raster.readWindow(x, y, 128, 128, new int[] {0, 1, 2, 3}, out);
          return out;
        });
        float[] first = reads.get(0).get(1, TimeUnit.MINUTES);
        for (Future<float[]> read : reads) {
          assertThat(read.get(1, TimeUnit.MINUTES)).isEqualTo(first);
        }
        assertThat(first[(3 * 128 + 5) * 128 + 7]).isEqualTo(3 + (x + 7) * (y + 5));
        long expected = round < 4 ? 4 : 0;  // round 4 reads round 0's window again: all cached
        assertThat(raster.blocksDecoded() - before).as("round %d", round).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A corrupt block fails every reader that wanted it, whether it decoded it or waited for another's decoding. */
  @Test
  void aCorruptBlockFailsEveryConcurrentReader() throws Exception {
    Path file = withCorruptFirstTile("corrupt-shared.tif");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      List<Future<Object>> reads = allAtOnce(pool, 4, () -> {
        raster.readWindow(0, 0, 10, 10, new int[] {0}, new float[100]);
        return null;
      });
      for (Future<Object> read : reads) {
        assertThatThrownBy(() -> read.get(1, TimeUnit.MINUTES)).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(InvalidImageException.class)
            .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("invalid_image");
      }
      // Not cached as decoded: the next read tries again, and fails again.
      assertThatThrownBy(() -> raster.readWindow(0, 0, 10, 10, new int[] {0}, new float[100]))
          .isInstanceOf(InvalidImageException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The same task on {@code threads} threads of the pool, released together by a barrier. */
  private static <T> List<Future<T>> allAtOnce(ExecutorService pool, int threads, Callable<T> task) {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<T>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(pool.submit(() -> {
        start.await();
        return task.call();
      }));
    }
    return running;
  }

  /** A DEFLATE-tiled file whose first tile's data (right after the 8-byte header) is overwritten with garbage. */
  private Path withCorruptFirstTile(String name) throws Exception {
    Path file = new GeoTiffFixture(64, 64).tiles(32).compression(Compression.DEFLATE)
        .samples((b, x, y) -> (x * y) % 256).write(folder.resolve(name));
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), 8);
    }
    return file;
  }

  @Test
  void refusesCorruptCompressedBlocks() throws Exception {
    Path file = withCorruptFirstTile("corrupt.tif");
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      assertThatThrownBy(() -> raster.readWindow(0, 0, 10, 10, new int[] {0}, new float[100]))
          .isInstanceOf(InvalidImageException.class)
          .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("invalid_image");
    }
  }

  @Test
  void sceneOverTheInMemoryBudgetOpensWithinTheSceneBudget() throws Exception {
    Path file = new GeoTiffFixture(3000, 2000).tiles(256).compression(Compression.DEFLATE)
        .samples((b, x, y) -> 7).write(folder.resolve("scene.tif"));
    ImageLimits limits = new ImageLimits(1_000_000, 2_000, 8_000_000, 10_000_000, 4_000);
    assertThatThrownBy(() -> new ImageProbe(limits).probe(file))
        .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("image_too_large");
    try (GeoTiffRaster raster = GeoTiffRaster.open(file, limits, GeoTiffRaster.DEFAULT_CACHE_BYTES)) {
      float[] out = new float[640 * 640];
      raster.readWindow(2360, 1360, 640, 640, new int[] {0}, out);
      assertThat(out[640 * 640 - 1]).isEqualTo(7f);
    }
    ImageLimits tooSmall = new ImageLimits(1_000_000, 2_000, 8_000_000, 5_000_000, 4_000);
    assertThatThrownBy(() -> GeoTiffRaster.open(file, tooSmall, 1 << 20))
        .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("image_too_large");
  }
}
