package org.geohazard.extent;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Drops flooded regions smaller than a minimum area from a {@link SceneMask} before it is traced: a speckled
 * 1024² mask took 4–12 s to polygonise, nearly all of it in rings around specks that the minimum area then threw
 * away. One pass over the byte mask, 4-connected like {@link MaskPolygonizer}'s tracing, with a scan-line flood
 * fill (a stack of run starts, not of pixels, so a region the size of the scene does not need a stack that size).
 * Memory: one bit per pixel (15 MB for a 10 980² mask) and the runs of the region being filled while it is still
 * below the minimum ({@link #removeMostlyMarked}: a second bit per pixel, allocated when a region is first cleared).
 * A dropped region's pixels are set to level 0 in the mask itself.
 */
public final class SpeckFilter {

  private SpeckFilter() {
  }

  /**
   * Sets to 0 every 4-connected region of pixels at or above {@code thresholdLevel} that has fewer than
   * {@code minPixels} pixels; returns how many regions it dropped.
   */
  public static int removeBelow(SceneMask mask, int thresholdLevel, int minPixels) {
    if (minPixels <= 1) {
      return 0;
    }
    int width = mask.width();
    int height = mask.height();
    BitSet seen = new BitSet(width * height);
    LongStack seeds = new LongStack();
    IntRuns region = new IntRuns();
    long[] size = new long[1];
    // The runs are kept only while the region is still below the minimum: a region the size of the scene keeps none.
    RunVisitor keepWhileSmall = (row, left, right) -> {
      size[0] += right - left;
      if (size[0] < minPixels) {
        region.add(row, left, right);
      }
    };
    int dropped = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int index = y * width + x;
        if (seen.get(index) || !mask.flooded(x, y, thresholdLevel)) {
          continue;
        }
        region.size = 0;
        size[0] = 0;
        fill(mask, thresholdLevel, x, y, seen, seeds, keepWhileSmall);
        if (size[0] < minPixels) {
          for (int r = 0; r < region.size; r++) {
            int row = region.rows[r];
            for (int c = region.from[r]; c < region.to[r]; c++) {
              mask.setLevel(c, row, 0);
            }
          }
          dropped++;
        }
      }
    }
    return dropped;
  }

  /**
   * Sets to 0 every 4-connected region of pixels at or above {@code thresholdLevel} of which at least
   * {@code minShare} of the pixels are {@code marked} (asked per pixel, so that no mask-sized copy of the marks is
   * held): a region that is mostly something known, such as water a before scene already had, goes whole, while a
   * region that only reaches into it stays whole (a flood spilling out of a lake keeps the lake's part: the
   * pixel-by-pixel cut tore real floods apart where the before scene was already wet). Returns how many flooded
   * pixels it cleared.
   */
  public static long removeMostlyMarked(SceneMask mask, int thresholdLevel, PixelTest marked,
                                        double minShare) {
    int width = mask.width();
    int height = mask.height();
    BitSet seen = new BitSet(width * height);
    BitSet clearing = null;
    LongStack seeds = new LongStack();
    long[] counts = new long[2];
    RunVisitor count = (row, left, right) -> {
      counts[0] += right - left;
      for (int c = left; c < right; c++) {
        counts[1] += marked.test(c, row) ? 1 : 0;
      }
    };
    RunVisitor clear = (row, left, right) -> {
      for (int c = left; c < right; c++) {
        mask.setLevel(c, row, 0);
      }
    };
    long cleared = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (seen.get(y * width + x) || !mask.flooded(x, y, thresholdLevel)) {
          continue;
        }
        counts[0] = 0;
        counts[1] = 0;
        fill(mask, thresholdLevel, x, y, seen, seeds, count);
        if (counts[1] >= minShare * counts[0]) {
          // Again over the same region, setting it to 0 as it goes (cleared pixels are no longer flooded, so one
          // scratch set serves every region).
          clearing = clearing == null ? new BitSet(width * height) : clearing;
          fill(mask, thresholdLevel, x, y, clearing, seeds, clear);
          cleared += counts[0];
        }
      }
    }
    return cleared;
  }

  /** A yes or no per mask pixel (column, row). */
  @FunctionalInterface
  public interface PixelTest {
    boolean test(int column, int row);
  }

  /** Told each run [left, right) of a region on its row as the fill finds it. */
  private interface RunVisitor {
    void run(int row, int left, int right);
  }

  /** Fills the region of (x, y), marking its pixels in {@code seen} and telling {@code visitor} each run. */
  private static void fill(SceneMask mask, int level, int x0, int y0, BitSet seen, LongStack seeds,
                           RunVisitor visitor) {
    int width = mask.width();
    int height = mask.height();
    seeds.push(y0, x0);
    while (!seeds.isEmpty()) {
      long seed = seeds.pop();
      int y = (int) (seed >>> 32);
      int x = (int) seed;
      if (seen.get(y * width + x) || !mask.flooded(x, y, level)) {
        continue;
      }
      int left = x;
      while (left > 0 && mask.flooded(left - 1, y, level) && !seen.get(y * width + left - 1)) {
        left--;
      }
      int right = x + 1;
      while (right < width && mask.flooded(right, y, level) && !seen.get(y * width + right)) {
        right++;
      }
      seen.set(y * width + left, y * width + right);
      // Neighbours are scanned before the visitor runs: the clearing visitor sets this run to 0.
      for (int neighbour = y - 1; neighbour <= y + 1; neighbour += 2) {
        if (neighbour < 0 || neighbour >= height) {
          continue;
        }
        boolean inRun = false;
        for (int c = left; c < right; c++) {
          boolean open = mask.flooded(c, neighbour, level) && !seen.get(neighbour * width + c);
          if (open && !inRun) {
            seeds.push(neighbour, c);
          }
          inRun = open;
        }
      }
      visitor.run(y, left, right);
    }
  }

  /** A growable stack of (row, column) pairs packed in longs. */
  private static final class LongStack {
    private long[] items = new long[256];
    private int size;

    void push(int row, int column) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = ((long) row << 32) | (column & 0xFFFFFFFFL);
    }

    long pop() {
      return items[--size];
    }

    boolean isEmpty() {
      return size == 0;
    }
  }

  /** The runs [from, to) of a region on its rows, reused from region to region. */
  private static final class IntRuns {
    private int[] rows = new int[64];
    private int[] from = new int[64];
    private int[] to = new int[64];
    private int size;

    void add(int row, int start, int end) {
      if (size == rows.length) {
        rows = Arrays.copyOf(rows, size * 2);
        from = Arrays.copyOf(from, size * 2);
        to = Arrays.copyOf(to, size * 2);
      }
      rows[size] = row;
      from[size] = start;
      to[size] = end;
      size++;
    }
  }
}
