package org.geohazard.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachedRangeReaderTest {

  /** The ranges a reader asked its source for, served from an array. */
  private static final class Recording extends CachedRangeReader {
    final byte[] object;
    final List<long[]> fetched = new ArrayList<>();

    Recording(byte[] object, int blockSize, int blockCount) {
      super("test://object", object.length, blockSize, blockCount);
      this.object = object;
    }

    @Override
    protected void fetch(long position, byte[] target, int offset, int length) {
      fetched.add(new long[] {position, length});
      System.arraycopy(object, (int) position, target, offset, length);
    }

    @Override
    public void close() {
    }
  }

  private static byte[] object(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }

  @Test
  void readFullySendsExactlyTheRangeAskedForAndCountsIt() throws IOException {
    Recording reader = new Recording(object(10_000), 1024, 4);
    byte[] target = new byte[300];
    reader.readFully(5_000, target, 0, 300);
    assertThat(target).isEqualTo(Arrays.copyOfRange(reader.object, 5_000, 5_300));
    assertThat(reader.fetched).containsExactly(new long[] {5_000, 300});
    assertThat(reader.bytesFetched()).isEqualTo(300);
    assertThat(reader.requests()).isEqualTo(1);
    assertThat(reader.cachedBlocks()).as("exact reads bypass the header cache").isZero();
  }

  @Test
  void headerChannelFetchesEachAlignedBlockOnceWhileItIsCached() throws IOException {
    Recording reader = new Recording(object(10_000), 1024, 4);
    SeekableByteChannel channel = reader.headerChannel();
    ByteBuffer small = ByteBuffer.allocate(16);
    channel.position(1_020);
    assertThat(channel.read(small)).isEqualTo(16); // spans blocks 0 and 1
    assertThat(small.array()).isEqualTo(Arrays.copyOfRange(reader.object, 1_020, 1_036));
    channel.position(10);
    channel.read(ByteBuffer.allocate(8));
    channel.position(2_000);
    channel.read(ByteBuffer.allocate(8));
    assertThat(reader.fetched).containsExactly(new long[] {0, 1024}, new long[] {1024, 1024});
    assertThat(reader.bytesFetched()).isEqualTo(2048);
  }

  @Test
  void headerCacheKeepsAtMostItsBlockCountLeastRecentlyUsedOutFirst() throws IOException {
    Recording reader = new Recording(object(10_000), 1024, 2);
    SeekableByteChannel channel = reader.headerChannel();
    for (long position : new long[] {0, 1024, 0, 2048, 0, 1024}) {
      channel.position(position).read(ByteBuffer.allocate(4));
    }
    // 0 and 1024 fetched; 0 used again; 2048 evicts 1024 (least recently used); 0 stays; 1024 fetched again.
    assertThat(reader.fetched).extracting(r -> r[0]).containsExactly(0L, 1024L, 2048L, 1024L);
    assertThat(reader.cachedBlocks()).isEqualTo(2);
  }

  @Test
  void lastBlockIsShortAndTheChannelEndsAtTheObjectsEnd() throws IOException {
    Recording reader = new Recording(object(2_500), 1024, 4);
    SeekableByteChannel channel = reader.headerChannel();
    ByteBuffer rest = ByteBuffer.allocate(1_000);
    channel.position(2_000);
    assertThat(channel.read(rest)).isEqualTo(500);
    assertThat(channel.read(rest)).isEqualTo(-1);
    assertThat(reader.fetched).containsExactly(new long[] {1024, 1024}, new long[] {2048, 452});
  }

  @Test
  void refusesRangesOutsideTheObjectWithoutARequest() {
    Recording reader = new Recording(object(1_000), 1024, 4);
    assertThatThrownBy(() -> reader.readFully(900, new byte[200], 0, 200)).isInstanceOf(EOFException.class)
        .hasMessageContaining("test://object").hasMessageContaining("200 bytes at offset 900");
    assertThatThrownBy(() -> reader.readFully(-1, new byte[1], 0, 1)).isInstanceOf(EOFException.class);
    assertThat(reader.requests()).isZero();
  }

  @Test
  void closedHeaderChannelRefusesReadsAndTheReaderStaysUsable() throws IOException {
    Recording reader = new Recording(object(1_000), 1024, 4);
    SeekableByteChannel channel = reader.headerChannel();
    channel.close();
    assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
    assertThat(reader.headerChannel().read(ByteBuffer.allocate(1))).isEqualTo(1);
  }
}
