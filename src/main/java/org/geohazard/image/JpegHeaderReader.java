package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;

import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Reads a JPEG's frame header (SOFn) by walking the marker segments from the start of the file, skipping each
 * APPn/COM/DQT/DHT segment by its length without reading it, then checks that the file ends with an EOI marker.
 *
 * <p>Besides reading, it refuses the JPEG variants that {@code javax.imageio} (with the TwelveMonkeys JPEG plugin,
 * which adds CMYK/YCCK and large ICC profiles) cannot decode (lossless, arithmetic
 * coding, hierarchical, 12-bit), so that an upload the service could never analyse fails at upload with
 * {@code unsupported_media_type} instead of later in the pipeline.
 */
final class JpegHeaderReader {

  private static final int SOF0_BASELINE = 0xC0;
  private static final int SOF1_EXTENDED = 0xC1;
  private static final int SOF2_PROGRESSIVE = 0xC2;
  private static final int DHT = 0xC4;
  private static final int JPG_RESERVED = 0xC8;
  private static final int DAC = 0xCC;
  private static final int RST0 = 0xD0;
  private static final int RST7 = 0xD7;
  private static final int SOI = 0xD8;
  private static final int EOI = 0xD9;
  private static final int SOS = 0xDA;
  private static final int TEM = 0x01;

  /**
   * Segments allowed before the frame header. Real files have a dozen; the cap bounds the work a crafted file of
   * millions of empty segments can cause.
   */
  private static final int MAX_SEGMENTS_BEFORE_FRAME = 1024;

  /** Fill bytes (0xFF) allowed before one marker; the standard permits any number, real encoders write a few. */
  private static final int MAX_FILL_BYTES = 1024;

  /**
   * How far from the end the EOI marker may be. Some encoders and tools pad the file after EOI; anything longer
   * than this after the last EOI is taken as a cut-off file.
   */
  private static final int EOI_SEARCH_WINDOW = 4096;

  /**
   * Scans a progressive JPEG may hold. Encoders write about ten (libjpeg's and mozjpeg's scripts); every scan makes
   * the decoder pass over all the image's blocks again, so thousands of tiny scans in a file of a few kilobytes
   * would cost minutes of a preprocessing thread.
   */
  static final int MAX_PROGRESSIVE_SCANS = 100;

  private JpegHeaderReader() {
  }

  /** @param source a file whose first three bytes are the JPEG signature FF D8 FF */
  static ImageInfo read(ByteSource source, ImageLimits limits) throws IOException, InvalidImageException {
    long position = 2; // after SOI
    for (int segment = 0; segment < MAX_SEGMENTS_BEFORE_FRAME; segment++) {
      if (source.u8(position) != 0xFF) {
        throw invalid("The JPEG file is corrupt: no marker where one was expected, at byte " + position + ".");
      }
      int fillBytes = 0;
      while (source.u8(position + 1) == 0xFF) { // a marker may be preceded by any number of 0xFF fill bytes
        position++;
        if (++fillBytes > MAX_FILL_BYTES) {
          throw invalid("The JPEG file is corrupt: a run of more than " + MAX_FILL_BYTES + " fill bytes.");
        }
      }
      int marker = source.u8(position + 1);
      position += 2;
      if (isFrameHeader(marker)) {
        return readFrame(source, limits, marker, position);
      }
      if (marker == SOS || marker == EOI) {
        throw invalid("The JPEG file is corrupt: its image data starts before its frame header (SOF).");
      }
      if (marker == SOI || marker == 0x00) {
        throw invalid(String.format("The JPEG file is corrupt: unexpected marker 0x%02X at byte %d.", marker,
            position - 2));
      }
      if (marker == TEM || marker >= RST0 && marker <= RST7) {
        continue; // standalone markers carry no length
      }
      int length = source.u16(position, ByteOrder.BIG_ENDIAN);
      if (length < 2) {
        throw invalid("The JPEG file is corrupt: a segment declares a length of " + length + " bytes.");
      }
      position += length;
    }
    throw invalid("The JPEG file has no frame header (SOF) within its first " + MAX_SEGMENTS_BEFORE_FRAME
        + " segments.");
  }

  private static ImageInfo readFrame(ByteSource source, ImageLimits limits, int marker, long position)
      throws IOException, InvalidImageException {
    int length = source.u16(position, ByteOrder.BIG_ENDIAN);
    byte[] frame = source.read(position, Math.max(length, 8));
    int precision = frame[2] & 0xFF;
    int height = (frame[3] & 0xFF) << 8 | frame[4] & 0xFF;
    int width = (frame[5] & 0xFF) << 8 | frame[6] & 0xFF;
    int components = frame[7] & 0xFF;
    if (components == 0 || length != 8 + 3 * components) {
      throw invalid("The JPEG frame header is corrupt: its length does not match its " + components
          + " components.");
    }
    if (width == 0 || height == 0) {
      // Height 0 is legal in the standard (the height follows in a DNL marker after the first scan), but no
      // decoder we use supports it and no camera or GIS tool writes it; treat it as the corrupt header it
      // almost always is.
      throw invalid("The JPEG image has a size of " + width + " × " + height + " pixels in its header.");
    }
    if (marker != SOF0_BASELINE && marker != SOF1_EXTENDED && marker != SOF2_PROGRESSIVE) {
      throw unsupported(String.format("This JPEG uses a coding process (SOF%d: %s) that the service cannot decode; "
          + "save it as a baseline or progressive JPEG, or as PNG.", marker - SOF0_BASELINE, processName(marker)));
    }
    if (precision != 8) {
      throw unsupported("This JPEG has " + precision + "-bit samples; only 8-bit JPEGs are supported. "
          + "Send 16-bit data as PNG or TIFF.");
    }
    if (components != 1 && components != 3 && components != 4) {
      throw unsupported("This JPEG has " + components + " colour components; only greyscale, RGB/YCbCr and "
          + "CMYK/YCCK JPEGs are supported.");
    }
    limits.requireWithin(ImageFormat.JPEG, width, height, components, precision);
    requireEndOfImage(source, position + length);
    if (marker == SOF2_PROGRESSIVE) {
      requireFewScans(source, position + length);
    }
    return new ImageInfo(ImageFormat.JPEG, width, height, components, precision);
  }

  /**
   * An upload cut off in transit still has a valid header; only the missing EOI marker gives it away. Searching
   * only the tail is safe because entropy-coded data cannot contain FF D9 (the encoder stuffs every FF with 00),
   * and only the part after the frame header is searched, so an EXIF thumbnail's EOI cannot be mistaken for ours.
   */
  private static void requireEndOfImage(ByteSource source, long frameEnd) throws IOException, InvalidImageException {
    long windowStart = Math.max(frameEnd, source.size() - EOI_SEARCH_WINDOW);
    byte[] tail = source.read(windowStart, (int) Math.max(0, source.size() - windowStart));
    for (int i = tail.length - 2; i >= 0; i--) {
      if ((tail[i] & 0xFF) == 0xFF && (tail[i + 1] & 0xFF) == EOI) {
        return;
      }
    }
    throw new InvalidImageException(TRUNCATED_IMAGE,
        "The JPEG file is incomplete: it ends without an end-of-image marker, so it was probably cut off during "
            + "upload or copying.");
  }

  /**
   * Counts the start-of-scan markers after the frame header in one pass over the file (progressive JPEGs only).
   * Entropy-coded data never holds FF DA (every FF there is followed by 00 or a restart number); a table's bytes
   * might, which can only over-count a file far below the limit.
   */
  private static void requireFewScans(ByteSource source, long frameEnd) throws IOException, InvalidImageException {
    byte[] chunk = new byte[64 * 1024];
    int scans = 0;
    boolean afterFf = false;
    for (long at = frameEnd; at < source.size(); at += chunk.length) {
      int n = (int) Math.min(chunk.length, source.size() - at);
      source.readFully(at, chunk, 0, n);
      for (int i = 0; i < n; i++) {
        int b = chunk[i] & 0xFF;
        if (afterFf && b == SOS && ++scans > MAX_PROGRESSIVE_SCANS) {
          throw invalid("The progressive JPEG holds more than " + MAX_PROGRESSIVE_SCANS + " scans; encoders write"
              + " about ten. Save it as a baseline JPEG or as PNG.");
        }
        afterFf = b == 0xFF;
      }
    }
  }

  private static boolean isFrameHeader(int marker) {
    return marker >= SOF0_BASELINE && marker <= 0xCF && marker != DHT && marker != JPG_RESERVED && marker != DAC;
  }

  private static String processName(int marker) {
    if (marker == 0xC3 || marker == 0xC7 || marker == 0xCB || marker == 0xCF) {
      return "lossless";
    }
    if (marker >= 0xC9) {
      return "arithmetic coding";
    }
    return "hierarchical";
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }

  private static InvalidImageException unsupported(String message) {
    return new InvalidImageException(UNSUPPORTED_MEDIA_TYPE, message);
  }
}
