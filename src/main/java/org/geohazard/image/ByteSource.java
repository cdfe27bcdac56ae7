package org.geohazard.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Random access to the bytes of a file for the header readers, over an array already in memory or over a channel,
 * so that probing a large file on disk reads only the few blocks its header lives in.
 *
 * <p>Reads past the end throw {@link EOFException}, which {@link ImageProbe} reports as a truncated image. Not
 * thread-safe: one instance per probe.
 */
abstract sealed class ByteSource permits ByteSource.OfArray, ByteSource.OfChannel {

  private final byte[] scratch = new byte[4];

  static ByteSource of(byte[] file) {
    return new OfArray(file);
  }

  static ByteSource of(SeekableByteChannel channel) throws IOException {
    return new OfChannel(channel);
  }

  abstract long size();

  /** Copies {@code length} bytes from {@code position}, or throws {@link EOFException} if the file is shorter. */
  abstract void readFully(long position, byte[] destination, int offset, int length) throws IOException;

  final byte[] read(long position, int length) throws IOException {
    requireAvailable(position, length);
    byte[] bytes = new byte[length];
    readFully(position, bytes, 0, length);
    return bytes;
  }

  /** Throws {@link EOFException} unless {@code length} bytes exist from {@code position}; checks before allocating. */
  final void requireAvailable(long position, long length) throws EOFException {
    if (position < 0 || length < 0 || position > size() - length) {
      throw new EOFException("need " + length + " bytes at offset " + position + ", file has " + size());
    }
  }

  final int u8(long position) throws IOException {
    readFully(position, scratch, 0, 1);
    return scratch[0] & 0xFF;
  }

  final int u16(long position, ByteOrder order) throws IOException {
    readFully(position, scratch, 0, 2);
    int a = scratch[0] & 0xFF;
    int b = scratch[1] & 0xFF;
    return order == ByteOrder.BIG_ENDIAN ? a << 8 | b : b << 8 | a;
  }

  final long u32(long position, ByteOrder order) throws IOException {
    readFully(position, scratch, 0, 4);
    return ByteBuffer.wrap(scratch).order(order).getInt() & 0xFFFF_FFFFL;
  }

  static final class OfArray extends ByteSource {
    private final byte[] file;

    private OfArray(byte[] file) {
      this.file = file;
    }

    @Override
    long size() {
      return file.length;
    }

    @Override
    void readFully(long position, byte[] destination, int offset, int length) throws EOFException {
      requireAvailable(position, length);
      System.arraycopy(file, (int) position, destination, offset, length);
    }
  }

  /**
   * Keeps one block of the channel in memory: header readers ask for a few bytes at a time, mostly close together
   * (JPEG markers, TIFF directory entries), and one system call per field would be wasteful.
   */
  static final class OfChannel extends ByteSource {
    private static final int BLOCK_SIZE = 8192;

    private final SeekableByteChannel channel;
    private final long size;
    private final ByteBuffer block = ByteBuffer.allocate(BLOCK_SIZE);
    private long blockStart = -1;

    private OfChannel(SeekableByteChannel channel) throws IOException {
      this.channel = channel;
      this.size = channel.size();
    }

    @Override
    long size() {
      return size;
    }

    @Override
    void readFully(long position, byte[] destination, int offset, int length) throws IOException {
      requireAvailable(position, length);
      if (length > BLOCK_SIZE) {
        readFromChannel(position, ByteBuffer.wrap(destination, offset, length));
        return;
      }
      boolean cached = blockStart >= 0 && position >= blockStart
          && position + length <= blockStart + block.limit();
      if (!cached) {
        block.clear();
        block.limit((int) Math.min(BLOCK_SIZE, size - position));
        readFromChannel(position, block);
        blockStart = position;
      }
      block.get((int) (position - blockStart), destination, offset, length);
    }

    private void readFromChannel(long position, ByteBuffer target) throws IOException {
      channel.position(position);
      while (target.hasRemaining()) {
        if (channel.read(target) < 0) {
          throw new EOFException("the file became shorter while it was read, at offset " + position);
        }
      }
      target.flip();
    }
  }
}
