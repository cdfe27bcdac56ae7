package org.geohazard.extent;

/**
 * A scene's flood probability, one byte per pixel: {@code round(p · 255)}, 0 also where no window reached. One byte
 * rather than a float keeps a 10 980 × 10 980 mask at 115 MiB instead of 460 MiB; the quantisation step (1/255)
 * is far below what a threshold choice resolves.
 */
public final class SceneMask {

  private final int width;
  private final int height;
  private final byte[] levels;

  SceneMask(int width, int height) {
    if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("mask size out of range: " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
    this.levels = new byte[width * height];
  }

  /** A mask from probabilities in [0, 1], row by row (tests and small callers). */
  public static SceneMask ofProbabilities(int width, int height, float[] probabilities) {
    if (probabilities.length != width * height) {
      throw new IllegalArgumentException("expected " + width * height + " probabilities, got " + probabilities.length);
    }
    SceneMask mask = new SceneMask(width, height);
    for (int i = 0; i < probabilities.length; i++) {
      mask.levels[i] = (byte) level(probabilities[i]);
    }
    return mask;
  }

  /** The byte level of a probability: {@code round(p · 255)}, clamped to [0, 255]. */
  public static int level(double probability) {
    return (int) Math.max(0, Math.min(255, Math.round(probability * 255)));
  }

  /** The level a threshold probability maps to; a pixel is flooded when its level is at least this (never 0). */
  public static int thresholdLevel(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("a mask threshold lies strictly between 0 and 1: " + threshold);
    }
    return Math.max(1, level(threshold));
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The level (0..255) of pixel (x, y). */
  public int level(int x, int y) {
    return levels[y * width + x] & 0xFF;
  }

  /** The probability of pixel (x, y), level / 255. */
  public double probability(int x, int y) {
    return level(x, y) / 255.0;
  }

  /** Whether pixel (x, y) is inside the mask and at least {@code thresholdLevel}. */
  public boolean flooded(int x, int y, int thresholdLevel) {
    return x >= 0 && y >= 0 && x < width && y < height && (levels[y * width + x] & 0xFF) >= thresholdLevel;
  }

  /** How many pixels are at least {@code thresholdLevel}. */
  public long floodedPixels(int thresholdLevel) {
    long count = 0;
    for (byte value : levels) {
      if ((value & 0xFF) >= thresholdLevel) {
        count++;
      }
    }
    return count;
  }

  void setLevel(int x, int y, int level) {
    levels[y * width + x] = (byte) level;
  }

  /** Copies row {@code y} into {@code destination} (at least {@code width} bytes). */
  void copyRow(int y, byte[] destination) {
    System.arraycopy(levels, y * width, destination, 0, width);
  }
}
