package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.geohazard.geo.GeoTiffTags;
import org.geohazard.storage.RangeReader;

/**
 * A TIFF or GeoTIFF opened for reading windows of its first image without decoding the rest: only the strips or
 * tiles a window touches are read and decompressed, and a small cache of decoded blocks serves the overlap between
 * neighbouring windows. This is what keeps a 10 980 × 10 980 × 4-band 16-bit Sentinel-2 scene (964 MB of samples)
 * within a heap of a few tens of MB while it is cut into model-sized tiles.
 *
 * <p>Why our own reader: {@code mil.nga:tiff} 3.0.0 reads windows, but only from a {@code byte[]} holding the whole
 * file ({@code TiffReader.readTiff(File)} loads it first), which for a scene is the very cost we avoid, and
 * {@code javax.imageio} cannot read 13-band or most 32-bit float rasters through its colour models.
 *
 * <p>Reads: 8-, 16- and 32-bit integer and 32/64-bit float samples, 1..N bands, strips or tiles, chunky
 * (pixel-interleaved) or planar (band-sequential) layout, no compression, LZW and DEFLATE, with or without
 * horizontal differencing (predictor 2), either byte order. Refused as {@code unsupported_media_type}: other
 * compressions, the floating-point predictor, bit depths other than 8/16/32/64, BigTIFF; and, as it would need the
 * whole strip in memory, a compressed strip that decodes to more than {@link #MAX_BLOCK_BYTES}. Uncompressed strips of
 * any size are fine: they are read a row at a time.
 *
 * <p>Thread-safe: several threads may read windows of one scene at once (the file is read with positional reads
 * and the block cache decodes each block once for all of them), which is how a large scene's tiles are decoded in
 * parallel. Close it, once no read is running, to release the file.
 *
 * <p>Its parts: {@link StoredBlocks} (stored bytes from a file or ranged source, runs of tiles, read-ahead),
 * {@link BlockCache}, {@link BlockDecoder} (decompression, predictor, samples as floats), {@link GeoTiffFields} and
 * {@link NearestSampling}; this class maps windows to blocks.
 */
public final class GeoTiffRaster implements Closeable {

  /** Decoded size of one strip or tile at most; a tiled GeoTIFF's blocks are 64 KB to 4 MB. */
  public static final int MAX_BLOCK_BYTES = 64 << 20;

  /**
   * Decoded blocks kept for the next window by default: the column of tiles a 640 window shares with its left
   * neighbour (4 × 512 KB for 256² tiles of 4 bands of 16 bits) many times over. Sharing the row of tiles with the
   * window row above would take 22 MB more for a Sentinel-2 scene and is not worth it: with G1's 1 MB regions on a
   * small heap, every 512 KB block is a humongous object that occupies a whole region, so the cache's real
   * footprint is up to twice its budget.
   */
  public static final long DEFAULT_CACHE_BYTES = 24L << 20;

  private final StoredBlocks stored;
  private final int width;
  private final int height;
  private final int bands;
  private final SampleType sampleType;
  private final OptionalDouble noData;
  private final GeoTiffTags geoTags;
  private final TiffCompression compression;
  private final boolean planar;
  private final boolean tiled;
  /** Block geometry: tiles, compressed strips, or single rows of uncompressed strips. */
  private final int blockWidth;
  private final int blockHeight;
  private final int blocksAcross;
  private final int blocksDown;
  /** Rows per stored strip (strips only); a block of an uncompressed strip is one of its rows. */
  private final int rowsPerStrip;
  private final BlockDecoder decoder;
  private final BlockCache cache;
  private final AtomicLong blocksDecoded = new AtomicLong();

  /** @param readAheadBytes see {@link #open(RangeReader, ImageLimits, long, long)} */
  private GeoTiffRaster(StoredBlocks.Source source, TiffLayout layout, long cacheBytes, long readAheadBytes)
      throws IOException, InvalidImageException {
    stored = new StoredBlocks(source, layout.blockOffsets(), layout.blockByteCounts(), readAheadBytes);
    width = layout.width();
    height = layout.height();
    bands = layout.bands();
    compression = layout.compression();
    planar = layout.separatePlanes() && bands > 1;
    tiled = layout.tiled();
    if (tiled) {
      if (layout.tileWidth() > 65_536 || layout.tileLength() > 65_536) {
        throw invalid("The TIFF header is invalid: tiles of " + layout.tileWidth() + " × " + layout.tileLength()
            + " pixels.");
      }
      blockWidth = (int) layout.tileWidth();
      blockHeight = (int) layout.tileLength();
      rowsPerStrip = 0;
    } else {
      rowsPerStrip = (int) layout.rowsPerStrip();
      blockWidth = width;
      blockHeight = compression == TiffCompression.NONE ? 1 : rowsPerStrip;
    }
    Optional<String> refusal = layout.sceneReaderRefusal();
    if (refusal.isPresent()) {
      throw unsupported(refusal.get());
    }
    sampleType = SampleType.of(layout.sampleFormat(), layout.bitsPerSample());
    blocksAcross = ceilDiv(width, blockWidth);
    blocksDown = ceilDiv(height, blockHeight);
    noData = GeoTiffFields.noData(layout.directory());
    geoTags = GeoTiffFields.geoTags(layout.directory());
    decoder = new BlockDecoder(compression, layout.horizontalDifferencing(), sampleType, layout.directory().order(),
        blockWidth);
    cache = new BlockCache(cacheBytes);
  }

  /** Opens a file, checking it with {@link ImageProbe#probeScene} against {@link ImageLimits#DEFAULT}. */
  public static GeoTiffRaster open(Path file) throws IOException, InvalidImageException {
    return open(file, ImageLimits.DEFAULT, DEFAULT_CACHE_BYTES);
  }

  /**
   * Opens a file after checking its header, block table and size against the scene budget of {@code limits}; reads
   * only the header.
   *
   * @param cacheBytes decoded blocks kept between window reads (at least one block is always kept)
   * @throws InvalidImageException if the file is not a TIFF this reader can read, is cut off, or is over budget
   */
  public static GeoTiffRaster open(Path file, ImageLimits limits, long cacheBytes)
      throws IOException, InvalidImageException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    return open(channel, StoredBlocks.Source.of(channel), limits, cacheBytes, 0);
  }

  /**
   * Opens an object read by ranged requests (an object in the store, a file on an allowed host) after checking its
   * header like {@link #open(Path, ImageLimits, long)}: the header and directories come through the source's header
   * cache, and the strips or tiles a window needs by exact ranged reads when they are decoded (the neighbouring
   * tiles of one tile row in one request), so the bytes fetched are those of the header plus the blocks decoded
   * ({@link #storedBytesRead()}) and the few bytes between neighbouring tiles, never the whole object.
   * Closing the raster closes the source. Blocking: call from a worker thread.
   *
   * @throws InvalidImageException if the object is not a TIFF this reader can read, is cut off, or is over budget
   */
  public static GeoTiffRaster open(RangeReader source, ImageLimits limits, long cacheBytes)
      throws IOException, InvalidImageException {
    return open(source, limits, cacheBytes, 0);
  }

  /**
   * What a whole-scene analysis by reference keeps of tiles read ahead: a whole scene whose tiles compress well, or
   * about four tile rows of a 10 980² 4-band uint16 scene with 256² tiles of ~200 KB (ReferenceReadBenchmark's noisy
   * scene: peak heap 435 MB under -Xmx512m with it, so not more).
   */
  public static final long SCENE_READ_AHEAD_BYTES = 64L << 20;

  /**
   * Opens a ranged source for reading the whole scene (an analysis: a stretch over the scene, then every window of
   * a plan): when a window needs tiles of a tile row, the rest of that row is read in the same requests and kept,
   * as stored bytes, up to {@code readAheadBytes}, so that the windows to its right, and the overlapping window row
   * below, find their tiles without a round trip each, and tiles decoded again after leaving the decoded cache are
   * not fetched again. For a plan that covers the scene, nothing read ahead is wasted; for a few small windows use
   * {@link #open(RangeReader, ImageLimits, long)}, which reads exactly the tiles each window needs.
   *
   * @param readAheadBytes 0 for exact reads; {@link #SCENE_READ_AHEAD_BYTES} for a scene analysis
   */
  public static GeoTiffRaster open(RangeReader source, ImageLimits limits, long cacheBytes, long readAheadBytes)
      throws IOException, InvalidImageException {
    return open(source.headerChannel(), StoredBlocks.Source.of(source), limits, cacheBytes, readAheadBytes);
  }

  private static GeoTiffRaster open(SeekableByteChannel header, StoredBlocks.Source stored, ImageLimits limits,
      long cacheBytes, long readAheadBytes) throws IOException, InvalidImageException {
    try {
      TiffLayout layout = new ImageProbe(limits).probeTiffScene(header);
      try {
        return new GeoTiffRaster(stored, layout, cacheBytes, readAheadBytes);
      } catch (EOFException e) { // a GeoTIFF field the probe does not read lies past the end
        throw new InvalidImageException(TRUNCATED_IMAGE, "The TIFF file is incomplete: it ends at byte "
            + stored.size() + ", before the end of its header or of data its header points at.", e);
      }
    } catch (IOException | InvalidImageException | RuntimeException e) {
      stored.close();
      throw e;
    }
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int bandCount() {
    return bands;
  }

  public SampleType sampleType() {
    return sampleType;
  }

  /** The GDAL_NODATA value (tag 42113) if the file has one; may be NaN. It applies to every band. */
  public OptionalDouble noData() {
    return noData;
  }

  public GeoTiffTags geoTags() {
    return geoTags;
  }

  public boolean tiled() {
    return tiled;
  }

  /**
   * Reads a window at full resolution; see {@link #readWindow(int, int, int, int, int[], int, int, float[])}.
   */
  public void readWindow(int x, int y, int windowWidth, int windowHeight, int[] bandIndexes, float[] destination)
      throws IOException, InvalidImageException {
    readWindow(x, y, windowWidth, windowHeight, bandIndexes, windowWidth, windowHeight, destination);
  }

  /**
   * Reads the window {@code (x, y, windowWidth, windowHeight)} of the chosen bands, resampled by nearest neighbour
   * to {@code outputWidth × outputHeight} (equal to the window for full resolution, smaller for an overview), into
   * {@code destination} band after band: the sample of output pixel (ox, oy) of the i-th chosen band is at
   * {@code destination[(i * outputHeight + oy) * outputWidth + ox]}. Values are the stored numbers (no scaling);
   * integer types up to 16 bits are exact in a float, 32-bit integers are rounded to 24 bits of precision.
   *
   * <p>Every strip or tile the sampled pixels fall in is decoded once per call (or taken from the cache), whatever
   * the output size, so an overview of a whole scene reads the scene once with a heap of one block.
   *
   * @param bandIndexes 0-based bands, in output order; repeats are allowed
   * @throws IllegalArgumentException if the window is outside the image or the destination too small
   * @throws InvalidImageException if a block is corrupt or cut off
   */
  public void readWindow(int x, int y, int windowWidth, int windowHeight, int[] bandIndexes, int outputWidth,
      int outputHeight, float[] destination) throws IOException, InvalidImageException {
    NearestSampling.requireWindow(width, height, bands, x, y, windowWidth, windowHeight, bandIndexes, outputWidth,
        outputHeight, destination);
    int[] sourceColumns = NearestSampling.sources(x, windowWidth, outputWidth);
    int[] sourceRows = NearestSampling.sources(y, windowHeight, outputHeight);
    int firstBlockRow = sourceRows[0] / blockHeight;
    int lastBlockRow = sourceRows[outputHeight - 1] / blockHeight;
    int firstBlockColumn = sourceColumns[0] / blockWidth;
    int lastBlockColumn = sourceColumns[outputWidth - 1] / blockWidth;
    int samplesPerBlockPixel = planar ? 1 : bands;
    int oyStart = 0;
    for (int blockRow = firstBlockRow; blockRow <= lastBlockRow; blockRow++) {
      int oyEnd = NearestSampling.firstAtOrAfter(sourceRows, oyStart, (blockRow + 1) * blockHeight);
      if (oyEnd == oyStart) {
        continue; // sparse sampling skipped this block row entirely
      }
      Map<Integer, byte[]> prefetched = stored.remote() && tiled
          ? stored.fetchRuns(tileRow(blockRow, sourceColumns, firstBlockColumn, lastBlockColumn, bandIndexes),
              cache::holds)
          : Map.of();
      int oxStart = 0;
      for (int blockColumn = firstBlockColumn; blockColumn <= lastBlockColumn; blockColumn++) {
        int oxEnd = NearestSampling.firstAtOrAfter(sourceColumns, oxStart, (blockColumn + 1) * blockWidth);
        if (oxEnd == oxStart) {
          continue;
        }
        for (int i = 0; i < bandIndexes.length; i++) {
          int band = bandIndexes[i];
          int plane = planar ? band : 0;
          int sampleInPixel = planar ? 0 : band;
          byte[] block = block(plane, blockRow, blockColumn, prefetched);
          int blockTop = blockRow * blockHeight;
          int blockLeft = blockColumn * blockWidth;
          for (int oy = oyStart; oy < oyEnd; oy++) {
            int rowFirstSample = (sourceRows[oy] - blockTop) * blockWidth * samplesPerBlockPixel + sampleInPixel;
            decoder.copySamples(block, rowFirstSample, sourceColumns, blockLeft, oxStart, oxEnd, samplesPerBlockPixel,
                destination, (i * outputHeight + oy) * outputWidth);
          }
        }
        oxStart = oxEnd;
      }
      oyStart = oyEnd;
    }
  }

  @Override
  public void close() throws IOException {
    cache.clear();
    stored.close();
  }

  private byte[] block(int plane, int blockRow, int blockColumn, Map<Integer, byte[]> prefetched)
      throws IOException, InvalidImageException {
    int index = blockIndex(plane, blockRow, blockColumn);
    return cache.get(index,
        () -> decodeBlock(plane, blockRow, blockColumn, stored.fetchedOrKept(index, prefetched)));
  }

  private int blockIndex(int plane, int blockRow, int blockColumn) {
    return (plane * blocksDown + blockRow) * blocksAcross + blockColumn;
  }

  /**
   * For a ranged source: per plane of the chosen bands, the tiles of one tile row that the sampled columns fall in,
   * and those right of them, for {@link StoredBlocks#fetchRuns} to read in runs.
   */
  private List<StoredBlocks.PlaneRow> tileRow(int blockRow, int[] sourceColumns, int firstBlockColumn,
      int lastBlockColumn, int[] bandIndexes) {
    boolean[] planes = new boolean[planar ? bands : 1];
    for (int band : bandIndexes) {
      planes[planar ? band : 0] = true;
    }
    List<StoredBlocks.PlaneRow> rows = new ArrayList<>();
    for (int plane = 0; plane < planes.length; plane++) {
      if (!planes[plane]) {
        continue;
      }
      List<Integer> needed = new ArrayList<>();
      int ox = 0;
      for (int blockColumn = firstBlockColumn; blockColumn <= lastBlockColumn; blockColumn++) {
        int oxEnd = NearestSampling.firstAtOrAfter(sourceColumns, ox, (blockColumn + 1) * blockWidth);
        if (oxEnd > ox) {
          needed.add(blockIndex(plane, blockRow, blockColumn));
        }
        ox = oxEnd;
      }
      int[] further = new int[blocksAcross - lastBlockColumn - 1];
      for (int i = 0; i < further.length; i++) {
        further[i] = blockIndex(plane, blockRow, lastBlockColumn + 1 + i);
      }
      rows.add(new StoredBlocks.PlaneRow(needed.stream().mapToInt(Integer::intValue).toArray(), further));
    }
    return rows;
  }

  /** Blocks decoded so far (each cache miss once, whatever the number of threads that wanted it). */
  long blocksDecoded() {
    return blocksDecoded.get();
  }

  /** @param prefetched the block's stored bytes if {@link StoredBlocks#fetchRuns} read them, else null */
  private byte[] decodeBlock(int plane, int blockRow, int blockColumn, byte[] prefetched)
      throws IOException, InvalidImageException {
    blocksDecoded.incrementAndGet();
    int samplesPerBlockPixel = planar ? 1 : bands;
    int rowBytes = blockWidth * samplesPerBlockPixel * sampleType.bytes();
    byte[] decoded = new byte[rowBytes * blockHeight];
    int index;
    if (tiled) {
      index = blockIndex(plane, blockRow, blockColumn);
    } else {
      int stripsPerPlane = ceilDiv(height, rowsPerStrip);
      int strip = compression == TiffCompression.NONE ? blockRow / rowsPerStrip : blockRow;
      index = plane * stripsPerPlane + strip;
    }
    long offset = stored.offset(index);
    long byteCount = stored.byteCount(index);
    if (!tiled && compression == TiffCompression.NONE) {
      // One row of an uncompressed strip: read it where it lies instead of the whole strip.
      long rowInStrip = blockRow % rowsPerStrip;
      offset += rowInStrip * rowBytes;
      byteCount = Math.max(0, Math.min(rowBytes, byteCount - rowInStrip * rowBytes));
    }
    if (byteCount == 0) {
      return decoded; // a sparse block (GDAL's SPARSE_OK): all zeros, which is how GDAL reads it without nodata
    }
    if (byteCount > Integer.MAX_VALUE - 8) {
      throw invalid("The TIFF file is corrupt: a block claims " + byteCount + " bytes.");
    }
    byte[] storedBytes = prefetched != null ? prefetched : stored.read(offset, (int) byteCount);
    stored.countDecoded(byteCount);
    int rowsInBlock = tiled ? blockHeight : Math.min(blockHeight, height - blockRow * blockHeight);
    decoder.decode(storedBytes, decoded, rowsInBlock, samplesPerBlockPixel);
    return decoded;
  }

  /**
   * Stored (compressed) bytes of the strips and tiles decoded so far, each time one was decoded: what a window plan
   * needed from the file with this raster's cache. A ranged source fetches these and the header; runs of
   * neighbouring tiles fetched in one request add at most {@link StoredBlocks#MAX_RUN_GAP_BYTES} between two tiles.
   */
  public long storedBytesRead() {
    return stored.bytesDecoded();
  }

  private static int ceilDiv(int dividend, int divisor) {
    return (int) (((long) dividend + divisor - 1) / divisor);
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }

  private static InvalidImageException unsupported(String message) {
    return new InvalidImageException(UNSUPPORTED_MEDIA_TYPE, message);
  }
}
