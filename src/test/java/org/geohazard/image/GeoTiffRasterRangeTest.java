package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.geohazard.storage.CachedRangeReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GeoTiffRaster} over a ranged source (here an array that records each request, so that the test sees what a
 * store would be asked): the same pixels as the file, and only the header plus the tiles a window needs, the
 * neighbouring ones of a tile row in one request. {@code RangeReadIT} does the same against the real object store.
 */
class GeoTiffRasterRangeTest {

  /** Records the ranges asked for. */
  private static class Recorded extends CachedRangeReader {
    final byte[] file;
    final List<long[]> ranges = new ArrayList<>();

    Recorded(byte[] file) {
      super("test://scene.tif", file.length, DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_COUNT);
      this.file = file;
    }

    @Override
    protected synchronized void fetch(long position, byte[] target, int offset, int length) {
      ranges.add(new long[] {position, length});
      System.arraycopy(file, (int) position, target, offset, length);
    }

    @Override
    public void close() {
    }
  }

  private static GeoTiffFixture fixture(boolean planar) {
    GeoTiffFixture fixture = new GeoTiffFixture(1024, 768).bands(3, SampleType.UINT16).tiles(128)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> 50 * band + (x * 31 + y * 17) % 1000);
    return planar ? fixture.planar() : fixture;
  }

  /** A scene on disk, its fixture (what its directory says) and a recorded source over its bytes. */
  private record Written(GeoTiffFixture fixture, Path file, Recorded source) {}

  private static Written written(Path dir, boolean planar) throws IOException {
    GeoTiffFixture fixture = fixture(planar);
    Path file = fixture.write(dir.resolve(planar ? "planar.tif" : "scene.tif"));
    return new Written(fixture, file, new Recorded(Files.readAllBytes(file)));
  }

  /**
   * A block whose stored byte count is far beyond what it decodes to is refused at the header: a remote file's
   * length is whatever its server says, so the count was bounded by nothing, and reading the block would allocate it
   * whole (a 2 GB "tile" from a server claiming a 3 GB file took a node's heap).
   */
  @Test
  void aBlockClaimingFarMoreBytesThanItDecodesToIsRefusedAtTheHeader() {
    byte[] header = new TiffBuilder(16, 16).field(279, TiffBuilder.LONG, 2_000_000_000L).build();
    CachedRangeReader claimsThreeGigabytes = new CachedRangeReader("test://bomb.tif", 3L << 30, CachedRangeReader.DEFAULT_BLOCK_SIZE,
        CachedRangeReader.DEFAULT_BLOCK_COUNT) {
      @Override
      protected void fetch(long position, byte[] target, int offset, int length) {
        for (int i = 0; i < length; i++) {
          long at = position + i;
          target[offset + i] = at < header.length ? header[(int) at] : 0;
        }
      }

      @Override
      public void close() {
      }
    };
    assertThatThrownBy(() -> GeoTiffRaster.open(claimsThreeGigabytes, ImageLimits.DEFAULT, 1 << 20))
        .isInstanceOf(InvalidImageException.class).hasMessageContaining("strip 1 claims 2000000000 stored bytes");
  }

  @Test
  void windowReadsItsTilesOneRequestPerTileRowAndNothingElse(@TempDir Path dir) throws Exception {
    Written scene = written(dir, false);
    Path file = scene.file();
    Recorded source = scene.source();
    long[] counts = scene.fixture().writtenByteCounts();
    try (GeoTiffRaster remote = GeoTiffRaster.open(source, ImageLimits.DEFAULT, 1 << 20);
         GeoTiffRaster local = GeoTiffRaster.open(file)) {
      long header = source.bytesFetched();
      int headerRequests = (int) source.requests();
      // Columns 1..3, rows 2..3 of 128² tiles (8 across).
      float[] fromSource = new float[300 * 200 * 3];
      float[] fromFile = new float[fromSource.length];
      remote.readWindow(200, 300, 300, 200, new int[] {0, 1, 2}, fromSource);
      local.readWindow(200, 300, 300, 200, new int[] {0, 1, 2}, fromFile);
      assertThat(fromSource).isEqualTo(fromFile);

      long tiles = 0;
      for (int row = 2; row <= 3; row++) {
        for (int column = 1; column <= 3; column++) {
          tiles += counts[row * 8 + column];
        }
      }
      assertThat(remote.storedBytesRead()).isEqualTo(tiles);
      assertThat(source.bytesFetched() - header).as("tiles and the odd padding byte between them")
          .isBetween(tiles, tiles + 4);
      assertThat(source.requests() - headerRequests).as("one request per tile row").isEqualTo(2);
      assertThat(header).isLessThanOrEqualTo(2L * CachedRangeReader.DEFAULT_BLOCK_SIZE);
    }
  }

  @Test
  void planarBandsAreFetchedOnlyForTheBandsAsked(@TempDir Path dir) throws Exception {
    Written scene = written(dir, true);
    Path file = scene.file();
    Recorded source = scene.source();
    long[] counts = scene.fixture().writtenByteCounts();
    int perPlane = 8 * 6;
    try (GeoTiffRaster remote = GeoTiffRaster.open(source, ImageLimits.DEFAULT, 1 << 20);
         GeoTiffRaster local = GeoTiffRaster.open(file)) {
      long header = source.bytesFetched();
      float[] fromSource = new float[256 * 100];
      float[] fromFile = new float[fromSource.length];
      remote.readWindow(0, 0, 256, 100, new int[] {2}, fromSource);
      local.readWindow(0, 0, 256, 100, new int[] {2}, fromFile);
      assertThat(fromSource).isEqualTo(fromFile);
      long tiles = counts[2 * perPlane] + counts[2 * perPlane + 1];
      assertThat(source.bytesFetched() - header).isBetween(tiles, tiles + 2);
    }
  }

  @Test
  void overviewOfTheWholeSceneReadsEveryTileOnceInTileRowRequests(@TempDir Path dir) throws Exception {
    Written scene = written(dir, false);
    Path file = scene.file();
    Recorded source = scene.source();
    long allTiles = Arrays.stream(scene.fixture().writtenByteCounts()).sum();
    try (GeoTiffRaster remote = GeoTiffRaster.open(source, ImageLimits.DEFAULT, 1 << 20);
         GeoTiffRaster local = GeoTiffRaster.open(file)) {
      long header = source.bytesFetched();
      int headerRequests = (int) source.requests();
      float[] fromSource = new float[64 * 48];
      float[] fromFile = new float[fromSource.length];
      remote.readWindow(0, 0, 1024, 768, new int[] {0}, 64, 48, fromSource);
      local.readWindow(0, 0, 1024, 768, new int[] {0}, 64, 48, fromFile);
      assertThat(fromSource).isEqualTo(fromFile);
      assertThat(source.bytesFetched() - header).isBetween(allTiles, allTiles + 48);
      assertThat(source.requests() - headerRequests).as("6 tile rows").isEqualTo(6);
    }
  }

  @Test
  void sceneReadAheadFetchesEachTileRowOnceForAPlanAcrossTheScene(@TempDir Path dir) throws Exception {
    Written scene = written(dir, false);
    Path file = scene.file();
    Recorded source = scene.source();
    long allTiles = Arrays.stream(scene.fixture().writtenByteCounts()).sum();
    // A decoded cache of one block: every tile is decoded again for each window that needs it.
    try (GeoTiffRaster remote = GeoTiffRaster.open(source, ImageLimits.DEFAULT, 1, GeoTiffRaster.SCENE_READ_AHEAD_BYTES);
         GeoTiffRaster local = GeoTiffRaster.open(file, ImageLimits.DEFAULT, 1)) {
      long header = source.bytesFetched();
      int headerRequests = (int) source.requests();
      float[] fromSource = new float[200 * 200];
      float[] fromFile = new float[fromSource.length];
      for (int y = 0; y + 200 <= 768; y += 160) {
        for (int x = 0; x + 200 <= 1024; x += 160) {
          remote.readWindow(x, y, 200, 200, new int[] {1}, fromSource);
          local.readWindow(x, y, 200, 200, new int[] {1}, fromFile);
          assertThat(fromSource).isEqualTo(fromFile);
        }
      }
      assertThat(remote.storedBytesRead()).as("tiles decoded again and again").isGreaterThan(2 * allTiles);
      assertThat(source.bytesFetched() - header).as("each tile fetched once").isBetween(allTiles, allTiles + 48);
      assertThat(source.requests() - headerRequests).as("about one request per tile row").isLessThanOrEqualTo(6 + 6);
    }
  }

  @Test
  void closingTheRasterClosesTheSource(@TempDir Path dir) throws IOException, InvalidImageException {
    Path file = fixture(false).write(dir.resolve("scene.tif"));
    boolean[] closed = {false};
    Recorded source = new Recorded(Files.readAllBytes(file)) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    GeoTiffRaster.open(source, ImageLimits.DEFAULT, 1 << 20).close();
    assertThat(closed[0]).isTrue();
  }
}
