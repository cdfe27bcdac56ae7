package org.geohazard.image;

/** How one sample of one band is stored in a raster the windowed reader can read. */
public enum SampleType {
  UINT8(1, true),
  INT8(1, true),
  UINT16(2, true),
  INT16(2, true),
  UINT32(4, false),
  INT32(4, false),
  FLOAT32(4, false),
  FLOAT64(8, false);

  private final int bytes;
  private final boolean histogrammable;

  SampleType(int bytes, boolean histogrammable) {
    this.bytes = bytes;
    this.histogrammable = histogrammable;
  }

  public int bytes() {
    return bytes;
  }

  /**
   * Whether every value fits one bin of a 65 536-bin histogram, which makes exact percentiles cheap (8- and 16-bit
   * integers); wider types are sorted instead.
   */
  public boolean histogrammable() {
    return histogrammable;
  }

  /** Whether the value is a signed integer; decides the histogram's offset. */
  public boolean signedInteger() {
    return this == INT8 || this == INT16 || this == INT32;
  }

  /**
   * The type of a TIFF's SampleFormat (1 unsigned, 2 signed, 3 float, 4 undefined = unsigned) and BitsPerSample.
   *
   * @throws IllegalArgumentException for combinations the reader does not decode (1-, 4-, 12-, 24-bit, float16)
   */
  static SampleType of(int sampleFormat, int bitsPerSample) {
    return switch (sampleFormat) {
      case 1, 4 -> switch (bitsPerSample) {
        case 8 -> UINT8;
        case 16 -> UINT16;
        case 32 -> UINT32;
        default -> throw unsupported(sampleFormat, bitsPerSample);
      };
      case 2 -> switch (bitsPerSample) {
        case 8 -> INT8;
        case 16 -> INT16;
        case 32 -> INT32;
        default -> throw unsupported(sampleFormat, bitsPerSample);
      };
      case 3 -> switch (bitsPerSample) {
        case 32 -> FLOAT32;
        case 64 -> FLOAT64;
        default -> throw unsupported(sampleFormat, bitsPerSample);
      };
      default -> throw unsupported(sampleFormat, bitsPerSample);
    };
  }

  private static IllegalArgumentException unsupported(int sampleFormat, int bitsPerSample) {
    return new IllegalArgumentException(bitsPerSample + "-bit samples of format " + sampleFormat);
  }
}
