package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Reads a PNG's IHDR chunk, which the format requires to come first, checks its length, CRC and field values, and
 * checks that the file ends with an IEND chunk.
 */
final class PngHeaderReader {

  static final int SIGNATURE_LENGTH = 8;
  private static final int CHUNK_OVERHEAD = 12; // length, type, CRC
  private static final int IHDR_DATA_LENGTH = 13;
  private static final byte[] IHDR = "IHDR".getBytes(StandardCharsets.US_ASCII);

  /** An IEND chunk is always these 12 bytes: zero length, the type, and the CRC of the type. */
  private static final byte[] IEND_CHUNK = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

  /** How far from the end the IEND chunk may be; a few tools leave bytes after it. */
  private static final int IEND_SEARCH_WINDOW = 4096;

  private static final int GREY = 0;
  private static final int RGB = 2;
  private static final int PALETTE = 3;
  private static final int GREY_ALPHA = 4;
  private static final int RGBA = 6;

  private PngHeaderReader() {
  }

  /** @param source a file whose first eight bytes are the PNG signature */
  static ImageInfo read(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
    byte[] chunk = source.read(SIGNATURE_LENGTH, CHUNK_OVERHEAD + IHDR_DATA_LENGTH);
    long length = source.u32(SIGNATURE_LENGTH, ByteOrder.BIG_ENDIAN);
    if (!Arrays.equals(chunk, 4, 8, IHDR, 0, 4) || length != IHDR_DATA_LENGTH) {
      throw invalid("The PNG file is corrupt: it does not start with a valid IHDR header chunk.");
    }
    CRC32 crc = new CRC32();
    crc.update(chunk, 4, 4 + IHDR_DATA_LENGTH); // the CRC covers the chunk type and data
    long storedCrc = source.u32(SIGNATURE_LENGTH + 8 + IHDR_DATA_LENGTH, ByteOrder.BIG_ENDIAN);
    if (crc.getValue() != storedCrc) {
      throw invalid("The PNG file is corrupt: its IHDR header chunk fails its checksum.");
    }
    long width = source.u32(SIGNATURE_LENGTH + 8, ByteOrder.BIG_ENDIAN);
    long height = source.u32(SIGNATURE_LENGTH + 12, ByteOrder.BIG_ENDIAN);
    int bitDepth = chunk[16] & 0xFF;
    int colourType = chunk[17] & 0xFF;
    int compression = chunk[18] & 0xFF;
    int filter = chunk[19] & 0xFF;
    int interlace = chunk[20] & 0xFF;
    if (width == 0 || height == 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      // The PNG specification limits both sides to 1 .. 2^31 - 1.
      throw invalid("The PNG image has an invalid size of " + width + " × " + height + " pixels in its header.");
    }
    int bands = bandsOf(colourType);
    if (bands == 0 || !isAllowedBitDepth(colourType, bitDepth)) {
      throw invalid("The PNG header is invalid: colour type " + colourType + " with " + bitDepth
          + "-bit samples.");
    }
    if (compression != 0 || filter != 0 || interlace > 1) {
      throw invalid("The PNG header is invalid: unknown compression, filter or interlace method.");
    }
    limits.requireWithin(ImageFormat.PNG, width, height, bands, bitDepth);
    requireEndChunk(source);
    return new ImageInfo(ImageFormat.PNG, (int) width, (int) height, bands, bitDepth);
  }

  private static void requireEndChunk(ByteSource source) throws IOException, InvalidImageException {
    long firstChunkEnd = SIGNATURE_LENGTH + CHUNK_OVERHEAD + IHDR_DATA_LENGTH;
    long windowStart = Math.max(firstChunkEnd, source.size() - IEND_SEARCH_WINDOW);
    byte[] tail = source.read(windowStart, (int) Math.max(0, source.size() - windowStart));
    for (int i = tail.length - IEND_CHUNK.length; i >= 0; i--) {
      if (Arrays.equals(tail, i, i + IEND_CHUNK.length, IEND_CHUNK, 0, IEND_CHUNK.length)) {
        return;
      }
    }
    throw new InvalidImageException(TRUNCATED_IMAGE,
        "The PNG file is incomplete: it ends without an IEND chunk, so it was probably cut off during upload "
            + "or copying.");
  }

  /** Samples per pixel of a colour type; 0 for an unknown type. */
  private static int bandsOf(int colourType) {
    return switch (colourType) {
      case GREY, PALETTE -> 1;
      case GREY_ALPHA -> 2;
      case RGB -> 3;
      case RGBA -> 4;
      default -> 0;
    };
  }

  private static boolean isAllowedBitDepth(int colourType, int bitDepth) {
    return switch (colourType) {
      case GREY -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
      case PALETTE -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
      default -> bitDepth == 8 || bitDepth == 16;
    };
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }
}
