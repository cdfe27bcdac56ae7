package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static org.geohazard.image.TiffTag.*;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the first image file directory (IFD) of a classic TIFF, wherever in the file it is, and checks that every
 * strip or tile it points at lies inside the file. Only the first image is read: GeoTIFFs keep the full-resolution
 * raster there and overviews after it.
 *
 * <p>Like the other header readers it refuses what the decoder ({@code javax.imageio}'s TIFF plug-in) cannot read,
 * so that such files fail at upload: compressions other than none/LZW/DEFLATE/PackBits/JPEG/CCITT, the
 * floating-point predictor, 16-bit floats, 64-bit integers and bands of different bit depths.
 */
final class TiffHeaderReader {


  private static final int TYPE_BYTE = 1;
  private static final int TYPE_SHORT = 3;
  private static final int TYPE_LONG = 4;

  private static final int SAMPLE_FORMAT_UNSIGNED = 1;
  private static final int SAMPLE_FORMAT_SIGNED = 2;
  private static final int SAMPLE_FORMAT_FLOAT = 3;
  private static final int SAMPLE_FORMAT_UNDEFINED = 4;

  private static final int HEADER_LENGTH = 8;
  private static final int ENTRY_LENGTH = 12;
  /** A real IFD has a few dozen entries; the cap bounds what a crafted count of 65 535 makes us read. */
  private static final int MAX_ENTRIES = 4096;
  /** Strips or tiles in the first image; bounds the offset tables read from a crafted header. */
  private static final int MAX_BLOCKS = 1 << 20;

  private TiffHeaderReader() {
  }

  /** @param source a file that starts with a classic TIFF header ("II*\0" or "MM\0*") */
  static ImageInfo read(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
    return read(source, limits, false);
  }

  /**
   * @param asScene whether the caller will read the image window by window with {@link GeoTiffRaster}: then a TIFF
   *     whose layout that reader takes is held to the scene budget of {@code limits} instead of the in-memory one
   */
  static ImageInfo read(ByteSource source, ImageLimits limits, boolean asScene)
      throws IOException, InvalidImageException {
    ByteOrder order = source.u8(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    long ifdOffset = source.u32(4, order);
    if (ifdOffset < HEADER_LENGTH) {
      throw invalid("The TIFF file is corrupt: its first image directory is at byte " + ifdOffset
          + ", inside the file header.");
    }
    if (ifdOffset >= source.size()) {
      throw truncated("The TIFF file is incomplete: its image directory is at byte " + ifdOffset
          + " but the file is only " + source.size() + " bytes long.");
    }
    int entryCount = source.u16(ifdOffset, order);
    if (entryCount == 0 || entryCount > MAX_ENTRIES) {
      throw invalid("The TIFF file is corrupt: its image directory has " + entryCount + " entries.");
    }
    Directory directory = new Directory(source, order, source.read(ifdOffset + 2, entryCount * ENTRY_LENGTH));

    long width = directory.required(IMAGE_WIDTH, "ImageWidth");
    long height = directory.required(IMAGE_LENGTH, "ImageLength");
    long bands = directory.single(SAMPLES_PER_PIXEL, 1);
    if (width == 0 || height == 0 || bands == 0 || bands > 0xFFFF) {
      throw invalid("The TIFF header is invalid: " + width + " × " + height + " pixels with " + bands
          + " samples per pixel.");
    }
    int bitsPerSample = directory.sameForAllBands(BITS_PER_SAMPLE, "BitsPerSample", (int) bands, 1);
    int sampleFormat = directory.sameForAllBands(SAMPLE_FORMAT, "SampleFormat", (int) bands, SAMPLE_FORMAT_UNSIGNED);
    if (bitsPerSample == 0 || bitsPerSample > 64) {
      throw invalid("The TIFF header is invalid: " + bitsPerSample + " bits per sample.");
    }
    requireDecodable(directory, bitsPerSample, sampleFormat);
    if (asScene && readableByWindows(directory, width, height, (int) bands, bitsPerSample, sampleFormat)) {
      limits.requireSceneWithin(ImageFormat.TIFF, width, height);
    } else {
      limits.requireWithin(ImageFormat.TIFF, width, height, (int) bands, bitsPerSample);
    }
    requireBlocksInsideFile(source, directory, width, height, (int) bands);
    return new ImageInfo(ImageFormat.TIFF, (int) width, (int) height, (int) bands, bitsPerSample);
  }

  private static void requireDecodable(Directory directory, int bitsPerSample, int sampleFormat)
      throws IOException, InvalidImageException {
    long compression = directory.single(COMPRESSION, 1);
    if (!isDecodableCompression(compression)) {
      throw unsupported("This TIFF uses " + compressionName(compression) + " compression, which the service "
          + "cannot decode yet; save it uncompressed or with LZW or DEFLATE.");
    }
    long predictor = directory.single(PREDICTOR, 1);
    if (predictor != 1 && predictor != 2) {
      throw unsupported("This TIFF uses predictor " + predictor + (predictor == 3 ? " (floating point)" : "")
          + ", which the service cannot decode yet; save it without a predictor or with horizontal differencing.");
    }
    switch (sampleFormat) {
      case SAMPLE_FORMAT_UNSIGNED, SAMPLE_FORMAT_SIGNED, SAMPLE_FORMAT_UNDEFINED -> {
        if (bitsPerSample > 32) {
          throw unsupported("This TIFF has " + bitsPerSample + "-bit integer samples; at most 32 bits are supported.");
        }
      }
      case SAMPLE_FORMAT_FLOAT -> {
        if (bitsPerSample != 32 && bitsPerSample != 64) {
          throw unsupported("This TIFF has " + bitsPerSample + "-bit floating-point samples; only 32- and 64-bit "
              + "floats are supported.");
        }
      }
      default -> throw unsupported("This TIFF has samples of format " + sampleFormat
          + " (complex numbers or unknown); only integer and floating-point samples are supported.");
    }
  }

  /**
   * Whether {@link GeoTiffRaster} reads this layout in bounded memory: its compressions, predictors and sample
   * types, and blocks it may decode whole (uncompressed strips are read row by row, so any size will do).
   */
  private static boolean readableByWindows(Directory directory, long width, long height, int bands,
      int bitsPerSample, int sampleFormat) throws IOException, InvalidImageException {
    long compression = directory.single(COMPRESSION, 1);
    boolean compressed = compression != 1;
    if (compressed && compression != 5 && compression != 8 && compression != 32946) {
      return false;
    }
    if (bitsPerSample != 8 && bitsPerSample != 16 && bitsPerSample != 32 && bitsPerSample != 64) {
      return false;
    }
    if (bitsPerSample == 64 && sampleFormat != SAMPLE_FORMAT_FLOAT) {
      return false;
    }
    long samplesPerBlockPixel = directory.single(PLANAR_CONFIGURATION, 1) == 2 ? 1 : bands;
    long blockPixels;
    if (directory.has(TILE_WIDTH) && directory.has(TILE_LENGTH)) {
      blockPixels = directory.single(TILE_WIDTH, 0) * directory.single(TILE_LENGTH, 0);
    } else {
      blockPixels = compressed ? width * Math.min(directory.single(ROWS_PER_STRIP, height), height) : width;
    }
    return blockPixels * samplesPerBlockPixel * (bitsPerSample / 8) <= GeoTiffRaster.MAX_BLOCK_BYTES;
  }

  /**
   * A TIFF cut off in transit often keeps its directory (many writers put it first) but loses the pixel data at
   * the end; the strip or tile table tells us exactly how long the file must be.
   */
  private static void requireBlocksInsideFile(ByteSource source, Directory directory, long width, long height,
      int bands) throws IOException, InvalidImageException {
    long planes = directory.single(PLANAR_CONFIGURATION, 1) == 2 ? bands : 1;
    boolean tiled = directory.has(TILE_WIDTH) || directory.has(TILE_LENGTH);
    long blocks;
    int offsetsTag;
    int byteCountsTag;
    String blockName;
    if (tiled) {
      long tileWidth = directory.required(TILE_WIDTH, "TileWidth");
      long tileLength = directory.required(TILE_LENGTH, "TileLength");
      if (tileWidth == 0 || tileLength == 0) {
        throw invalid("The TIFF header is invalid: tiles of " + tileWidth + " × " + tileLength + " pixels.");
      }
      blocks = ceilDiv(width, tileWidth) * ceilDiv(height, tileLength) * planes;
      offsetsTag = TILE_OFFSETS;
      byteCountsTag = TILE_BYTE_COUNTS;
      blockName = "tile";
    } else {
      long rowsPerStrip = Math.min(directory.single(ROWS_PER_STRIP, height), height);
      if (rowsPerStrip == 0) {
        throw invalid("The TIFF header is invalid: strips of 0 rows.");
      }
      blocks = ceilDiv(height, rowsPerStrip) * planes;
      offsetsTag = STRIP_OFFSETS;
      byteCountsTag = STRIP_BYTE_COUNTS;
      blockName = "strip";
    }
    if (blocks > MAX_BLOCKS) {
      throw invalid("The TIFF image is split into " + blocks + " " + blockName + "s; at most " + MAX_BLOCKS
          + " are supported.");
    }
    long[] offsets = directory.firstValues(offsetsTag, blockName + " offsets", (int) blocks);
    long[] byteCounts = directory.firstValues(byteCountsTag, blockName + " byte counts", (int) blocks);
    for (int i = 0; i < blocks; i++) {
      if (byteCounts[i] == 0) {
        continue; // an empty block (sparse GeoTIFFs write offset 0, length 0 for all-nodata tiles)
      }
      if (offsets[i] < HEADER_LENGTH) {
        throw invalid("The TIFF file is corrupt: " + blockName + " " + (i + 1) + " starts inside the file header.");
      }
      if (offsets[i] + byteCounts[i] > source.size()) {
        throw truncated("The TIFF file is incomplete: " + blockName + " " + (i + 1) + " of " + blocks
            + " ends at byte " + (offsets[i] + byteCounts[i]) + " but the file is only " + source.size()
            + " bytes long, so it was probably cut off during upload or copying.");
      }
    }
  }

  private static long ceilDiv(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
  }

  private static boolean isDecodableCompression(long compression) {
    return compression == 1 // none
        || compression == 2 || compression == 3 || compression == 4 // CCITT fax (bilevel)
        || compression == 5 // LZW
        || compression == 6 || compression == 7 // JPEG, old and new style
        || compression == 8 || compression == 32946 // DEFLATE, Adobe and PKZIP codes
        || compression == 32773; // PackBits
  }

  private static String compressionName(long compression) {
    return switch ((int) compression) {
      case 34712 -> "JPEG 2000";
      case 34887 -> "LERC";
      case 34925 -> "LZMA";
      case 50000 -> "Zstandard";
      case 50001 -> "WebP";
      case 50002 -> "JPEG XL";
      default -> "an unknown kind of (" + compression + ")";
    };
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }

  private static InvalidImageException truncated(String message) {
    return new InvalidImageException(TRUNCATED_IMAGE, message);
  }

  private static InvalidImageException unsupported(String message) {
    return new InvalidImageException(UNSUPPORTED_MEDIA_TYPE, message);
  }

  /** The entries of one IFD by tag, with readers for the unsigned integer fields this class needs. */
  private static final class Directory {
    private final ByteSource source;
    private final ByteOrder order;
    private final Map<Integer, byte[]> entriesByTag = new HashMap<>();

    Directory(ByteSource source, ByteOrder order, byte[] entries) {
      this.source = source;
      this.order = order;
      for (int i = 0; i < entries.length; i += ENTRY_LENGTH) {
        byte[] entry = new byte[ENTRY_LENGTH];
        System.arraycopy(entries, i, entry, 0, ENTRY_LENGTH);
        entriesByTag.putIfAbsent(unsigned16(entry, 0), entry); // the first of duplicate tags wins
      }
    }

    boolean has(int tag) {
      return entriesByTag.containsKey(tag);
    }

    long required(int tag, String name) throws IOException, InvalidImageException {
      if (!has(tag)) {
        throw invalid("The TIFF header is invalid: it has no " + name + " field.");
      }
      return single(tag, 0);
    }

    long single(int tag, long valueIfAbsent) throws IOException, InvalidImageException {
      return has(tag) ? firstValues(tag, "tag " + tag, 1)[0] : valueIfAbsent;
    }

    /** A per-band field that must have one value for all bands; writers may store it once or once per band. */
    int sameForAllBands(int tag, String name, int bands, int valueIfAbsent) throws IOException, InvalidImageException {
      if (!has(tag)) {
        return valueIfAbsent;
      }
      long count = count(entriesByTag.get(tag));
      if (count == 0) {
        throw invalid("The TIFF header is invalid: its " + name + " field is empty.");
      }
      long[] values = firstValues(tag, name, (int) Math.min(count, bands));
      for (long value : values) {
        if (value != values[0]) {
          throw unsupported("This TIFF has a different " + name + " per band; all bands must be alike.");
        }
      }
      return (int) Math.min(values[0], Integer.MAX_VALUE);
    }

    /** The first {@code n} values of an integer field, which must have at least {@code n}. */
    long[] firstValues(int tag, String name, int n) throws IOException, InvalidImageException {
      byte[] entry = entriesByTag.get(tag);
      if (entry == null) {
        throw invalid("The TIFF header is invalid: it has no " + name + " field.");
      }
      int type = unsigned16(entry, 2);
      int size = switch (type) {
        case TYPE_BYTE -> 1;
        case TYPE_SHORT -> 2;
        case TYPE_LONG -> 4;
        default -> throw invalid("The TIFF header is invalid: its " + name + " field has type " + type
            + " instead of an unsigned integer.");
      };
      long count = count(entry);
      if (count < n) {
        throw invalid("The TIFF header is invalid: its " + name + " field has " + count + " values, "
            + n + " expected.");
      }
      byte[] data;
      if (count * size <= 4) {
        data = new byte[4];
        System.arraycopy(entry, 8, data, 0, 4); // small values are stored in the entry itself
      } else {
        data = source.read(unsigned32(entry, 8), n * size);
      }
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = switch (size) {
          case 1 -> data[i] & 0xFF;
          case 2 -> unsigned16(data, i * 2);
          default -> unsigned32(data, i * 4);
        };
      }
      return values;
    }

    private long count(byte[] entry) {
      return unsigned32(entry, 4);
    }

    private int unsigned16(byte[] bytes, int at) {
      int a = bytes[at] & 0xFF;
      int b = bytes[at + 1] & 0xFF;
      return order == ByteOrder.BIG_ENDIAN ? a << 8 | b : b << 8 | a;
    }

    private long unsigned32(byte[] bytes, int at) {
      long high = unsigned16(bytes, order == ByteOrder.BIG_ENDIAN ? at : at + 2);
      long low = unsigned16(bytes, order == ByteOrder.BIG_ENDIAN ? at + 2 : at);
      return high << 16 | low;
    }
  }
}
