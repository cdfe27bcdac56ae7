package org.geohazard.image;

/**
 * Nearest-neighbour resampling of a window read: which source row or column each output pixel takes, and the checks
 * on a window read's arguments. Output pixels map to ascending sources, so a reader walks the blocks in order.
 */
final class NearestSampling {

  private NearestSampling() {}

  /**
   * Checks a window read's arguments against an image of {@code width × height} with {@code bands} bands.
   *
   * @throws IllegalArgumentException if the window is outside the image, the output is not a positive size at most
   *     the window's, a band is out of range or the destination too small
   */
  static void requireWindow(int width, int height, int bands, int x, int y, int windowWidth, int windowHeight,
      int[] bandIndexes, int outputWidth, int outputHeight, float[] destination) {
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
  static int[] sources(int start, int length, int outputs) {
    int[] sources = new int[outputs];
    for (int i = 0; i < outputs; i++) {
      sources[i] = start + (int) Math.min(length - 1, ((2L * i + 1) * length) / (2L * outputs));
    }
    return sources;
  }

  /** The first index from {@code from} whose source is at or past {@code limit}; sources ascend. */
  static int firstAtOrAfter(int[] sources, int from, int limit) {
    int i = from;
    while (i < sources.length && sources[i] < limit) {
      i++;
    }
    return i;
  }
}
