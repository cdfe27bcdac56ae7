package org.geohazard.image;

/**
 * What an image's header says about it, read before any pixel is decoded.
 *
 * @param bands samples per pixel as stored: 1 for grey and for palette images (the palette index), 2 for grey
 *     with alpha, 3 for RGB or YCbCr, 4 for RGBA, N for a multi-band TIFF
 * @param bitsPerSample bits of one sample of one band (8 for ordinary JPEGs, 1..16 for PNG, 1..64 for TIFF)
 */
public record ImageInfo(ImageFormat format, int width, int height, int bands, int bitsPerSample) {

  public ImageInfo {
    if (format == null) {
      throw new IllegalArgumentException("format is required");
    }
    if (width <= 0 || height <= 0 || bands <= 0 || bitsPerSample <= 0) {
      throw new IllegalArgumentException(
          "width, height, bands and bitsPerSample must be positive: " + width + ", " + height + ", " + bands + ", "
              + bitsPerSample);
    }
  }

  public long pixelCount() {
    return (long) width * height;
  }

  /** Bytes of the raster a decoder holds while it decodes all bands, as {@link ImageLimits#maxRasterBytes()} bounds. */
  public long rasterBytes() {
    return ImageLimits.rasterBytes(pixelCount(), bands, bitsPerSample);
  }
}
