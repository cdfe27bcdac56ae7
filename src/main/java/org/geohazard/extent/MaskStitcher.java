package org.geohazard.extent;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Stitches per-window flood probability masks into one {@link SceneMask}, blending the overlaps so that no seam
 * shows where windows meet.
 *
 * <p>Each window's pixels are weighted by a raised-cosine ramp that rises from near 0 at the window's edges to 1 at
 * {@code rampPx} pixels inside (a model sees least context at a window's edge, so its edge pixels are the least
 * trustworthy), and every scene pixel is the weighted mean of the windows covering it. Weights only rescale, so a
 * pixel covered by one window keeps that window's value exactly, and two windows that agree give their common value
 * at every pixel; where they disagree the result moves smoothly from one to the other across the overlap.
 *
 * <p>Memory: windows must arrive in row order (non-decreasing top row, as the scene tiler emits them). Rows above
 * the newest window's top can receive nothing more, so they are finished into the byte mask at once; only the rows
 * a window may still reach are held as two floats per pixel (the weighted sum and the weight). For a 10 980-pixel
 * wide scene with 256-pixel windows that is at most about 2 window heights × 10 980 × 8 bytes ≈ 45 MB, besides the
 * 115 MiB byte mask. Not thread-safe: one stitcher per scene, fed by one thread.
 */
public final class MaskStitcher {

  private final int width;
  private final int height;
  private final int rampPx;
  private final SceneMask mask;
  /** Rows [firstHeldRow, firstHeldRow + sums.size()) are held; rows above are finished. */
  private final ArrayDeque<float[]> sums = new ArrayDeque<>();
  private final ArrayDeque<float[]> weights = new ArrayDeque<>();
  private final ArrayDeque<float[]> spare = new ArrayDeque<>();
  private int firstHeldRow;
  private int lastWindowTop;
  private int mostRowsHeld;
  private boolean finished;

  /**
   * @param width scene mask columns (at the model's ground scale)
   * @param height scene mask rows
   * @param rampPx width of the blending ramp at each window edge, in pixels; at least the windows' overlap for a
   *     seamless blend (half a 256-pixel window's 20 % overlap, 26, and above works well)
   */
  public MaskStitcher(int width, int height, int rampPx) {
    if (rampPx < 1) {
      throw new IllegalArgumentException("the blending ramp is at least 1 pixel: " + rampPx);
    }
    this.mask = new SceneMask(width, height);
    this.width = width;
    this.height = height;
    this.rampPx = rampPx;
  }

  /**
   * Adds one window's probabilities ({@code windowWidth × windowHeight}, row by row, each in [0, 1]) whose upper-left
   * pixel is scene pixel (x, y). Parts outside the scene are ignored (a window may be padded past the edge).
   *
   * @throws IllegalStateException if the window starts above an earlier one (rows there are already finished)
   */
  public void add(int x, int y, int windowWidth, int windowHeight, float[] probabilities) {
    if (finished) {
      throw new IllegalStateException("the mask is finished");
    }
    if (probabilities.length != windowWidth * windowHeight) {
      throw new IllegalArgumentException("a " + windowWidth + " x " + windowHeight + " window has "
          + windowWidth * windowHeight + " probabilities, not " + probabilities.length);
    }
    if (y < lastWindowTop) {
      throw new IllegalStateException("windows must come in row order: top row " + y + " after " + lastWindowTop);
    }
    lastWindowTop = y;
    finishRowsAbove(Math.min(y, height));
    int rowEnd = Math.min(height, y + windowHeight);
    int colStart = Math.max(0, x);
    int colEnd = Math.min(width, x + windowWidth);
    while (firstHeldRow + sums.size() < rowEnd) {
      sums.addLast(row());
      weights.addLast(row());
    }
    mostRowsHeld = Math.max(mostRowsHeld, sums.size());
    float[] columnWeight = new float[windowWidth];
    for (int i = 0; i < windowWidth; i++) {
      columnWeight[i] = ramp(i, windowWidth);
    }
    var sumRows = sums.iterator();
    var weightRows = weights.iterator();
    for (int row = firstHeldRow; row < rowEnd; row++) {
      float[] sum = sumRows.next();
      float[] weight = weightRows.next();
      if (row < y) {
        continue;
      }
      int r = row - y;
      float rowWeight = ramp(r, windowHeight);
      int offset = r * windowWidth - x;
      for (int col = colStart; col < colEnd; col++) {
        float w = rowWeight * columnWeight[col - x];
        sum[col] += w * probabilities[offset + col];
        weight[col] += w;
      }
    }
  }

  /** Finishes every row and returns the scene mask; the stitcher takes no more windows. */
  public SceneMask finish() {
    finishRowsAbove(height);
    finished = true;
    return mask;
  }

  /** The most rows held as floats at once so far (what bounds the stitcher's own memory). */
  public int mostRowsHeld() {
    return mostRowsHeld;
  }

  private void finishRowsAbove(int row) {
    while (firstHeldRow < row) {
      if (sums.isEmpty()) {
        firstHeldRow = row; // rows no window reached stay 0
        return;
      }
      float[] sum = sums.removeFirst();
      float[] weight = weights.removeFirst();
      for (int col = 0; col < width; col++) {
        mask.setLevel(col, firstHeldRow, weight[col] > 0 ? SceneMask.level(sum[col] / weight[col]) : 0);
      }
      spare.addLast(sum);
      spare.addLast(weight);
      firstHeldRow++;
    }
  }

  private float[] row() {
    float[] row = spare.pollLast();
    if (row == null) {
      return new float[width];
    }
    Arrays.fill(row, 0f);
    return row;
  }

  /** Raised cosine from the window edge: (0, 1] over the first rampPx pixels from either side, 1 inside. */
  private float ramp(int i, int length) {
    int fromEdge = Math.min(i, length - 1 - i);
    if (fromEdge >= rampPx) {
      return 1f;
    }
    double t = (fromEdge + 0.5) / rampPx;
    return (float) (0.5 - 0.5 * Math.cos(Math.PI * t));
  }
}
