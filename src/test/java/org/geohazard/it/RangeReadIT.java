package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import java.util.UUID;
import org.geohazard.config.AppConfig;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.SampleType;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.RangeReader;
import org.geohazard.storage.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiled, compressed, multi-band GeoTIFF in the real object store, read window by window through ranged requests:
 * the pixels equal those read from the same file on disk, and the bytes fetched are the tiles the windows need (as
 * the file's directory lists them) plus the header, never the whole object.
 */
class RangeReadIT {

  private static final int SIDE = 2048;
  private static final int TILE = 256;
  private static Vertx vertx;
  private static S3ObjectStore store;

  @BeforeAll
  static void connect() {
    Map<String, String> env = LocalStack.env();
    vertx = Vertx.vertx();
    store = new S3ObjectStore(vertx, new AppConfig.S3(env.get("GEOHAZARD_S3_ENDPOINT"),
        env.get("GEOHAZARD_S3_REGION"), env.get("GEOHAZARD_S3_ACCESS_KEY"), env.get("GEOHAZARD_S3_SECRET_KEY"),
        env.get("GEOHAZARD_S3_BUCKET"), 2, 0, 0));
    TestNode.await(store.ensureBucket());
  }

  @AfterAll
  static void close() {
    store.close();
    TestNode.await(vertx.close());
  }

  /** Noise of 8 bits on a level per band, so that a tile stores ~300 KB as a real scene's would, not nothing. */
  private static GeoTiffFixture scene() {
    return new GeoTiffFixture(SIDE, SIDE).bands(4, SampleType.UINT16).tiles(TILE)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> 1000 * band + noise(band, x, y))
        .georeferenced(32633, true, 300_000, 5_000_000, 10, 10);
  }

  private static int noise(int band, int x, int y) {
    long h = (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ band;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) ((h >>> 32) & 0xFF);
  }

  @Test
  void windowPlanFetchesOnlyItsTilesAndTheHeader(@TempDir Path dir) throws Exception {
    GeoTiffFixture fixture = scene();
    Path file = fixture.write(dir.resolve("scene.tif"));
    String key = "references/" + UUID.randomUUID() + ".tif";
    TestNode.await(store.put(key, file, "image/tiff"));
    // Two windows of a plan: one across 3 × 2 tiles, one inside one tile far from it.
    int[][] windows = {{200, 300, 400, 400}, {1300, 1800, 100, 100}};
    int[] bands = {3, 1, 0};
    long[] counts = fixture.writtenByteCounts();
    BitSet needed = new BitSet();
    int across = SIDE / TILE;
    for (int[] w : windows) {
      for (int row = w[1] / TILE; row <= (w[1] + w[3] - 1) / TILE; row++) {
        for (int column = w[0] / TILE; column <= (w[0] + w[2] - 1) / TILE; column++) {
          needed.set(row * across + column);
        }
      }
    }
    long tileBytes = needed.stream().mapToLong(i -> counts[i]).sum();
    long objectBytes = Files.size(file);

    RangeReader source = store.openRange(key);
    try (GeoTiffRaster remote = GeoTiffRaster.open(source, ImageLimits.DEFAULT, GeoTiffRaster.DEFAULT_CACHE_BYTES);
         GeoTiffRaster local = GeoTiffRaster.open(file)) {
      long headerBytes = source.bytesFetched();
      for (int[] w : windows) {
        float[] fromStore = new float[w[2] * w[3] * bands.length];
        float[] fromDisk = new float[fromStore.length];
        remote.readWindow(w[0], w[1], w[2], w[3], bands, fromStore);
        local.readWindow(w[0], w[1], w[2], w[3], bands, fromDisk);
        assertThat(fromStore).isEqualTo(fromDisk);
      }
      long pixelBytes = source.bytesFetched() - headerBytes;
      assertThat(needed.cardinality()).isEqualTo(3 * 2 + 1);
      assertThat(remote.storedBytesRead()).as("the tiles decoded are those the windows cover").isEqualTo(tileBytes);
      assertThat(pixelBytes).as("pixel bytes fetched vs tile bytes %d", tileBytes)
          .isGreaterThanOrEqualTo(tileBytes).isLessThanOrEqualTo((long) (1.1 * tileBytes));
      // The header: the 8-byte file header and the directory at the end, a cache block or two of each.
      assertThat(headerBytes).isLessThanOrEqualTo(3L * 64 * 1024);
      assertThat(source.bytesFetched()).as("a small part of a %d-byte object", objectBytes)
          .isLessThan(objectBytes / 5);
      assertThat(source.requests()).as("one request per tile, a few for the header").isLessThanOrEqualTo(7 + 4);
    }
  }

  @Test
  void missingObjectIsReportedAsMissing() {
    assertThatThrownBy(() -> store.openRange("references/" + UUID.randomUUID() + ".tif"))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
  }
}
