package org.geohazard.image;

import java.util.Optional;

/**
 * The TIFF compressions the service takes, decided in one place: every one of them is decoded by
 * {@code javax.imageio}'s TIFF plug-in (what {@link ImageDecoder} uses for an in-memory image), and those marked
 * {@link #windowed()} also by {@link GeoTiffRaster}, which reads a scene block by block.
 */
enum TiffCompression {
  NONE(true, 1),
  CCITT_FAX(false, 2, 3, 4), // bilevel fax images
  LZW(true, 5),
  JPEG(false, 6, 7), // old and new style
  DEFLATE(true, 8, 32946), // Adobe's and PKZIP's codes
  PACKBITS(false, 32773);

  private final boolean windowed;
  private final int[] codes;

  TiffCompression(boolean windowed, int... codes) {
    this.windowed = windowed;
    this.codes = codes;
  }

  /** Whether {@link GeoTiffRaster} decodes it block by block. */
  boolean windowed() {
    return windowed;
  }

  /** The compression of a Compression field's value, or empty for one the service cannot decode. */
  static Optional<TiffCompression> of(long code) {
    for (TiffCompression compression : values()) {
      for (int known : compression.codes) {
        if (known == code) {
          return Optional.of(compression);
        }
      }
    }
    return Optional.empty();
  }

  /** A name for an undecodable compression's code, for the refusal. */
  static String nameOf(long code) {
    return switch ((int) code) {
      case 34712 -> "JPEG 2000";
      case 34887 -> "LERC";
      case 34925 -> "LZMA";
      case 50000 -> "Zstandard";
      case 50001 -> "WebP";
      case 50002 -> "JPEG XL";
      default -> "an unknown kind of (" + code + ")";
    };
  }
}
