package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run fetching and read-ahead of {@link StoredBlocks}, over a real file seen as a remote source. */
class StoredBlocksTest {

  /** A file read as if each request were a round trip, recording the requests. */
  private static final class RecordedSource implements StoredBlocks.Source {
    private final StoredBlocks.Source file;
    final List<long[]> requests = new ArrayList<>();

    RecordedSource(Path path) throws IOException {
      file = StoredBlocks.Source.of(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public synchronized void read(long position, byte[] target) throws IOException {
      requests.add(new long[] {position, target.length});
      file.read(position, target);
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }

  @TempDir
  Path folder;
  private RecordedSource source;

  /**
   * Six tiles of 100 bytes: 0..2 back to back 8 bytes apart (as GDAL writes a COG), 3 far after 2, 4 sparse, 5 right
   * after 3. Byte i of the file is i mod 251, so every slice is recognisable.
   */
  private static final long[] OFFSETS = {1_000, 1_108, 1_216, 5_000, 0, 5_100};
  private static final long[] COUNTS = {100, 100, 100, 100, 0, 100};

  @BeforeEach
  void writeFile() throws IOException {
    byte[] bytes = new byte[6_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i % 251);
    }
    Path file = folder.resolve("tiles.bin");
    Files.write(file, bytes);
    source = new RecordedSource(file);
  }

  private static StoredBlocks.PlaneRow row(int[] needed, int... further) {
    return new StoredBlocks.PlaneRow(needed, further);
  }

  private static byte expected(long offset) {
    return (byte) (offset % 251);
  }

  @Test
  void neighbouringTilesComeInOneRequestAndLoneTilesAreLeftToTheirOwnRead() throws Exception {
    try (StoredBlocks blocks = new StoredBlocks(source, OFFSETS, COUNTS, 0)) {
      Map<Integer, byte[]> fetched = blocks.fetchRuns(List.of(row(new int[] {0, 1, 2, 3, 4})), index -> false);
      assertThat(source.requests).containsExactly(new long[] {1_000, 316});
      assertThat(fetched).containsOnlyKeys(0, 1, 2);
      assertThat(fetched.get(1)).hasSize(100).startsWith(expected(1_108));
      assertThat(blocks.fetchedOrKept(3, fetched)).as("alone in its run, not read ahead").isNull();

      source.requests.clear();
      fetched = blocks.fetchRuns(List.of(row(new int[] {0, 1, 2})), index -> index == 1);
      assertThat(fetched).as("a decoded tile splits the run").isEmpty();
      assertThat(source.requests).isEmpty();
    }
  }

  @Test
  void aGapOverTheLimitEndsARun() throws Exception {
    long[] offsets = {1_000, 1_100 + StoredBlocks.MAX_RUN_GAP_BYTES + 1, 3_000};
    try (StoredBlocks blocks = new StoredBlocks(source, offsets, new long[] {100, 100, 100}, 0)) {
      assertThat(blocks.fetchRuns(List.of(row(new int[] {0, 1, 2})), index -> false)).isEmpty();
      assertThat(source.requests).isEmpty();
    }
  }

  @Test
  void readAheadTakesTheRestOfTheRowAndKeepsItWithinItsBudget() throws Exception {
    try (StoredBlocks blocks = new StoredBlocks(source, OFFSETS, COUNTS, 350)) {
      Map<Integer, byte[]> fetched = blocks.fetchRuns(List.of(row(new int[] {0}, 1, 2)), index -> false);
      assertThat(source.requests).containsExactly(new long[] {1_000, 316});
      assertThat(fetched).containsOnlyKeys(0, 1, 2);
      assertThat(blocks.fetchedOrKept(2, Map.of())).as("kept").isEqualTo(fetched.get(2));

      source.requests.clear();
      assertThat(blocks.fetchRuns(List.of(row(new int[] {1, 2})), index -> false)).as("all kept").isEmpty();
      assertThat(blocks.fetchRuns(List.of(row(new int[] {}, 3, 5)), index -> false))
          .as("nothing needed: nothing read ahead").isEmpty();
      assertThat(source.requests).isEmpty();

      blocks.fetchRuns(List.of(row(new int[] {3}, 5)), index -> false);
      assertThat(source.requests).containsExactly(new long[] {5_000, 200});
      assertThat(blocks.fetchedOrKept(5, Map.of())).startsWith(expected(5_100));
      assertThat(blocks.fetchedOrKept(0, Map.of())).as("least recently used, over the budget").isNull();
      assertThat(blocks.fetchedOrKept(1, Map.of())).isNull();
    }
  }

  @Test
  void aReadPastTheEndIsATruncatedImage() throws Exception {
    try (StoredBlocks blocks = new StoredBlocks(source, OFFSETS, COUNTS, 0)) {
      assertThat(blocks.read(5_990, 10)).startsWith(expected(5_990));
      assertThatThrownBy(() -> blocks.read(5_995, 10)).isInstanceOf(InvalidImageException.class)
          .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("truncated_image");
      blocks.countDecoded(100);
      blocks.countDecoded(20);
      assertThat(blocks.bytesDecoded()).isEqualTo(120);
    }
  }
}
