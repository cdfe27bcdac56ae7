package org.geohazard.image;

/** The raster formats the service accepts. {@link ImageProbe} decides an upload's format from its magic bytes. */
public enum ImageFormat {
  JPEG("image/jpeg", "jpeg"),
  PNG("image/png", "png"),
  TIFF("image/tiff", "tiff"),
  /** Read by the TwelveMonkeys plugin; lossy, lossless and extended (still) files. */
  WEBP("image/webp", "webp");

  private final String mimeType;
  private final String imageIoFormatName;

  ImageFormat(String mimeType, String imageIoFormatName) {
    this.mimeType = mimeType;
    this.imageIoFormatName = imageIoFormatName;
  }

  /** The IANA media type, e.g. for the {@code Content-Type} of the stored object. */
  public String mimeType() {
    return mimeType;
  }

  /** The name under which {@link javax.imageio.ImageIO} registers a reader for this format. */
  String imageIoFormatName() {
    return imageIoFormatName;
  }
}
