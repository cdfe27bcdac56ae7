package org.geohazard.image;

/**
 * The LZW variant of TIFF 6.0 (section 13): codes of 9 to 12 bits, most significant bit first, ClearCode 256,
 * EndOfInformation 257, and the "early change" that widens the code one entry before the table is full. The old
 * pre-6.0 bit order (least significant first) is not read; no current writer produces it.
 */
final class TiffLzw {

  private static final int CLEAR = 256;
  private static final int END = 257;
  private static final int FIRST_FREE = 258;
  private static final int TABLE_SIZE = 4096;

  private TiffLzw() {
  }

  /**
   * Decodes {@code input} into {@code output}, stopping at the end code, the end of the input or a full output.
   *
   * @return the number of bytes written
   * @throws IllegalArgumentException on a code that cannot occur in a valid stream
   */
  static int decode(byte[] input, byte[] output) {
    // Each table entry is its prefix code plus one byte; lengths and first bytes let us write a string backwards
    // into the output in one pass without a temporary buffer.
    int[] prefix = new int[TABLE_SIZE];
    byte[] last = new byte[TABLE_SIZE];
    byte[] first = new byte[TABLE_SIZE];
    int[] length = new int[TABLE_SIZE];
    for (int i = 0; i < 256; i++) {
      last[i] = (byte) i;
      first[i] = (byte) i;
      length[i] = 1;
    }
    long bitBuffer = 0;
    int bitCount = 0;
    int inputAt = 0;
    int written = 0;
    int width = 9;
    int next = FIRST_FREE;
    int previous = -1;
    while (written < output.length) {
      while (bitCount < width && inputAt < input.length) {
        bitBuffer = (bitBuffer << 8) | (input[inputAt++] & 0xFF);
        bitCount += 8;
      }
      if (bitCount < width) {
        break; // input ended without an end code: some writers do that, the data so far is good
      }
      int code = (int) (bitBuffer >>> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      if (code == END) {
        break;
      }
      if (code == CLEAR) {
        width = 9;
        next = FIRST_FREE;
        previous = -1;
        continue;
      }
      if (previous == -1) {
        if (code > 255) {
          throw new IllegalArgumentException("LZW stream starts with code " + code);
        }
        output[written++] = (byte) code;
        previous = code;
        continue;
      }
      int emitted;
      if (code < next) {
        emitted = code;
        if (next < TABLE_SIZE) {
          add(prefix, last, first, length, next++, previous, first[code]);
        }
      } else if (code == next && next < TABLE_SIZE) {
        // The KwKwK case: the code being defined right now is previous + its own first byte.
        add(prefix, last, first, length, next++, previous, first[previous]);
        emitted = code;
      } else {
        throw new IllegalArgumentException("LZW code " + code + " before it was defined (next " + next + ")");
      }
      written = write(prefix, last, length, emitted, output, written);
      previous = code;
      if (next + 1 >= (1 << width) && width < 12) {
        width++;
      }
    }
    return written;
  }

  private static void add(int[] prefix, byte[] last, byte[] first, int[] length, int code, int prefixCode,
      byte lastByte) {
    prefix[code] = prefixCode;
    last[code] = lastByte;
    first[code] = first[prefixCode];
    length[code] = length[prefixCode] + 1;
  }

  private static int write(int[] prefix, byte[] last, int[] length, int code, byte[] output, int at) {
    int n = length[code];
    int end = at + n;
    for (int c = code, i = end - 1; i >= at; i--) {
      if (i < output.length) {
        output[i] = last[c];
      }
      c = prefix[c];
    }
    return Math.min(end, output.length);
  }
}
