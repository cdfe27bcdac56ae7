package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import org.geohazard.storage.RangeReader;

/**
 * The stored (compressed) bytes of a raster's strips and tiles: read where they lie in a file or, from a ranged
 * source, in one request per run of neighbouring tiles, with the tiles read ahead kept as stored bytes up to a
 * budget. Thread-safe: every read is positional, and the read-ahead cache locks its own bookkeeping.
 */
final class StoredBlocks implements Closeable {

  /** Largest gap between two tiles read in one request: GDAL's COG tiles sit 8 bytes apart (size leader, trailer). */
  static final int MAX_RUN_GAP_BYTES = 64;
  /** Largest single request of a run of tiles; it is held twice while it is split. */
  static final int MAX_RUN_BYTES = 8 << 20;

  /** Where the stored blocks are read from: a file, or a ranged source. Positional reads, thread-safe. */
  interface Source extends Closeable {
    long size() throws IOException;

    /** Whether a request costs a round trip (then neighbouring tiles are read together). */
    boolean remote();

    /** Fills {@code target} from {@code position}; the range is inside the file. */
    void read(long position, byte[] target) throws IOException;

    static Source of(FileChannel channel) {
      return new FileSource(channel);
    }

    static Source of(RangeReader reader) {
      return new RangeSource(reader);
    }
  }

  /**
   * The tiles of one plane's tile row that a window needs ({@code needed}) and those right of the window
   * ({@code further}, read ahead when a read-ahead budget is set), as block indexes in column order.
   */
  record PlaneRow(int[] needed, int[] further) {}

  private final Source source;
  private final long[] offsets;
  private final long[] byteCounts;
  /** Stored bytes of tiles read ahead, or null for exact reads. */
  private final ReadAhead readAhead;
  private final AtomicLong bytesDecoded = new AtomicLong();

  /**
   * @param offsets where each block's stored bytes start, by block index
   * @param byteCounts how many stored bytes each block has (0 for a sparse block)
   * @param readAheadBytes stored bytes of tiles read ahead to keep; 0 for exact reads
   */
  StoredBlocks(Source source, long[] offsets, long[] byteCounts, long readAheadBytes) {
    this.source = source;
    this.offsets = offsets;
    this.byteCounts = byteCounts;
    this.readAhead = readAheadBytes > 0 ? new ReadAhead(readAheadBytes) : null;
  }

  boolean remote() {
    return source.remote();
  }

  long offset(int stored) {
    return offsets[stored];
  }

  long byteCount(int stored) {
    return byteCounts[stored];
  }

  /** The stored bytes of a block by a positional read (several threads read one scene at once). */
  byte[] read(long position, int length) throws IOException, InvalidImageException {
    long size = source.size();
    if (position < 0 || position + length > size) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The TIFF file is incomplete: it needs " + length
          + " bytes at offset " + position + " but is only " + size + " bytes long.");
    }
    byte[] bytes = new byte[length];
    source.read(position, bytes);
    return bytes;
  }

  /** Counts {@code byteCount} stored bytes as decoded; see {@link GeoTiffRaster#storedBytesRead()}. */
  void countDecoded(long byteCount) {
    bytesDecoded.addAndGet(byteCount);
  }

  long bytesDecoded() {
    return bytesDecoded.get();
  }

  /** The block's stored bytes if {@code fetched} or the read-ahead holds them, else null. */
  byte[] fetchedOrKept(int index, Map<Integer, byte[]> fetched) {
    byte[] bytes = fetched.get(index);
    return bytes != null || readAhead == null ? bytes : readAhead.get(index);
  }

  /**
   * The stored bytes of the tiles of one tile row that a window needs and {@code decoded} does not hold, read in one
   * request per run of tiles that lie next to each other in the file (a COG stores a row's tiles in order), instead
   * of one request per tile; a round trip costs far more than the few bytes between tiles. With a read-ahead budget,
   * the rest of the row (which the windows to the right will need) is read in the same requests and kept. Tiles
   * alone in their run are left to the decoder's own read.
   */
  Map<Integer, byte[]> fetchRuns(List<PlaneRow> planes, IntPredicate decoded)
      throws IOException, InvalidImageException {
    List<Integer> wanted = new ArrayList<>();
    for (PlaneRow plane : planes) {
      addWanted(plane.needed(), decoded, wanted);
      if (readAhead != null && !wanted.isEmpty()) {
        addWanted(plane.further(), decoded, wanted);
      }
    }
    wanted.sort(Comparator.comparingLong(i -> offsets[i]));
    Map<Integer, byte[]> fetched = new HashMap<>();
    int runStart = 0;
    for (int i = 1; i <= wanted.size(); i++) {
      boolean continues = i < wanted.size() && contiguous(wanted.get(i - 1), wanted.get(i))
          && end(wanted.get(i)) - offsets[wanted.get(runStart)] <= MAX_RUN_BYTES;
      if (!continues) {
        if (i - runStart > 1) {
          fetchRun(wanted.subList(runStart, i), fetched);
        }
        runStart = i;
      }
    }
    return fetched;
  }

  private void addWanted(int[] indexes, IntPredicate decoded, List<Integer> wanted) {
    for (int index : indexes) {
      if (byteCounts[index] > 0 && !decoded.test(index) && (readAhead == null || !readAhead.holds(index))) {
        wanted.add(index);
      }
    }
  }

  private boolean contiguous(int previous, int next) {
    long gap = offsets[next] - end(previous);
    return gap >= 0 && gap <= MAX_RUN_GAP_BYTES;
  }

  private long end(int index) {
    return offsets[index] + byteCounts[index];
  }

  private void fetchRun(List<Integer> run, Map<Integer, byte[]> fetched) throws IOException, InvalidImageException {
    long start = offsets[run.get(0)];
    byte[] bytes = read(start, (int) (end(run.get(run.size() - 1)) - start));
    for (int index : run) {
      int from = (int) (offsets[index] - start);
      byte[] block = Arrays.copyOfRange(bytes, from, from + (int) byteCounts[index]);
      fetched.put(index, block);
      if (readAhead != null) {
        readAhead.put(index, block);
      }
    }
  }

  long size() throws IOException {
    return source.size();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  private record FileSource(FileChannel channel) implements Source {
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

  private record RangeSource(RangeReader reader) implements Source {
    @Override
    public long size() {
      return reader.size();
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public void read(long position, byte[] target) throws IOException {
      reader.readFully(position, target, 0, target.length);
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /** Stored bytes of tiles read ahead, least recently used out first, up to a byte budget. Thread-safe. */
  private static final class ReadAhead {
    private final long budget;
    private long held;
    private final LinkedHashMap<Integer, byte[]> blocks = new LinkedHashMap<>(256, 0.75f, true);

    ReadAhead(long budget) {
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
}
