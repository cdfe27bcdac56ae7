package org.geohazard.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small uncompressed single-strip TIFFs field by field, so that tests can make the layouts and the damage
 * javax.imageio's writer does not: 16-bit and float samples, many bands, other byte orders, bad offsets.
 */
final class TiffBuilder {

  static final int BYTE = 1;
  static final int SHORT = 3;
  static final int LONG = 4;

  private record Field(int type, long[] values) {
    int length() {
      return values.length * (type == BYTE ? 1 : type == SHORT ? 2 : 4);
    }
  }

  private final int width;
  private final int height;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  private int version = 42;
  private int bands = 1;
  private int bitsPerSample = 8;
  private int sampleFormat = 1;
  private ByteBuffer pixels;
  private boolean directoryFirst;
  private boolean noPixelData;
  private final Map<Integer, Field> overrides = new TreeMap<>();

  TiffBuilder(int width, int height) {
    this.width = width;
    this.height = height;
  }

  TiffBuilder bigEndian() {
    order = ByteOrder.BIG_ENDIAN;
    return this;
  }

  /** Writes 43 instead of 42 after the byte order mark, as a BigTIFF does (the rest stays classic). */
  TiffBuilder bigTiffVersion() {
    version = 43;
    return this;
  }

  TiffBuilder directoryFirst() {
    directoryFirst = true;
    return this;
  }

  /** Leaves the pixel data out and declares one empty strip: a header for tests of header checks on huge images. */
  TiffBuilder noPixelData() {
    noPixelData = true;
    return this;
  }

  TiffBuilder samples(int bands, int bitsPerSample, int sampleFormat) {
    this.bands = bands;
    this.bitsPerSample = bitsPerSample;
    this.sampleFormat = sampleFormat;
    return this;
  }

  /** Pixel-interleaved sample values, converted to the declared sample type and byte order. */
  TiffBuilder pixels(double... samples) {
    int bytesPerSample = bitsPerSample / 8;
    pixels = ByteBuffer.allocate(samples.length * bytesPerSample).order(order);
    for (double sample : samples) {
      if (sampleFormat == 3) {
        pixels.putFloat((float) sample);
      } else if (bytesPerSample == 1) {
        pixels.put((byte) sample);
      } else if (bytesPerSample == 2) {
        pixels.putShort((short) sample);
      } else {
        pixels.putInt((int) sample);
      }
    }
    return this;
  }

  /** Adds a field or replaces a default one. */
  TiffBuilder field(int tag, int type, long... values) {
    overrides.put(tag, new Field(type, values));
    return this;
  }

  byte[] build() {
    int dataLength = noPixelData ? 0
        : pixels != null ? pixels.capacity() : width * height * bands * ((bitsPerSample + 7) / 8);
    Map<Integer, Field> fields = new TreeMap<>();
    fields.put(256, new Field(LONG, new long[] {width}));
    fields.put(257, new Field(LONG, new long[] {height}));
    fields.put(258, new Field(SHORT, repeated(bitsPerSample)));
    fields.put(259, new Field(SHORT, new long[] {1}));
    fields.put(262, new Field(SHORT, new long[] {bands == 3 && bitsPerSample == 8 ? 2 : 1}));
    fields.put(273, new Field(LONG, new long[] {0})); // placeholder, set below once the layout is known
    fields.put(277, new Field(SHORT, new long[] {bands}));
    fields.put(278, new Field(LONG, new long[] {height}));
    fields.put(279, new Field(LONG, new long[] {dataLength}));
    fields.put(284, new Field(SHORT, new long[] {1}));
    fields.put(339, new Field(SHORT, repeated(sampleFormat)));
    fields.putAll(overrides);

    int directoryLength = 2 + 12 * fields.size() + 4;
    int extraLength = 0;
    for (Field field : fields.values()) {
      extraLength += field.length() > 4 ? even(field.length()) : 0;
    }
    int directoryOffset = directoryFirst ? 8 : 8 + even(dataLength);
    int extraOffset = directoryOffset + directoryLength;
    int dataOffset = directoryFirst ? extraOffset + extraLength : 8;
    if (!overrides.containsKey(273)) {
      fields.put(273, new Field(LONG, new long[] {dataOffset}));
    }

    ByteBuffer file = ByteBuffer.allocate(8 + even(dataLength) + directoryLength + extraLength).order(order);
    file.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    file.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
    file.putShort((short) version).putInt(directoryOffset);
    if (pixels != null) {
      file.put(dataOffset, pixels.array());
    }
    file.position(directoryOffset);
    file.putShort((short) fields.size());
    int nextExtra = extraOffset;
    for (Map.Entry<Integer, Field> entry : fields.entrySet()) {
      Field field = entry.getValue();
      file.putShort(entry.getKey().shortValue()).putShort((short) field.type()).putInt(field.values().length);
      int valuePosition = file.position();
      if (field.length() > 4) {
        file.putInt(nextExtra);
        valuePosition = nextExtra;
        nextExtra += even(field.length());
      } else {
        file.putInt(0);
      }
      int afterEntry = file.position();
      file.position(valuePosition);
      for (long value : field.values()) {
        switch (field.type()) {
          case BYTE -> file.put((byte) value);
          case SHORT -> file.putShort((short) value);
          default -> file.putInt((int) value);
        }
      }
      file.position(afterEntry);
    }
    file.putInt(0); // no next directory
    return file.array();
  }

  private long[] repeated(int value) {
    long[] values = new long[bands];
    Arrays.fill(values, value);
    return values;
  }

  private static int even(int length) {
    return length + (length & 1);
  }
}
