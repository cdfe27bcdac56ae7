package org.geohazard.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every {@link RangeReader} shares: bounds checks, counting, and the block cache behind the header channel.
 * A subclass says how one range is fetched ({@link #fetch}).
 *
 * <p>The cache holds {@link #blockCount} blocks of {@link #blockSize} bytes, aligned to multiples of the block size,
 * least recently used out first. Why small and only for header reads: a TIFF's header and directories are read
 * 8 KB at a time, mostly inside one or two blocks, and one request per field would cost a round trip each; the
 * pixels are read with {@link #readFully} in exact ranges, since the raster reader caches decoded tiles itself and
 * a second copy of their compressed bytes would only take heap.
 */
public abstract class CachedRangeReader implements RangeReader {

  /** 16 × 64 KiB: a COG's header, directories and tile tables fit in the first block or two. */
  public static final int DEFAULT_BLOCK_SIZE = 64 << 10;
  public static final int DEFAULT_BLOCK_COUNT = 16;

  private final String location;
  private final long size;
  private final int blockSize;
  private final int blockCount;
  private final LinkedHashMap<Long, byte[]> blocks = new LinkedHashMap<>(32, 0.75f, true);
  private final AtomicLong bytesFetched = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  protected CachedRangeReader(String location, long size, int blockSize, int blockCount) {
    if (size < 0 || blockSize < 1 || blockCount < 1) {
      throw new IllegalArgumentException("size >= 0, blockSize >= 1 and blockCount >= 1 expected");
    }
    this.location = location;
    this.size = size;
    this.blockSize = blockSize;
    this.blockCount = blockCount;
  }

  /** Fetches exactly {@code length} bytes (at least 1) from {@code position}, inside the object, in one request. */
  protected abstract void fetch(long position, byte[] target, int offset, int length) throws IOException;

  @Override
  public final String location() {
    return location;
  }

  @Override
  public final long size() {
    return size;
  }

  @Override
  public final long bytesFetched() {
    return bytesFetched.get();
  }

  @Override
  public final long requests() {
    return requests.get();
  }

  @Override
  public final void readFully(long position, byte[] target, int offset, int length) throws IOException {
    requireInside(position, length);
    if (length > 0) {
      counted(position, target, offset, length);
    }
  }

  @Override
  public final SeekableByteChannel headerChannel() {
    return new HeaderChannel();
  }

  private void counted(long position, byte[] target, int offset, int length) throws IOException {
    requests.incrementAndGet();
    fetch(position, target, offset, length);
    bytesFetched.addAndGet(length);
  }

  private void requireInside(long position, long length) throws EOFException {
    if (position < 0 || length < 0 || position > size - length) {
      throw new EOFException(location + ": need " + length + " bytes at offset " + position + ", the object has "
          + size);
    }
  }

  /** Copies from the cached blocks, fetching the missing ones; returns the bytes copied (short only at the end). */
  private int readCached(long position, ByteBuffer target) throws IOException {
    int copied = 0;
    while (target.hasRemaining() && position < size) {
      long start = position / blockSize * blockSize;
      byte[] block = block(start);
      int inBlock = (int) (position - start);
      int n = Math.min(target.remaining(), block.length - inBlock);
      target.put(block, inBlock, n);
      position += n;
      copied += n;
    }
    return copied;
  }

  private byte[] block(long start) throws IOException {
    synchronized (blocks) {
      byte[] cached = blocks.get(start);
      if (cached != null) {
        return cached;
      }
    }
    // Fetched outside the lock: two threads missing one block both fetch it, rarer and cheaper than waiting.
    byte[] block = new byte[(int) Math.min(blockSize, size - start)];
    counted(start, block, 0, block.length);
    synchronized (blocks) {
      blocks.put(start, block);
      var eldest = blocks.entrySet().iterator();
      while (blocks.size() > blockCount) {
        eldest.next();
        eldest.remove();
      }
    }
    return block;
  }

  /** Blocks held now (for tests). */
  final int cachedBlocks() {
    synchronized (blocks) {
      return blocks.size();
    }
  }

  /** Read-only, with its own position; closing it leaves the reader open. */
  private final class HeaderChannel implements SeekableByteChannel {
    private long position;
    private boolean open = true;

    @Override
    public synchronized int read(ByteBuffer target) throws IOException {
      requireOpen();
      if (position >= size) {
        return -1;
      }
      int n = readCached(position, target);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer source) {
      throw new NonWritableChannelException();
    }

    @Override
    public synchronized long position() throws IOException {
      requireOpen();
      return position;
    }

    @Override
    public synchronized SeekableByteChannel position(long newPosition) throws IOException {
      requireOpen();
      if (newPosition < 0) {
        throw new IllegalArgumentException("negative position " + newPosition);
      }
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      requireOpen();
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
      throw new NonWritableChannelException();
    }

    @Override
    public synchronized boolean isOpen() {
      return open;
    }

    @Override
    public synchronized void close() {
      open = false;
    }

    private void requireOpen() throws ClosedChannelException {
      if (!open) {
        throw new ClosedChannelException();
      }
    }
  }
}
