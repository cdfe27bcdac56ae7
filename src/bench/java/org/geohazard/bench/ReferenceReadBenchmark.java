package org.geohazard.bench;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.LargeScene;
import org.geohazard.storage.RangeReader;
import org.geohazard.storage.S3ObjectStore;

/**
 * A Sentinel-2-sized tiled COG-like scene (default 10 980² × 4 bands uint16, 256² DEFLATE tiles with predictor 2,
 * from {@link LargeScene}) analysed-read by reference from the object store against the same file on local disk,
 * the way the inference worker reads a scene (one stretch over the whole scene, then every 640² window of the plan
 * with 20 % overlap), alternating the two in each round. Prints, medians of the rounds, each beside its limit:
 * <ul>
 *   <li>bytes fetched from the store / bytes of the blocks the plan decoded ({@link GeoTiffRaster#storedBytesRead},
 *       what the same plan reads from the local file), header included in the numerator: limit 1.1;
 *   <li>peak heap of the read by reference: limit 512 MB (run it under -Xmx512m, which is itself the proof);
 *   <li>wall time by reference / from the local file: limit 1.1.
 * </ul>
 * The scene is written once to the given file (reused if present) and put into the store under
 * {@code bench/reference-<side>[-noisy].tif}. The default scene's smooth gradients compress to ~5 KB per tile (the
 * whole scene fits the read-ahead); {@code noisy} adds 6 bits of noise per sample, so that tiles store ~150 KB as a
 * real scene's do and the read-ahead holds only a few tile rows. The store is the one configured by the environment ({@code .stack/env}),
 * started by {@code scripts/reference-bench.sh}.
 *
 * <pre>
 * scripts/reference-bench.sh [side] [rounds] [noisy]
 * </pre>
 */
public final class ReferenceReadBenchmark {

  static final double BYTES_RATIO_LIMIT = 1.1;
  static final long PEAK_HEAP_LIMIT_BYTES = 512L << 20;
  static final double WALL_RATIO_LIMIT = 1.1;

  private ReferenceReadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int side = args.length > 0 ? Integer.parseInt(args[0]) : 10_980;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean noisy = args.length > 2 && args[2].equals("noisy");
    String name = "reference-" + side + (noisy ? "-noisy" : "") + ".tif";
    Path file = Path.of("target", "bench-" + name);
    if (!Files.exists(file)) {
      GeoTiffFixture scene = LargeScene.scene(side);
      if (noisy) {
        scene.samples((band, x, y) -> LargeScene.expected(band, x, y) + noise(band, x, y));
      }
      scene.write(file);
    }
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, System.getenv(), new Properties()));
    Vertx vertx = Vertx.vertx();
    try (S3ObjectStore store = new S3ObjectStore(vertx, config.s3())) {
      store.ensureBucket().await();
      String key = "bench/" + name;
      store.put(key, file, "image/tiff").await();
      System.out.printf(Locale.ROOT, "scene %d × %d × 4 uint16%s, 256² DEFLATE tiles, file %,d bytes; store %s, key %s; "
          + "-Xmx %,d MB; %d rounds%n", side, side, noisy ? " with noise" : "", Files.size(file), config.s3().endpoint(), key,
          Runtime.getRuntime().maxMemory() >> 20, rounds);
      // One unmeasured pass of each: the JIT, the connections, the page cache of the store's files.
      LargeScene.readEveryTile(file);
      readByReference(store, key, new long[4]);

      List<Double> localSeconds = new ArrayList<>();
      List<Double> referenceSeconds = new ArrayList<>();
      List<Double> wallRatios = new ArrayList<>();
      List<Double> byteRatios = new ArrayList<>();
      List<Double> referenceHeap = new ArrayList<>();
      List<Double> localHeap = new ArrayList<>();
      System.out.printf(Locale.ROOT, "%5s %8s %8s %6s %14s %14s %10s %7s %9s %9s%n", "round", "local s", "ref s",
          "ratio", "plan bytes", "fetched bytes", "requests", "ratio", "heap MB", "local MB");
      for (int round = 1; round <= rounds; round++) {
        LargeScene.Result local = LargeScene.readEveryTile(file);
        long[] counts = new long[4];
        LargeScene.Result remote = readByReference(store, key, counts);
        long planBytes = counts[0];
        long fetched = counts[1];
        double wallRatio = remote.seconds() / local.seconds();
        double byteRatio = (double) fetched / planBytes;
        localSeconds.add(local.seconds());
        referenceSeconds.add(remote.seconds());
        wallRatios.add(wallRatio);
        byteRatios.add(byteRatio);
        referenceHeap.add((double) remote.peakHeapBytes());
        localHeap.add((double) local.peakHeapBytes());
        if (remote.checksum() != local.checksum()) {
          throw new IllegalStateException("the windows read by reference differ from the file's: checksum "
              + remote.checksum() + " vs " + local.checksum());
        }
        System.out.printf(Locale.ROOT, "%5d %8.2f %8.2f %6.3f %,14d %,14d %10d %7.4f %9d %9d%n", round,
            local.seconds(), remote.seconds(), wallRatio, planBytes, fetched, counts[2], byteRatio,
            remote.peakHeapBytes() >> 20, local.peakHeapBytes() >> 20);
      }
      double byteRatio = Stats.median(byteRatios);
      double heapMb = Stats.median(referenceHeap) / (1 << 20);
      double wallRatio = Stats.median(wallRatios);
      System.out.printf(Locale.ROOT, "median wall: local file %.2f s, by reference %.2f s%n",
          Stats.median(localSeconds), Stats.median(referenceSeconds));
      System.out.printf(Locale.ROOT, "bytes fetched / plan bytes (median): %.4f   limit %.1f   %s%n", byteRatio,
          BYTES_RATIO_LIMIT, byteRatio <= BYTES_RATIO_LIMIT ? "OK" : "OVER");
      System.out.printf(Locale.ROOT, "peak heap by reference (median): %.0f MB (local file %.0f MB)   limit %d MB   %s%n",
          heapMb, Stats.median(localHeap) / (1 << 20), PEAK_HEAP_LIMIT_BYTES >> 20,
          heapMb <= PEAK_HEAP_LIMIT_BYTES >> 20 ? "OK" : "OVER");
      System.out.printf(Locale.ROOT, "wall time by reference / local file (median of ratios): %.3f   limit %.1f   %s%n",
          wallRatio, WALL_RATIO_LIMIT, wallRatio <= WALL_RATIO_LIMIT ? "OK" : "OVER");
    } finally {
      vertx.close().await();
    }
  }

  /** 6 bits per sample, from a hash of the position: incompressible as a real scene's texture is. */
  private static int noise(int band, int x, int y) {
    long h = (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ band;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) ((h >>> 40) & 0x3F);
  }

  /** counts: {plan bytes, bytes fetched, requests, header bytes}. */
  private static LargeScene.Result readByReference(S3ObjectStore store, String key, long[] counts) throws Exception {
    RangeReader[] source = new RangeReader[1];
    GeoTiffRaster[] opened = new GeoTiffRaster[1];
    LargeScene.Result result = LargeScene.readEveryTile(() -> {
      source[0] = store.openRange(key);
      opened[0] = GeoTiffRaster.open(source[0], ImageLimits.DEFAULT, GeoTiffRaster.DEFAULT_CACHE_BYTES,
          GeoTiffRaster.SCENE_READ_AHEAD_BYTES);
      counts[3] = source[0].bytesFetched();
      return opened[0];
    });
    counts[0] = opened[0].storedBytesRead();
    counts[1] = source[0].bytesFetched();
    counts[2] = source[0].requests();
    return result;
  }
}
