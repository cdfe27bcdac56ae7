package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static org.geohazard.image.TiffTag.*;

import java.io.IOException;

/**
 * The header probe of a TIFF: parses the first image file directory ({@link TiffDirectory}) into a {@link TiffLayout}
 * and checks it, including that every strip or tile it points at lies inside the file, without decoding a pixel.
 * Only the first image is read: GeoTIFFs keep the full-resolution raster there and overviews after it.
 *
 * <p>Like the other header readers it refuses what the decoder ({@code javax.imageio}'s TIFF plug-in) cannot read,
 * so that such files fail at upload: compressions other than those of {@link TiffCompression}, the floating-point
 * predictor, 16-bit floats, 64-bit integers and bands of different bit depths.
 */
final class TiffHeaderReader {

  private static final int SAMPLE_FORMAT_UNSIGNED = 1;
  private static final int SAMPLE_FORMAT_SIGNED = 2;
  private static final int SAMPLE_FORMAT_FLOAT = 3;
  private static final int SAMPLE_FORMAT_UNDEFINED = 4;

  /** Strips or tiles in the first image; bounds the offset tables read from a crafted header. */
  private static final int MAX_BLOCKS = 1 << 20;
  /** Room beyond twice a block's decoded size for a compressor's own framing (JPEG tables, a deflate header). */
  private static final long MAX_BLOCK_OVERHEAD_BYTES = 64 * 1024;

  private TiffHeaderReader() {
  }

  /**
   * @param source a file that starts with a classic TIFF header ("II*\0" or "MM\0*")
   * @param asScene whether the caller will read the image window by window with {@link GeoTiffRaster}: then a TIFF
   *     whose layout that reader takes is held to the scene budget of {@code limits} instead of the in-memory one
   */
  static TiffLayout read(ByteSource source, ImageLimits limits, boolean asScene)
      throws IOException, InvalidImageException {
    TiffDirectory directory = TiffDirectory.readFirst(source);
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
    long compressionCode = directory.single(COMPRESSION, 1);
    TiffCompression compression = TiffCompression.of(compressionCode).orElseThrow(() -> unsupported("This TIFF uses "
        + TiffCompression.nameOf(compressionCode) + " compression, which the service cannot decode yet; save it "
        + "uncompressed or with LZW or DEFLATE."));
    long predictor = directory.single(PREDICTOR, 1);
    if (predictor != 1 && predictor != 2) {
      throw unsupported("This TIFF uses predictor " + predictor + (predictor == 3 ? " (floating point)" : "")
          + ", which the service cannot decode yet; save it without a predictor or with horizontal differencing.");
    }
    requireDecodableSamples(bitsPerSample, sampleFormat);
    boolean separatePlanes = directory.single(PLANAR_CONFIGURATION, 1) == 2;
    boolean tiled = directory.has(TILE_WIDTH) || directory.has(TILE_LENGTH);
    long rowsPerStrip = tiled ? 0 : Math.min(directory.single(ROWS_PER_STRIP, height), height);
    if (asScene && readableByWindows(directory, compressionCode, compression, width, (int) bands, bitsPerSample,
        sampleFormat, separatePlanes, rowsPerStrip)) {
      limits.requireSceneWithin(ImageFormat.TIFF, width, height);
    } else {
      limits.requireWithin(ImageFormat.TIFF, width, height, (int) bands, bitsPerSample);
    }
    BlockTable blocks = blockTableInsideFile(source, directory, width, height, (int) bands, bitsPerSample,
        separatePlanes, tiled, rowsPerStrip);
    return new TiffLayout((int) width, (int) height, (int) bands, bitsPerSample, sampleFormat, compressionCode,
        compression, predictor == 2, separatePlanes, tiled, blocks.tileWidth(), blocks.tileLength(), rowsPerStrip,
        blocks.offsets(), blocks.byteCounts(), directory);
  }

  /** Where the strips or tiles lie; tile sizes are 0 for strips. */
  private record BlockTable(long tileWidth, long tileLength, long[] offsets, long[] byteCounts) {
  }

  private static void requireDecodableSamples(int bitsPerSample, int sampleFormat) throws InvalidImageException {
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
   * Whether {@link GeoTiffRaster} reads this layout in bounded memory ({@link TiffLayout#sceneReaderRefusal}), from
   * what is known before the block table is read: that decides which pixel budget applies.
   */
  private static boolean readableByWindows(TiffDirectory directory, long compressionCode,
      TiffCompression compression, long width, int bands, int bitsPerSample, int sampleFormat,
      boolean separatePlanes, long rowsPerStrip) throws IOException, InvalidImageException {
    boolean tiled = directory.has(TILE_WIDTH) && directory.has(TILE_LENGTH);
    long blockBytes = TiffLayout.blockBytes(compression, bands, bitsPerSample, separatePlanes, tiled,
        directory.single(TILE_WIDTH, 0), directory.single(TILE_LENGTH, 0), width, rowsPerStrip);
    return TiffLayout.sceneReaderRefusal(compressionCode, compression, bitsPerSample, sampleFormat, blockBytes, tiled)
        .isEmpty();
  }

  /**
   * The strip or tile table, checked against the file's length: a TIFF cut off in transit often keeps its directory
   * (many writers put it first) but loses the pixel data at the end; the table tells us exactly how long the file
   * must be.
   */
  private static BlockTable blockTableInsideFile(ByteSource source, TiffDirectory directory, long width, long height,
      int bands, int bitsPerSample, boolean separatePlanes, boolean tiled, long rowsPerStrip)
      throws IOException, InvalidImageException {
    long planes = separatePlanes ? bands : 1;
    long tileWidth = 0;
    long tileLength = 0;
    long blocks;
    int offsetsTag;
    int byteCountsTag;
    String blockName;
    if (tiled) {
      tileWidth = directory.required(TILE_WIDTH, "TileWidth");
      tileLength = directory.required(TILE_LENGTH, "TileLength");
      if (tileWidth == 0 || tileLength == 0) {
        throw invalid("The TIFF header is invalid: tiles of " + tileWidth + " × " + tileLength + " pixels.");
      }
      blocks = ceilDiv(width, tileWidth) * ceilDiv(height, tileLength) * planes;
      offsetsTag = TILE_OFFSETS;
      byteCountsTag = TILE_BYTE_COUNTS;
      blockName = "tile";
    } else {
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
    // What one block holds decoded; no compression TIFF uses makes a block more than twice that (LZW's worst case is
    // about 1.5 x). A larger stored count would only make a reader allocate and fetch it: refused here, before any
    // pixel is read (a remote file's length is whatever its server says).
    long decodedBlockBytes = (tiled ? tileWidth * tileLength : width * rowsPerStrip) * (separatePlanes ? 1 : bands)
        * ((bitsPerSample + 7) / 8);
    long storedBlockLimit = 2 * decodedBlockBytes + MAX_BLOCK_OVERHEAD_BYTES;
    for (int i = 0; i < blocks; i++) {
      if (byteCounts[i] == 0) {
        continue; // an empty block (sparse GeoTIFFs write offset 0, length 0 for all-nodata tiles)
      }
      if (byteCounts[i] < 0 || byteCounts[i] > storedBlockLimit) {
        throw invalid("The TIFF header is invalid: " + blockName + " " + (i + 1) + " claims " + byteCounts[i]
            + " stored bytes for at most " + decodedBlockBytes + " bytes of pixels.");
      }
      if (offsets[i] < TiffDirectory.HEADER_LENGTH) {
        throw invalid("The TIFF file is corrupt: " + blockName + " " + (i + 1) + " starts inside the file header.");
      }
      if (offsets[i] + byteCounts[i] > source.size()) {
        throw truncated("The TIFF file is incomplete: " + blockName + " " + (i + 1) + " of " + blocks
            + " ends at byte " + (offsets[i] + byteCounts[i]) + " but the file is only " + source.size()
            + " bytes long, so it was probably cut off during upload or copying.");
      }
    }
    return new BlockTable(tileWidth, tileLength, offsets, byteCounts);
  }

  private static long ceilDiv(long dividend, long divisor) {
    return (dividend + divisor - 1) / divisor;
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
}
