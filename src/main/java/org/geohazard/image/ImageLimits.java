package org.geohazard.image;

import java.util.Locale;
import org.geohazard.config.AppConfig;

/**
 * The budget an image must fit before anything is allocated for its pixels. Every figure is checked against the
 * header alone, so a 100-byte file that claims to be 100000 × 100000 pixels is refused at no cost.
 *
 * @param maxPixels width × height; at most {@link #MAX_RGB_PIXELS}
 * @param maxDimension the longest side in pixels; bounds degenerate shapes (a 1 × 60 000 000 strip fits a
 *     pixel budget but not any sensible tiling)
 * @param maxRasterBytes the memory a decoder may need for all bands of the image at once (see
 *     {@link ImageInfo#rasterBytes()}); it is what stops a small DEFLATE-compressed TIFF of 200 bands of
 *     doubles, which passes the pixel budget, from taking the heap
 * @param maxScenePixels width × height of a TIFF read window by window ({@link GeoTiffRaster}, through
 *     {@link ImageProbe#probeScene}), which never holds the whole raster: its cost is time (about 400 model tiles for
 *     a Sentinel-2 tile) and a bounded heap, not memory in proportion to its size. Never below {@code maxPixels}.
 * @param maxSceneDimension the longest side of such a scene
 */
public record ImageLimits(long maxPixels, int maxDimension, long maxRasterBytes, long maxScenePixels,
                          int maxSceneDimension) {

  /** A decoded {@link RgbImage} is one Java array of 3 bytes per pixel, and arrays stop just short of 2^31. */
  public static final long MAX_RGB_PIXELS = (Integer.MAX_VALUE - 8) / 3;

  /**
   * Raster bytes per pixel allowed by the two-argument constructor: four bands of 16 bits, e.g. a 16-bit RGBA PNG
   * or a four-band 16-bit GeoTIFF.
   */
  public static final int DEFAULT_RASTER_BYTES_PER_PIXEL = 8;

  /**
   * 8192 × 8192 pixels (a 192 MiB RGB raster), sides up to 32 768, 512 MiB of raster while decoding. A full
   * Sentinel-2 tile (10 980²) or Landsat scene is over this on purpose: whole scenes are the exception for an
   * upload API, and an operator who wants them raises the limits together with the heap. Read window by window,
   * scenes up to 16 384 × 16 384 pixels (a Sentinel-2 tile is 10 980²) are accepted, with a heap that does not
   * grow with the scene.
   */
  public static final ImageLimits DEFAULT = new ImageLimits(8192L * 8192, 32_768,
      8192L * 8192 * DEFAULT_RASTER_BYTES_PER_PIXEL, 16_384L * 16_384, 32_768);

  public ImageLimits {
    if (maxPixels <= 0 || maxPixels > MAX_RGB_PIXELS) {
      throw new IllegalArgumentException("maxPixels must be in 1.." + MAX_RGB_PIXELS + ", was " + maxPixels);
    }
    if (maxDimension <= 0) {
      throw new IllegalArgumentException("maxDimension must be positive, was " + maxDimension);
    }
    if (maxRasterBytes <= 0) {
      throw new IllegalArgumentException("maxRasterBytes must be positive, was " + maxRasterBytes);
    }
    if (maxScenePixels < maxPixels || maxSceneDimension < maxDimension) {
      throw new IllegalArgumentException("the scene budget (" + maxScenePixels + " pixels, sides up to "
          + maxSceneDimension + ") must be at least the in-memory one (" + maxPixels + ", " + maxDimension + ")");
    }
  }

  /** The node's configured limits; the raster budget allows {@link #DEFAULT_RASTER_BYTES_PER_PIXEL} per pixel. */
  public static ImageLimits of(AppConfig.Limits config) {
    return new ImageLimits(config.maxPixels(), config.maxDimension(),
        config.maxPixels() * DEFAULT_RASTER_BYTES_PER_PIXEL, config.maxScenePixels(), config.maxSceneDimension());
  }

  /** In-memory limits, with a scene budget equal to them (no larger scenes read window by window). */
  public ImageLimits(long maxPixels, int maxDimension, long maxRasterBytes) {
    this(maxPixels, maxDimension, maxRasterBytes, maxPixels, maxDimension);
  }

  /** Limits with {@link #DEFAULT_RASTER_BYTES_PER_PIXEL} raster bytes per allowed pixel. */
  public ImageLimits(long maxPixels, int maxDimension) {
    this(maxPixels, maxDimension, maxPixels * DEFAULT_RASTER_BYTES_PER_PIXEL);
  }

  /**
   * Refuses a header whose image is over budget. Takes {@code long} sides because TIFF allows sides up to
   * 2^32 − 1, which is legal and merely too large.
   *
   * @throws InvalidImageException {@code image_too_large}
   */
  public void requireWithin(ImageFormat format, long width, long height, int bands, int bitsPerSample)
      throws InvalidImageException {
    if (width > maxDimension || height > maxDimension) {
      throw tooLarge(String.format(Locale.ROOT,
          "The %s image is %,d × %,d pixels; the longest side allowed is %,d pixels.",
          format, width, height, maxDimension));
    }
    long pixels = width * height; // both sides are at most maxDimension (an int) here, so this cannot overflow
    if (pixels > maxPixels) {
      throw tooLarge(String.format(Locale.ROOT,
          "The %s image is %,d × %,d pixels (%,d pixels); the limit is %,d pixels.",
          format, width, height, pixels, maxPixels));
    }
    long rasterBytes = rasterBytes(pixels, bands, bitsPerSample);
    if (rasterBytes > maxRasterBytes) {
      throw tooLarge(String.format(Locale.ROOT,
          "The %s image has %,d bands of %d bits over %,d × %,d pixels, which needs %,d MiB to decode; "
              + "the limit is %,d MiB.",
          format, bands, bitsPerSample, width, height, rasterBytes >> 20, maxRasterBytes >> 20));
    }
  }

  /**
   * Refuses a scene that is too large even to be read window by window. Only the pixel count and sides matter:
   * the windowed reader's memory depends on its block size and cache, not on the scene.
   *
   * @throws InvalidImageException {@code image_too_large}
   */
  public void requireSceneWithin(ImageFormat format, long width, long height) throws InvalidImageException {
    if (width > maxSceneDimension || height > maxSceneDimension) {
      throw tooLarge(String.format(Locale.ROOT,
          "The %s scene is %,d × %,d pixels; the longest side allowed is %,d pixels.",
          format, width, height, maxSceneDimension));
    }
    long pixels = width * height;
    if (pixels > maxScenePixels) {
      throw tooLarge(String.format(Locale.ROOT,
          "The %s scene is %,d × %,d pixels (%,d pixels); the limit is %,d pixels.",
          format, width, height, pixels, maxScenePixels));
    }
  }

  /** One byte per started 8 bits of a sample: decoders unpack 1-, 2- and 4-bit samples to bytes. */
  static long rasterBytes(long pixels, int bands, int bitsPerSample) {
    return pixels * bands * ((bitsPerSample + 7) / 8);
  }

  private static InvalidImageException tooLarge(String message) {
    return new InvalidImageException(InvalidImageException.Reason.IMAGE_TOO_LARGE, message);
  }
}
