package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static org.geohazard.image.TiffTag.*;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
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


  private final StoredBytes stored;
  private final ByteOrder order;
  private final int width;
  private final int height;
  private final int bands;
  private final SampleType sampleType;
  private final OptionalDouble noData;
  private final GeoTiffTags geoTags;
  private final TiffCompression compression;
  private final boolean horizontalDifferencing;
  private final boolean planar;
  private final boolean tiled;
  /** Block geometry: tiles, compressed strips, or single rows of uncompressed strips. */
  private final int blockWidth;
  private final int blockHeight;
  private final int blocksAcross;
  private final int blocksDown;
  private final long[] storedOffsets;
  private final long[] storedByteCounts;
  /** Rows per stored strip (strips only); a block of an uncompressed strip is one of its rows. */
  private final int rowsPerStrip;
  private final VarHandle shortView;
  private final VarHandle intView;
  private final VarHandle longView;
  private final BlockCache cache;
  /** Stored bytes of tiles read ahead from a ranged source, or null: see {@link #open(RangeReader, ImageLimits, long, long)}. */
  private final StoredCache storedCache;
  private final AtomicLong blocksDecoded = new AtomicLong();
  private final AtomicLong storedBytesRead = new AtomicLong();

  private GeoTiffRaster(StoredBytes stored, TiffLayout layout, long cacheBytes, long storedCacheBytes)
      throws IOException, InvalidImageException {
    this.stored = stored;
    this.storedCache = storedCacheBytes > 0 ? new StoredCache(storedCacheBytes) : null;
    this.order = layout.directory().order();
    width = layout.width();
    height = layout.height();
    bands = layout.bands();
    compression = layout.compression();
    horizontalDifferencing = layout.horizontalDifferencing();
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
    storedOffsets = layout.blockOffsets();
    storedByteCounts = layout.blockByteCounts();
    blocksAcross = ceilDiv(width, blockWidth);
    blocksDown = ceilDiv(height, blockHeight);
    noData = parseNoData(layout.directory());
    geoTags = readGeoTags(layout.directory());
    shortView = MethodHandles.byteArrayViewVarHandle(short[].class, order);
    intView = MethodHandles.byteArrayViewVarHandle(int[].class, order);
    longView = MethodHandles.byteArrayViewVarHandle(long[].class, order);
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
    return open(channel, new FileBytes(channel), limits, cacheBytes, 0);
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
    return open(source.headerChannel(), new RangeBytes(source), limits, cacheBytes, readAheadBytes);
  }

  private static GeoTiffRaster open(SeekableByteChannel header, StoredBytes stored, ImageLimits limits,
      long cacheBytes, long storedCacheBytes) throws IOException, InvalidImageException {
    try {
      TiffLayout layout = new ImageProbe(limits).probeTiffScene(header);
      try {
        return new GeoTiffRaster(stored, layout, cacheBytes, storedCacheBytes);
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
    requireWindow(x, y, windowWidth, windowHeight, bandIndexes, outputWidth, outputHeight, destination);
    int[] sourceColumns = nearestSources(x, windowWidth, outputWidth);
    int[] sourceRows = nearestSources(y, windowHeight, outputHeight);
    int firstBlockRow = sourceRows[0] / blockHeight;
    int lastBlockRow = sourceRows[outputHeight - 1] / blockHeight;
    int firstBlockColumn = sourceColumns[0] / blockWidth;
    int lastBlockColumn = sourceColumns[outputWidth - 1] / blockWidth;
    int samplesPerBlockPixel = planar ? 1 : bands;
    int oyStart = 0;
    for (int blockRow = firstBlockRow; blockRow <= lastBlockRow; blockRow++) {
      int oyEnd = firstAtOrAfter(sourceRows, oyStart, (blockRow + 1) * blockHeight);
      if (oyEnd == oyStart) {
        continue; // sparse sampling skipped this block row entirely
      }
      Map<Integer, byte[]> prefetched = stored.remote() && tiled
          ? fetchRuns(blockRow, sourceColumns, firstBlockColumn, lastBlockColumn, bandIndexes) : Map.of();
      int oxStart = 0;
      for (int blockColumn = firstBlockColumn; blockColumn <= lastBlockColumn; blockColumn++) {
        int oxEnd = firstAtOrAfter(sourceColumns, oxStart, (blockColumn + 1) * blockWidth);
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
            copySamples(block, rowFirstSample, sourceColumns, blockLeft, oxStart, oxEnd, samplesPerBlockPixel,
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

  private void requireWindow(int x, int y, int windowWidth, int windowHeight, int[] bandIndexes, int outputWidth,
      int outputHeight, float[] destination) {
    if (x < 0 || y < 0 || windowWidth <= 0 || windowHeight <= 0 || x > width - windowWidth
        || y > height - windowHeight) {
      throw new IllegalArgumentException("window " + x + "," + y + " " + windowWidth + "×" + windowHeight
          + " is not inside the " + width + "×" + height + " image");
    }
    if (outputWidth <= 0 || outputHeight <= 0 || outputWidth > windowWidth || outputHeight > windowHeight) {
      throw new IllegalArgumentException("output " + outputWidth + "×" + outputHeight
          + " must be positive and at most the window " + windowWidth + "×" + windowHeight);
    }
    if (bandIndexes.length == 0) {
      throw new IllegalArgumentException("choose at least one band");
    }
    for (int band : bandIndexes) {
      if (band < 0 || band >= bands) {
        throw new IllegalArgumentException("band index " + band + " outside 0.." + (bands - 1));
      }
    }
    long needed = (long) outputWidth * outputHeight * bandIndexes.length;
    if (destination.length < needed) {
      throw new IllegalArgumentException("destination holds " + destination.length + " floats, " + needed
          + " needed");
    }
  }

  /** The source pixel nearest to the centre of each output pixel (the identity at full resolution). */
  private static int[] nearestSources(int start, int length, int outputs) {
    int[] sources = new int[outputs];
    for (int i = 0; i < outputs; i++) {
      sources[i] = start + (int) Math.min(length - 1, ((2L * i + 1) * length) / (2L * outputs));
    }
    return sources;
  }

  /** The first index from {@code from} whose source is at or past {@code limit}; sources ascend. */
  private static int firstAtOrAfter(int[] sources, int from, int limit) {
    int i = from;
    while (i < sources.length && sources[i] < limit) {
      i++;
    }
    return i;
  }

  /**
   * {@code destination[out + ox]} for {@code ox} in {@code [oxStart, oxEnd)}: the samples of one row of a block, at
   * {@code rowFirstSample + (sourceColumns[ox] - blockLeft) * stride}. The most common types (8 and 16 bits) have their
   * own loops with the byte order resolved once per row: this is the hottest loop of a scene read, and a per-sample
   * type switch through a VarHandle held in a field (not a constant the JIT can fold) made the Sentinel-2-sized
   * scene's decoding cost 10.4 s of CPU instead of 7.0 ({@code ScenePipelineBenchmark}).
   */
  private void copySamples(byte[] block, int rowFirstSample, int[] sourceColumns, int blockLeft, int oxStart,
      int oxEnd, int stride, float[] destination, int out) {
    switch (sampleType) {
      case UINT8 -> {
        for (int ox = oxStart; ox < oxEnd; ox++) {
          destination[out + ox] = block[rowFirstSample + (sourceColumns[ox] - blockLeft) * stride] & 0xFF;
        }
      }
      case UINT16, INT16 -> {
        int high = order == ByteOrder.LITTLE_ENDIAN ? 1 : 0;
        int low = 1 - high;
        boolean signed = sampleType == SampleType.INT16;
        for (int ox = oxStart; ox < oxEnd; ox++) {
          int at = 2 * (rowFirstSample + (sourceColumns[ox] - blockLeft) * stride);
          int value = (block[at + high] << 8) | (block[at + low] & 0xFF);
          destination[out + ox] = signed ? (short) value : value & 0xFFFF;
        }
      }
      default -> {
        for (int ox = oxStart; ox < oxEnd; ox++) {
          destination[out + ox] = sampleAt(block, rowFirstSample + (sourceColumns[ox] - blockLeft) * stride);
        }
      }
    }
  }

  private float sampleAt(byte[] block, int sample) {
    return switch (sampleType) {
      case UINT8 -> block[sample] & 0xFF;
      case INT8 -> block[sample];
      case UINT16 -> (short) shortView.get(block, sample * 2) & 0xFFFF;
      case INT16 -> (short) shortView.get(block, sample * 2);
      case UINT32 -> (int) intView.get(block, sample * 4) & 0xFFFF_FFFFL;
      case INT32 -> (int) intView.get(block, sample * 4);
      case FLOAT32 -> Float.intBitsToFloat((int) intView.get(block, sample * 4));
      case FLOAT64 -> (float) Double.longBitsToDouble((long) longView.get(block, sample * 8));
    };
  }

  private byte[] block(int plane, int blockRow, int blockColumn, Map<Integer, byte[]> prefetched)
      throws IOException, InvalidImageException {
    int index = (plane * blocksDown + blockRow) * blocksAcross + blockColumn;
    return cache.get(index, () -> decodeBlock(plane, blockRow, blockColumn, prefetchedOrKept(index, prefetched)));
  }

  private byte[] prefetchedOrKept(int index, Map<Integer, byte[]> prefetched) {
    byte[] bytes = prefetched.get(index);
    return bytes != null || storedCache == null ? bytes : storedCache.get(index);
  }

  /** Largest gap between two tiles read in one request: GDAL's COG tiles sit 8 bytes apart (size leader, trailer). */
  static final int MAX_RUN_GAP_BYTES = 64;
  /** Largest single request of a run of tiles; it is held twice while it is split. */
  static final int MAX_RUN_BYTES = 8 << 20;

  /**
   * For a ranged source: the stored bytes of the tiles of one tile row that this window needs and the cache does not
   * hold, read in one request per run of tiles that lie next to each other in the file (a COG stores a row's tiles
   * in order), instead of one request per tile; a round trip costs far more than the few bytes between tiles. Tiles
   * alone in their run are left to {@link #decodeBlock}'s own read.
   */
  private Map<Integer, byte[]> fetchRuns(int blockRow, int[] sourceColumns, int firstBlockColumn,
      int lastBlockColumn, int[] bandIndexes) throws IOException, InvalidImageException {
    List<Integer> wanted = new ArrayList<>();
    boolean[] planes = new boolean[planar ? bands : 1];
    for (int band : bandIndexes) {
      planes[planar ? band : 0] = true;
    }
    for (int plane = 0; plane < planes.length; plane++) {
      if (!planes[plane]) {
        continue;
      }
      int ox = 0;
      for (int blockColumn = firstBlockColumn; blockColumn <= lastBlockColumn; blockColumn++) {
        int oxEnd = firstAtOrAfter(sourceColumns, ox, (blockColumn + 1) * blockWidth);
        int index = (plane * blocksDown + blockRow) * blocksAcross + blockColumn;
        if (oxEnd > ox && storedByteCounts[index] > 0 && !cache.holds(index)
            && (storedCache == null || !storedCache.holds(index))) {
          wanted.add(index);
        }
        ox = oxEnd;
      }
      if (storedCache != null && !wanted.isEmpty()) {
        // Read ahead: the rest of the tile row, which the windows to the right will need.
        for (int blockColumn = lastBlockColumn + 1; blockColumn < blocksAcross; blockColumn++) {
          int index = (plane * blocksDown + blockRow) * blocksAcross + blockColumn;
          if (storedByteCounts[index] > 0 && !cache.holds(index) && !storedCache.holds(index)) {
            wanted.add(index);
          }
        }
      }
    }
    wanted.sort(Comparator.comparingLong(i -> storedOffsets[i]));
    Map<Integer, byte[]> fetched = new HashMap<>();
    int runStart = 0;
    for (int i = 1; i <= wanted.size(); i++) {
      boolean continues = i < wanted.size() && contiguous(wanted.get(i - 1), wanted.get(i))
          && end(wanted.get(i)) - storedOffsets[wanted.get(runStart)] <= MAX_RUN_BYTES;
      if (!continues) {
        if (i - runStart > 1) {
          fetchRun(wanted.subList(runStart, i), fetched);
        }
        runStart = i;
      }
    }
    return fetched;
  }

  private boolean contiguous(int previous, int next) {
    long gap = storedOffsets[next] - end(previous);
    return gap >= 0 && gap <= MAX_RUN_GAP_BYTES;
  }

  private long end(int index) {
    return storedOffsets[index] + storedByteCounts[index];
  }

  private void fetchRun(List<Integer> run, Map<Integer, byte[]> fetched) throws IOException, InvalidImageException {
    long start = storedOffsets[run.get(0)];
    byte[] bytes = readStored(start, (int) (end(run.get(run.size() - 1)) - start));
    for (int index : run) {
      int from = (int) (storedOffsets[index] - start);
      byte[] block = Arrays.copyOfRange(bytes, from, from + (int) storedByteCounts[index]);
      fetched.put(index, block);
      if (storedCache != null) {
        storedCache.put(index, block);
      }
    }
  }

  /** Blocks decoded so far (each cache miss once, whatever the number of threads that wanted it). */
  long blocksDecoded() {
    return blocksDecoded.get();
  }

  /** @param prefetched the block's stored bytes if {@link #fetchRuns} read them, else null */
  private byte[] decodeBlock(int plane, int blockRow, int blockColumn, byte[] prefetched)
      throws IOException, InvalidImageException {
    blocksDecoded.incrementAndGet();
    int samplesPerBlockPixel = planar ? 1 : bands;
    int rowBytes = blockWidth * samplesPerBlockPixel * sampleType.bytes();
    byte[] decoded = new byte[rowBytes * blockHeight];
    long offset;
    long byteCount;
    if (tiled) {
      int stored = (plane * blocksDown + blockRow) * blocksAcross + blockColumn;
      offset = storedOffsets[stored];
      byteCount = storedByteCounts[stored];
    } else {
      int stripsPerPlane = ceilDiv(height, rowsPerStrip);
      int strip = compression == TiffCompression.NONE ? blockRow / rowsPerStrip : blockRow;
      int stored = plane * stripsPerPlane + strip;
      offset = storedOffsets[stored];
      byteCount = storedByteCounts[stored];
      if (compression == TiffCompression.NONE) {
        // One row of an uncompressed strip: read it where it lies instead of the whole strip.
        long rowInStrip = blockRow % rowsPerStrip;
        offset += rowInStrip * rowBytes;
        byteCount = Math.max(0, Math.min(rowBytes, byteCount - rowInStrip * rowBytes));
      }
    }
    if (byteCount == 0) {
      return decoded; // a sparse block (GDAL's SPARSE_OK): all zeros, which is how GDAL reads it without nodata
    }
    if (byteCount > Integer.MAX_VALUE - 8) {
      throw invalid("The TIFF file is corrupt: a block claims " + byteCount + " bytes.");
    }
    byte[] stored = prefetched != null ? prefetched : readStored(offset, (int) byteCount);
    storedBytesRead.addAndGet(byteCount);
    int produced;
    switch (compression) {
      case NONE -> {
        produced = Math.min(stored.length, decoded.length);
        System.arraycopy(stored, 0, decoded, 0, produced);
      }
      case LZW -> {
        try {
          produced = TiffLzw.decode(stored, decoded);
        } catch (IllegalArgumentException e) {
          throw new InvalidImageException(INVALID_IMAGE, "The TIFF image data is corrupt: " + e.getMessage(), e);
        }
      }
      default -> produced = inflate(stored, decoded);
    }
    int rowsInBlock = tiled ? blockHeight : Math.min(blockHeight, height - blockRow * blockHeight);
    if (produced < rowsInBlock * rowBytes) {
      throw invalid("The TIFF image data is corrupt: a block decodes to " + produced + " bytes, "
          + (long) rowsInBlock * rowBytes + " expected.");
    }
    if (horizontalDifferencing) {
      undoHorizontalDifferencing(decoded, rowsInBlock, samplesPerBlockPixel);
    }
    return decoded;
  }

  private static int inflate(byte[] stored, byte[] decoded) throws InvalidImageException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored);
      int produced = 0;
      while (produced < decoded.length && !inflater.finished()) {
        int n = inflater.inflate(decoded, produced, decoded.length - produced);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        produced += n;
      }
      return produced;
    } catch (DataFormatException e) {
      throw new InvalidImageException(INVALID_IMAGE, "The TIFF image data is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /**
   * Predictor 2: each sample after the first of a row is stored as the difference to its left neighbour. Summed
   * per sample position with a running total in a local; the 8- and 16-bit loops are spelled out because this is
   * the hottest loop of a scene read (a VarHandle get and set per sample cost three times as much).
   */
  private void undoHorizontalDifferencing(byte[] block, int rows, int samplesPerPixel) {
    int rowSamples = blockWidth * samplesPerPixel;
    boolean little = order == ByteOrder.LITTLE_ENDIAN;
    for (int row = 0; row < rows; row++) {
      int start = row * rowSamples;
      int end = start + rowSamples;
      for (int first = start; first < start + samplesPerPixel; first++) {
        switch (sampleType.bytes()) {
          case 1 -> {
            byte total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += block[i];
              block[i] = total;
            }
          }
          case 2 -> {
            int total = 0;
            int high = little ? 1 : 0;
            int low = 1 - high;
            for (int at = 2 * first; at < 2 * end; at += 2 * samplesPerPixel) {
              total += (block[at + high] << 8) | (block[at + low] & 0xFF);
              block[at + low] = (byte) total;
              block[at + high] = (byte) (total >> 8);
            }
          }
          case 4 -> {
            int total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += (int) intView.get(block, i * 4);
              intView.set(block, i * 4, total);
            }
          }
          default -> {
            long total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += (long) longView.get(block, i * 8);
              longView.set(block, i * 8, total);
            }
          }
        }
      }
    }
  }

  /** The stored bytes of a block, by a positional read (several threads read one scene at once). */
  private byte[] readStored(long position, int length) throws IOException, InvalidImageException {
    long size = stored.size();
    if (position < 0 || position + length > size) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The TIFF file is incomplete: it needs " + length
          + " bytes at offset " + position + " but is only " + size + " bytes long.");
    }
    byte[] bytes = new byte[length];
    stored.read(position, bytes);
    return bytes;
  }

  /**
   * Stored (compressed) bytes of the strips and tiles decoded so far, each time one was decoded: what a window plan
   * needed from the file with this raster's cache. A ranged source fetches these and the header; runs of
   * neighbouring tiles fetched in one request add at most {@link #MAX_RUN_GAP_BYTES} between two tiles.
   */
  public long storedBytesRead() {
    return storedBytesRead.get();
  }

  /** Where the stored blocks are read from: a file, or a ranged source. Positional reads, thread-safe. */
  private interface StoredBytes extends Closeable {
    long size() throws IOException;

    /** Whether a request costs a round trip (then neighbouring tiles are read together). */
    boolean remote();

    /** Fills {@code target} from {@code position}; the range is inside the file. */
    void read(long position, byte[] target) throws IOException;
  }

  private record FileBytes(FileChannel channel) implements StoredBytes {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public boolean remote() {
      return false;
    }

    @Override
    public void read(long position, byte[] target) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(target);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new EOFException("the file became shorter while it was read, at offset " + position);
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private record RangeBytes(RangeReader source) implements StoredBytes {
    @Override
    public long size() {
      return source.size();
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public void read(long position, byte[] target) throws IOException {
      source.readFully(position, target, 0, target.length);
    }

    @Override
    public void close() throws IOException {
      source.close();
    }
  }

  private static OptionalDouble parseNoData(TiffDirectory directory) throws IOException, InvalidImageException {
    if (!directory.has(GDAL_NODATA)) {
      return OptionalDouble.empty();
    }
    String text = directory.ascii(GDAL_NODATA).trim();
    if (text.equalsIgnoreCase("nan") || text.equalsIgnoreCase("-nan")) {
      return OptionalDouble.of(Double.NaN);
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty(); // GDAL ignores a nodata it cannot parse too
    }
  }

  private static GeoTiffTags readGeoTags(TiffDirectory directory) throws IOException, InvalidImageException {
    double[] none = new double[0];
    long[] keys = directory.has(GEO_KEY_DIRECTORY) ? directory.longs(GEO_KEY_DIRECTORY) : new long[0];
    int[] keyShorts = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyShorts[i] = (int) keys[i];
    }
    return new GeoTiffTags(
        directory.has(MODEL_PIXEL_SCALE) ? directory.doubles(MODEL_PIXEL_SCALE) : none,
        directory.has(MODEL_TIEPOINT) ? directory.doubles(MODEL_TIEPOINT) : none,
        directory.has(MODEL_TRANSFORMATION) ? directory.doubles(MODEL_TRANSFORMATION) : none,
        keyShorts,
        directory.has(GEO_DOUBLE_PARAMS) ? directory.doubles(GEO_DOUBLE_PARAMS) : none,
        directory.has(GEO_ASCII_PARAMS) ? directory.ascii(GEO_ASCII_PARAMS) : "");
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

  /** Stored bytes of tiles read ahead, least recently used out first, up to a byte budget. Thread-safe. */
  private static final class StoredCache {
    private final long budget;
    private long held;
    private final LinkedHashMap<Integer, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);

    StoredCache(long budget) {
      this.budget = budget;
    }

    synchronized boolean holds(int index) {
      return blocks.containsKey(index);
    }

    synchronized byte[] get(int index) {
      return blocks.get(index);
    }

    synchronized void put(int index, byte[] block) {
      byte[] previous = blocks.put(index, block);
      held += block.length - (previous == null ? 0 : previous.length);
      var eldest = blocks.entrySet().iterator();
      while (held > budget && blocks.size() > 1) {
        held -= eldest.next().getValue().length;
        eldest.remove();
      }
    }
  }

  /** Decodes one block; what the cache calls when a block is not held. */
  @FunctionalInterface
  private interface BlockDecoder {
    byte[] decode() throws IOException, InvalidImageException;
  }

  /**
   * Least recently used decoded blocks up to a byte budget; always keeps the newest. Shared by threads reading
   * windows of the same scene at once: the lock covers only the bookkeeping, and a missing block is decoded by the
   * first thread that asks for it, outside the lock, while others asking for the same block meanwhile wait for
   * that decoding instead of repeating it (neighbouring windows overlap, so two readers often want one block).
   */
  private static final class BlockCache {
    private final long budget;
    private long held;
    private final LinkedHashMap<Integer, byte[]> blocks = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Integer, CompletableFuture<byte[]>> decoding = new HashMap<>();

    BlockCache(long budget) {
      this.budget = budget;
    }

    byte[] get(int index, BlockDecoder decoder) throws IOException, InvalidImageException {
      CompletableFuture<byte[]> pending;
      synchronized (this) {
        byte[] cached = blocks.get(index);
        if (cached != null) {
          return cached;
        }
        pending = decoding.get(index);
        if (pending == null) {
          decoding.put(index, new CompletableFuture<>());
        }
      }
      if (pending != null) {
        return awaitDecoding(pending);
      }
      byte[] block;
      try {
        block = decoder.decode();
      } catch (IOException | InvalidImageException | RuntimeException | Error e) {
        finishDecoding(index).completeExceptionally(e);
        throw e;
      }
      CompletableFuture<byte[]> finished;
      synchronized (this) {
        finished = decoding.remove(index);
        put(index, block);
      }
      finished.complete(block);
      return block;
    }

    /** Whether the block is held or being decoded (a read of it now would not decode it again). */
    synchronized boolean holds(int index) {
      return blocks.containsKey(index) || decoding.containsKey(index);
    }

    private synchronized CompletableFuture<byte[]> finishDecoding(int index) {
      return decoding.remove(index);
    }

    /** Another reader's decoding of the block; its failure is this reader's too (the block is corrupt for both). */
    private static byte[] awaitDecoding(CompletableFuture<byte[]> pending) throws IOException, InvalidImageException {
      try {
        return pending.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof InvalidImageException invalid) {
          throw invalid;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }

    private void put(int index, byte[] block) {
      blocks.put(index, block);
      held += block.length;
      var eldest = blocks.entrySet().iterator();
      while (held > budget && blocks.size() > 1) {
        Map.Entry<Integer, byte[]> entry = eldest.next();
        held -= entry.getValue().length;
        eldest.remove();
      }
    }

    synchronized void clear() {
      blocks.clear();
      held = 0;
    }
  }
}
