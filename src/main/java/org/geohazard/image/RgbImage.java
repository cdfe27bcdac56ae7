package org.geohazard.image;

/**
 * A decoded image as interleaved 8-bit RGB, row-major from the top-left pixel: the red, green and blue of pixel
 * (x, y) are at {@code rgb[3 * (y * width + x)]} and the next two bytes. Bytes are unsigned values held in Java's
 * signed {@code byte}; read them with {@code & 0xFF}.
 *
 * <p>The array is not copied: the record is a cheap hand-over from the decoder to the model's pre-processing, and
 * whoever holds it must not change it while another holder reads it.
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("width and height must be positive: " + width + " x " + height);
    }
    if (rgb == null || rgb.length != 3L * width * height) {
      throw new IllegalArgumentException(
          "rgb must hold 3 bytes per pixel (" + 3L * width * height + "), has " + (rgb == null ? null : rgb.length));
    }
  }

  /** The pixel at (x, y) as {@code 0xRRGGBB}; for tests and diagnostics, not for loops over the image. */
  public int rgbAt(int x, int y) {
    int i = 3 * (y * width + x);
    return (rgb[i] & 0xFF) << 16 | (rgb[i + 1] & 0xFF) << 8 | rgb[i + 2] & 0xFF;
  }
}
