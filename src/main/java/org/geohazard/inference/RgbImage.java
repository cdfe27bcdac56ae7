package org.geohazard.inference;

/**
 * A decoded image as the detector takes it: interleaved 8-bit R, G, B per pixel, row-major, no padding
 * between rows. The array is shared, not copied (images are megabytes); do not modify it while a
 * detection that uses it runs.
 */
public record RgbImage(byte[] pixels, int width, int height) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (pixels == null || pixels.length != (long) width * height * 3) {
      throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs "
          + (long) width * height * 3 + " bytes, got " + (pixels == null ? "none" : pixels.length));
    }
  }
}
