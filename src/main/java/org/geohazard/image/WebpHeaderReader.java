package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a WebP's canvas size from its first chunk (VP8X, VP8 or VP8L, all within the first 30 bytes) and checks
 * that the file is as long as its RIFF header says, without decoding anything.
 *
 * <p>Animated WebPs are refused ({@code unsupported_media_type}): a flood scene is one picture, and the decoder
 * would read only the first frame without saying so.
 */
final class WebpHeaderReader {

  private static final int RIFF_HEADER = 12;
  private static final int CHUNK_HEADER = 8;
  private static final int VP8X_ANIMATION = 0x02;
  private static final int VP8X_ALPHA = 0x10;
  private static final int VP8L_SIGNATURE = 0x2F;

  private WebpHeaderReader() {
  }

  /** @param source a file that starts with "RIFF", a length and "WEBP" */
  static ImageInfo read(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
    long declared = source.u32(4, ByteOrder.LITTLE_ENDIAN) + 8;
    if (source.size() < declared) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The WebP file is incomplete: its header says " + declared
          + " bytes, the file has " + source.size() + "; it was probably cut off during upload or copying.");
    }
    String chunk = new String(source.read(RIFF_HEADER, 4), StandardCharsets.ISO_8859_1);
    long chunkSize = source.u32(RIFF_HEADER + 4, ByteOrder.LITTLE_ENDIAN);
    long payload = RIFF_HEADER + CHUNK_HEADER;
    if (payload + chunkSize > declared) {
      throw invalid("The WebP file is corrupt: its first chunk (" + chunk.strip() + ") runs past the end of the file.");
    }
    int width;
    int height;
    int bands;
    switch (chunk) {
      case "VP8X" -> {
        int flags = source.u8(payload);
        if ((flags & VP8X_ANIMATION) != 0) {
          throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE,
              "This WebP is animated; only still images are analysed. Send one frame as WebP, PNG or JPEG.");
        }
        width = u24(source, payload + 4) + 1;
        height = u24(source, payload + 7) + 1;
        bands = (flags & VP8X_ALPHA) != 0 ? 4 : 3;
      }
      case "VP8 " -> {
        // A key frame's 3-byte tag, the start code 9D 01 2A, then 14-bit width and height (2 bits of scale above).
        if ((source.u8(payload) & 1) != 0 || source.u8(payload + 3) != 0x9D || source.u8(payload + 4) != 0x01
            || source.u8(payload + 5) != 0x2A) {
          throw invalid("The WebP file is corrupt: its VP8 image does not start with a key frame.");
        }
        width = source.u16(payload + 6, ByteOrder.LITTLE_ENDIAN) & 0x3FFF;
        height = source.u16(payload + 8, ByteOrder.LITTLE_ENDIAN) & 0x3FFF;
        bands = 3;
      }
      case "VP8L" -> {
        if (source.u8(payload) != VP8L_SIGNATURE) {
          throw invalid("The WebP file is corrupt: its lossless image lacks the VP8L signature.");
        }
        long bits = source.u32(payload + 1, ByteOrder.LITTLE_ENDIAN);
        if (bits >>> 29 != 0) {
          throw invalid("The WebP file is corrupt: unknown VP8L version " + (bits >>> 29) + ".");
        }
        width = (int) (bits & 0x3FFF) + 1;
        height = (int) (bits >>> 14 & 0x3FFF) + 1;
        bands = (bits >>> 28 & 1) != 0 ? 4 : 3;
      }
      default -> throw invalid("The WebP file is corrupt: it starts with an unknown chunk '" + printable(chunk) + "'.");
    }
    if (width == 0 || height == 0) {
      throw invalid("The WebP image has a size of " + width + " × " + height + " pixels in its header.");
    }
    limits.requireWithin(ImageFormat.WEBP, width, height, bands, 8);
    return new ImageInfo(ImageFormat.WEBP, width, height, bands, 8);
  }

  private static int u24(ByteSource source, long offset) throws IOException {
    return source.u8(offset) | source.u8(offset + 1) << 8 | source.u8(offset + 2) << 16;
  }

  private static String printable(String fourCc) {
    return fourCc.replaceAll("[^\\x20-\\x7E]", "?");
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }
}
