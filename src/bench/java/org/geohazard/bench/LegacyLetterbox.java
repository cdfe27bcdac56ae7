package org.geohazard.bench;

import org.geohazard.detection.Detection;
import org.geohazard.image.RgbImage;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The letterbox as it was before issue 26's one-pass rows (commit 384d98e), kept only so that
 * {@link AnalysisStepsBenchmark} can measure before and after in the same sitting. Not used by the node.
 */
final class LegacyLetterbox {

  /** The grey Ultralytics pads with, in 8-bit units. */
  public static final int PAD_VALUE = 114;

  private static final int CHANNELS = 3;
  private static final int COEF_BITS = 11;
  private static final int COEF_SCALE = 1 << COEF_BITS;
  private static final float[] UNIT = new float[256];

  static {
    for (int v = 0; v < UNIT.length; v++) {
      UNIT[v] = v / 255f;
    }
  }

  private final int dstWidth;
  private final int dstHeight;

  LegacyLetterbox(int dstWidth, int dstHeight) {
    if (dstWidth <= 0 || dstHeight <= 0) {
      throw new IllegalArgumentException("model input size must be positive, got " + dstWidth + "x" + dstHeight);
    }
    this.dstWidth = dstWidth;
    this.dstHeight = dstHeight;
  }

  public int dstWidth() {
    return dstWidth;
  }

  public int dstHeight() {
    return dstHeight;
  }

  /** Floats one image occupies in a CHW batch buffer. */
  public int floatsPerImage() {
    return CHANNELS * dstWidth * dstHeight;
  }

  /**
   * Where an image of the given size lands in the model input, without touching any pixel.
   * The arithmetic is Ultralytics', in doubles, so the pads match it to the pixel.
   */
  public Placement place(int srcWidth, int srcHeight) {
    if (srcWidth <= 0 || srcHeight <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + srcWidth + "x" + srcHeight);
    }
    double scale = Math.min((double) dstHeight / srcHeight, (double) dstWidth / srcWidth);
    // Ultralytics would produce an empty image for extreme aspect ratios (over 1:1280); keep one pixel.
    int newWidth = Math.max(1, (int) Math.rint(srcWidth * scale));
    int newHeight = Math.max(1, (int) Math.rint(srcHeight * scale));
    double dw = (dstWidth - newWidth) / 2.0;
    double dh = (dstHeight - newHeight) / 2.0;
    int top = (int) Math.rint(dh - 0.1);
    int bottom = (int) Math.rint(dh + 0.1);
    int left = (int) Math.rint(dw - 0.1);
    int right = (int) Math.rint(dw + 0.1);
    return new Placement(srcWidth, srcHeight, scale, newWidth, newHeight, left, top, right, bottom);
  }

  /**
   * Letterboxes one interleaved 8-bit RGB image into {@code dst} as planar (CHW) floats in [0, 1],
   * starting at the absolute index {@code offset}; the buffer's position and limit are not changed.
   * A batch buffer holds image {@code i} at {@code i * floatsPerImage()}.
   *
   * @param rgb {@code width * height * 3} bytes, row-major, R G B per pixel
   */
  public Placement apply(byte[] rgb, int width, int height, FloatBuffer dst, int offset) {
    Placement placement = place(width, height);
    long needed = (long) width * height * CHANNELS;
    if (rgb.length != needed) {
      throw new IllegalArgumentException(
          "expected " + needed + " RGB bytes for " + width + "x" + height + ", got " + rgb.length);
    }
    if (offset < 0 || (long) offset + floatsPerImage() > dst.limit()) {
      throw new IllegalArgumentException("image at offset " + offset + " needs " + floatsPerImage()
          + " floats but the buffer's limit is " + dst.limit());
    }
    if (placement.resizedWidth() == width && placement.resizedHeight() == height) {
      writeRows(placement, dst, offset, new DirectRows(rgb, width));
    } else {
      writeRows(placement, dst, offset, new BilinearRows(rgb, width, height,
          placement.resizedWidth(), placement.resizedHeight()));
    }
    return placement;
  }

  public Placement apply(RgbImage image, FloatBuffer dst, int offset) {
    return apply(image.rgb(), image.width(), image.height(), dst, offset);
  }

  private void writeRows(Placement placement, FloatBuffer dst, int offset, ResizedRows rows) {
    int plane = dstWidth * dstHeight;
    float pad = UNIT[PAD_VALUE];
    float[] padRow = new float[dstWidth];
    Arrays.fill(padRow, pad);
    // Left and right borders are written once here; each image row only overwrites the middle.
    float[][] planeRows = new float[CHANNELS][dstWidth];
    for (float[] row : planeRows) {
      Arrays.fill(row, pad);
    }
    int[] resized = new int[placement.resizedWidth() * CHANNELS];
    int contentEnd = placement.padTop() + placement.resizedHeight();
    for (int y = 0; y < dstHeight; y++) {
      int rowStart = offset + y * dstWidth;
      if (y < placement.padTop() || y >= contentEnd) {
        for (int c = 0; c < CHANNELS; c++) {
          dst.put(rowStart + c * plane, padRow, 0, dstWidth);
        }
        continue;
      }
      rows.row(y - placement.padTop(), resized);
      for (int x = 0, i = 0; x < placement.resizedWidth(); x++) {
        int dx = placement.padLeft() + x;
        planeRows[0][dx] = UNIT[resized[i++]];
        planeRows[1][dx] = UNIT[resized[i++]];
        planeRows[2][dx] = UNIT[resized[i++]];
      }
      for (int c = 0; c < CHANNELS; c++) {
        dst.put(rowStart + c * plane, planeRows[c], 0, dstWidth);
      }
    }
  }

  /** Produces the resized image one interleaved row of 8-bit values at a time. */
  private interface ResizedRows {
    void row(int y, int[] out);
  }

  private record DirectRows(byte[] rgb, int width) implements ResizedRows {
    @Override
    public void row(int y, int[] out) {
      int base = y * width * CHANNELS;
      for (int i = 0; i < out.length; i++) {
        out[i] = rgb[base + i] & 0xFF;
      }
    }
  }

  /**
   * OpenCV's separable 8-bit bilinear resize: a horizontal pass into integer rows scaled by 2^11,
   * then a vertical blend with its exact shifts and rounding. The two most recent horizontal rows are
   * kept, since consecutive output rows mostly read the same pair of source rows.
   */
  private static final class BilinearRows implements ResizedRows {
    private final byte[] rgb;
    private final int srcWidth;
    private final int[] xOffset;
    private final int[] xWeight0;
    private final int[] xWeight1;
    private final int[] yRow0;
    private final int[] yRow1;
    private final int[] yWeight0;
    private final int[] yWeight1;
    private final int[][] cachedRows;
    private final int[] cachedIndex = {-1, -1};

    BilinearRows(byte[] rgb, int srcWidth, int srcHeight, int newWidth, int newHeight) {
      this.rgb = rgb;
      this.srcWidth = srcWidth;
      // OpenCV derives the step from the inverse ratio; keep its exact double arithmetic.
      double scaleX = 1.0 / ((double) newWidth / srcWidth);
      double scaleY = 1.0 / ((double) newHeight / srcHeight);
      xOffset = new int[newWidth];
      xWeight0 = new int[newWidth];
      xWeight1 = new int[newWidth];
      for (int dx = 0; dx < newWidth; dx++) {
        float fx = (float) ((dx + 0.5) * scaleX - 0.5);
        int sx = (int) Math.floor(fx);
        fx -= sx;
        // Horizontally OpenCV clamps the sample position itself at both edges.
        if (sx < 0) {
          fx = 0;
          sx = 0;
        }
        if (sx >= srcWidth - 1) {
          fx = 0;
          sx = srcWidth - 1;
        }
        xOffset[dx] = sx;
        xWeight0[dx] = fixedPoint(1f - fx);
        xWeight1[dx] = fixedPoint(fx);
      }
      yRow0 = new int[newHeight];
      yRow1 = new int[newHeight];
      yWeight0 = new int[newHeight];
      yWeight1 = new int[newHeight];
      for (int dy = 0; dy < newHeight; dy++) {
        float fy = (float) ((dy + 0.5) * scaleY - 0.5);
        int sy = (int) Math.floor(fy);
        fy -= sy;
        // Vertically it keeps the weights and clamps the rows it reads instead.
        yRow0[dy] = clamp(sy, srcHeight - 1);
        yRow1[dy] = clamp(sy + 1, srcHeight - 1);
        yWeight0[dy] = fixedPoint(1f - fy);
        yWeight1[dy] = fixedPoint(fy);
      }
      cachedRows = new int[2][newWidth * CHANNELS];
    }

    private static int fixedPoint(float weight) {
      return (int) Math.rint(weight * COEF_SCALE);
    }

    private static int clamp(int value, int max) {
      return Math.max(0, Math.min(value, max));
    }

    @Override
    public void row(int y, int[] out) {
      int[] upper = horizontal(yRow0[y], yRow1[y]);
      int[] lower = horizontal(yRow1[y], yRow0[y]);
      int b0 = yWeight0[y];
      int b1 = yWeight1[y];
      for (int i = 0; i < out.length; i++) {
        out[i] = (((b0 * (upper[i] >> 4)) >> 16) + ((b1 * (lower[i] >> 4)) >> 16) + 2) >> 2;
      }
    }

    /** The horizontal pass of source row {@code sy}, reusing a cached row; never evicts {@code keep}. */
    private int[] horizontal(int sy, int keep) {
      for (int slot = 0; slot < 2; slot++) {
        if (cachedIndex[slot] == sy) {
          return cachedRows[slot];
        }
      }
      int slot = cachedIndex[0] == keep ? 1 : 0;
      int[] out = cachedRows[slot];
      int rowBase = sy * srcWidth * CHANNELS;
      for (int dx = 0, i = 0; dx < xOffset.length; dx++) {
        int p0 = rowBase + xOffset[dx] * CHANNELS;
        // At the right edge the second weight is 0; read the same pixel rather than past the row.
        int p1 = xOffset[dx] + 1 < srcWidth ? p0 + CHANNELS : p0;
        int a0 = xWeight0[dx];
        int a1 = xWeight1[dx];
        for (int c = 0; c < CHANNELS; c++) {
          out[i++] = (rgb[p0 + c] & 0xFF) * a0 + (rgb[p1 + c] & 0xFF) * a1;
        }
      }
      cachedIndex[slot] = sy;
      return out;
    }
  }

  /**
   * Where one image sits in the model input: its scale and the grey borders around it.
   * {@code resizedWidth + padLeft + padRight} equals the model's input width, and likewise for heights.
   */
  public record Placement(int srcWidth, int srcHeight, double scale, int resizedWidth, int resizedHeight,
                          int padLeft, int padTop, int padRight, int padBottom) {

    /**
     * Converts a box from model-input pixels to pixels of the original image, as Ultralytics'
     * {@code scale_boxes}: subtract the pads, divide by the scale, clip to the image.
     */
    public Detection mapBack(Detection inModelPixels) {
      return new Detection(inModelPixels.classId(), inModelPixels.score(),
          toSource(inModelPixels.x1(), padLeft, srcWidth),
          toSource(inModelPixels.y1(), padTop, srcHeight),
          toSource(inModelPixels.x2(), padLeft, srcWidth),
          toSource(inModelPixels.y2(), padTop, srcHeight));
    }

    private float toSource(float modelPixel, int pad, int limit) {
      double source = (modelPixel - pad) / scale;
      return (float) Math.max(0, Math.min(source, limit));
    }
  }
}
