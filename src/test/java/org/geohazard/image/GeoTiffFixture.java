package org.geohazard.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;

/**
 * Writes TIFF and GeoTIFF fixtures block by block, so that tests can make every layout the scene reader takes
 * (strips or tiles, chunky or planar, none/LZW/DEFLATE, predictor 2, either byte order, any sample type) and scenes
 * far larger than the heap: only one block is in memory at a time, the directory goes at the end of the file.
 * Sample values come from a function of (band, x, y), so a test knows every pixel without storing it.
 */
public final class GeoTiffFixture {

  /** The stored value of band {@code band} at pixel (x, y). */
  @FunctionalInterface
  public interface Samples {
    double at(int band, int x, int y);
  }

  public enum Compression {
    NONE(1), LZW(5), DEFLATE(8);

    final int code;

    Compression(int code) {
      this.code = code;
    }
  }

  private static final int SHORT = 3;
  private static final int LONG = 4;
  private static final int ASCII = 2;
  private static final int DOUBLE = 12;

  private record Field(int type, int count, byte[] bytes) {
  }

  private final int width;
  private final int height;
  private int bands = 1;
  private SampleType type = SampleType.UINT8;
  private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
  private Compression compression = Compression.NONE;
  private boolean predictor;
  private boolean planar;
  private int tileSize;
  private int rowsPerStrip;
  private Samples samples = (band, x, y) -> (x + y + band) % 256;
  private final Map<Integer, Field> extraFields = new TreeMap<>();

  public GeoTiffFixture(int width, int height) {
    this.width = width;
    this.height = height;
    this.rowsPerStrip = height;
  }

  public GeoTiffFixture bands(int bands, SampleType type) {
    this.bands = bands;
    this.type = type;
    return this;
  }

  public GeoTiffFixture bigEndian() {
    order = ByteOrder.BIG_ENDIAN;
    return this;
  }

  public GeoTiffFixture compression(Compression compression) {
    this.compression = compression;
    return this;
  }

  public GeoTiffFixture horizontalDifferencing() {
    predictor = true;
    return this;
  }

  public GeoTiffFixture planar() {
    planar = true;
    return this;
  }

  public GeoTiffFixture tiles(int size) {
    tileSize = size;
    return this;
  }

  public GeoTiffFixture rowsPerStrip(int rows) {
    rowsPerStrip = rows;
    return this;
  }

  public GeoTiffFixture samples(Samples samples) {
    this.samples = samples;
    return this;
  }

  public GeoTiffFixture noData(String value) {
    return ascii(42113, value);
  }

  /** ModelTiepoint (0,0) → (x, y) and ModelPixelScale (sx, sy), with a GeoKey directory for {@code epsg}. */
  public GeoTiffFixture georeferenced(int epsg, boolean projected, double x, double y, double sx, double sy) {
    doubles(33922, 0, 0, 0, x, y, 0);
    doubles(33550, sx, sy, 0);
    return geoKeys(epsg, projected, false);
  }

  /** GeoKeyDirectory: model type, raster type (area or point) and the CRS's EPSG code. */
  public GeoTiffFixture geoKeys(int epsg, boolean projected, boolean pixelIsPoint) {
    return shorts(34735, 1, 1, 0, 3,
        1024, 0, 1, projected ? 1 : 2,
        1025, 0, 1, pixelIsPoint ? 2 : 1,
        projected ? 3072 : 2048, 0, 1, epsg);
  }

  public GeoTiffFixture doubles(int tag, double... values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(order);
    for (double value : values) {
      buffer.putDouble(value);
    }
    extraFields.put(tag, new Field(DOUBLE, values.length, buffer.array()));
    return this;
  }

  public GeoTiffFixture shorts(int tag, int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(order);
    for (int value : values) {
      buffer.putShort((short) value);
    }
    extraFields.put(tag, new Field(SHORT, values.length, buffer.array()));
    return this;
  }

  public GeoTiffFixture ascii(int tag, String value) {
    byte[] text = (value + "\0").getBytes(StandardCharsets.ISO_8859_1);
    extraFields.put(tag, new Field(ASCII, text.length, text));
    return this;
  }

  private long[] writtenOffsets = new long[0];
  private long[] writtenByteCounts = new long[0];

  /** Where the last {@link #write} put each strip or tile (plane after plane, row-major), as its directory says. */
  public long[] writtenOffsets() {
    return writtenOffsets.clone();
  }

  /** The stored length of each strip or tile of the last {@link #write}, as its directory says. */
  public long[] writtenByteCounts() {
    return writtenByteCounts.clone();
  }

  public Path write(Path file) throws IOException {
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(ByteBuffer.allocate(8), 0); // header, written last once the directory offset is known
      long position = 8;
      boolean tiled = tileSize > 0;
      int blockWidth = tiled ? tileSize : width;
      int blockHeight = tiled ? tileSize : Math.min(rowsPerStrip, height);
      int across = (width + blockWidth - 1) / blockWidth;
      int down = (height + blockHeight - 1) / blockHeight;
      int planes = planar ? bands : 1;
      long[] offsets = new long[across * down * planes];
      long[] counts = new long[offsets.length];
      int block = 0;
      for (int plane = 0; plane < planes; plane++) {
        for (int row = 0; row < down; row++) {
          for (int column = 0; column < across; column++, block++) {
            int rows = tiled ? blockHeight : Math.min(blockHeight, height - row * blockHeight);
            byte[] stored = compress(blockBytes(plane, column * blockWidth, row * blockHeight, blockWidth, rows));
            offsets[block] = position;
            counts[block] = stored.length;
            position += out.write(ByteBuffer.wrap(stored), position);
            if ((position & 1) == 1) {
              position += out.write(ByteBuffer.allocate(1), position);
            }
          }
        }
      }
      long directoryOffset = position;
      writtenOffsets = offsets;
      writtenByteCounts = counts;
      out.write(directory(directoryOffset, tiled, blockWidth, blockHeight, offsets, counts), directoryOffset);
      ByteBuffer header = ByteBuffer.allocate(8).order(order);
      header.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M')).put(header.get(0));
      header.putShort((short) 42).putInt((int) directoryOffset);
      out.write(header.flip(), 0);
    }
    return file;
  }

  private byte[] blockBytes(int plane, int left, int top, int blockWidth, int rows) {
    int samplesPerPixel = planar ? 1 : bands;
    ByteBuffer buffer = ByteBuffer.allocate(blockWidth * rows * samplesPerPixel * type.bytes()).order(order);
    for (int y = top; y < top + rows; y++) {
      long[] previous = new long[samplesPerPixel];
      for (int x = left; x < left + blockWidth; x++) {
        for (int s = 0; s < samplesPerPixel; s++) {
          int band = planar ? plane : s;
          // Tiles hang over the image edge; the padding holds zeros as GDAL writes it.
          double value = x < width && y < height ? samples.at(band, x, y) : 0;
          long bits = rawBits(value);
          long stored = predictor && x > left ? bits - previous[s] : bits;
          previous[s] = bits;
          switch (type.bytes()) {
            case 1 -> buffer.put((byte) stored);
            case 2 -> buffer.putShort((short) stored);
            case 4 -> buffer.putInt((int) stored);
            default -> buffer.putLong(stored);
          }
        }
      }
    }
    return buffer.array();
  }

  private long rawBits(double value) {
    return switch (type) {
      case FLOAT32 -> Float.floatToRawIntBits((float) value);
      case FLOAT64 -> Double.doubleToRawLongBits(value);
      default -> (long) value;
    };
  }

  private byte[] compress(byte[] raw) {
    return switch (compression) {
      case NONE -> raw;
      case DEFLATE -> deflate(raw);
      case LZW -> lzw(raw);
    };
  }

  static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    deflater.setInput(raw);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
    byte[] chunk = new byte[65_536];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }

  /** TIFF LZW as an encoder independent of the reader's decoder: a string table in a map, codes MSB first. */
  static byte[] lzw(byte[] raw) {
    BitWriter bits = new BitWriter();
    Map<String, Integer> table = new java.util.HashMap<>();
    int width = 9;
    int next = 258;
    bits.write(256, width);
    String current = "";
    for (byte b : raw) {
      String extended = current + (char) (b & 0xFF);
      if (extended.length() == 1 || table.containsKey(extended)) {
        current = extended;
        continue;
      }
      bits.write(codeOf(table, current), width);
      table.put(extended, next++);
      // The decoder, one entry behind, widens "early" at 2^width - 1 of its own entries: that is here.
      if (next >= (1 << width) && width < 12) {
        width++;
      }
      if (next >= 4093) {
        bits.write(256, width);
        table.clear();
        next = 258;
        width = 9;
      }
      current = String.valueOf((char) (b & 0xFF));
    }
    if (!current.isEmpty()) {
      bits.write(codeOf(table, current), width);
      next++;
      if (next >= (1 << width) && width < 12) {
        width++;
      }
    }
    bits.write(257, width);
    return bits.toByteArray();
  }

  private static int codeOf(Map<String, Integer> table, String string) {
    return string.length() == 1 ? string.charAt(0) : table.get(string);
  }

  private static final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long buffer;
    private int count;

    void write(int code, int width) {
      buffer = (buffer << width) | code;
      count += width;
      while (count >= 8) {
        out.write((int) (buffer >>> (count - 8)) & 0xFF);
        count -= 8;
      }
    }

    byte[] toByteArray() {
      if (count > 0) {
        out.write((int) (buffer << (8 - count)) & 0xFF);
        count = 0;
      }
      return out.toByteArray();
    }
  }

  private ByteBuffer directory(long at, boolean tiled, int blockWidth, int blockHeight, long[] offsets,
      long[] counts) {
    Map<Integer, Field> fields = new TreeMap<>(extraFields);
    fields.put(256, longs(width));
    fields.put(257, longs(height));
    fields.put(258, shortsField(repeat(type.bytes() * 8)));
    fields.put(259, shortsField(compression.code));
    fields.put(262, shortsField(bands == 3 && type == SampleType.UINT8 ? 2 : 1));
    fields.put(277, shortsField(bands));
    fields.put(284, shortsField(planar ? 2 : 1));
    if (predictor) {
      fields.put(317, shortsField(2));
    }
    int format = switch (type) {
      case INT8, INT16, INT32 -> 2;
      case FLOAT32, FLOAT64 -> 3;
      default -> 1;
    };
    fields.put(339, shortsField(repeat(format)));
    if (tiled) {
      fields.put(322, longs(blockWidth));
      fields.put(323, longs(blockHeight));
      fields.put(324, longs(offsets));
      fields.put(325, longs(counts));
    } else {
      fields.put(273, longs(offsets));
      fields.put(278, longs(blockHeight));
      fields.put(279, longs(counts));
    }
    int directoryLength = 2 + 12 * fields.size() + 4;
    int extraLength = 0;
    for (Field field : fields.values()) {
      extraLength += field.bytes().length > 4 ? (field.bytes().length + 1) & ~1 : 0;
    }
    ByteBuffer buffer = ByteBuffer.allocate(directoryLength + extraLength).order(order);
    buffer.putShort((short) fields.size());
    long extraAt = at + directoryLength;
    int extraPosition = directoryLength;
    for (Map.Entry<Integer, Field> entry : fields.entrySet()) {
      Field field = entry.getValue();
      buffer.putShort(entry.getKey().shortValue()).putShort((short) field.type()).putInt(field.count());
      if (field.bytes().length > 4) {
        buffer.putInt((int) extraAt);
        buffer.put(extraPosition, field.bytes());
        int padded = (field.bytes().length + 1) & ~1;
        extraAt += padded;
        extraPosition += padded;
      } else {
        byte[] inline = new byte[4];
        System.arraycopy(field.bytes(), 0, inline, 0, field.bytes().length);
        buffer.put(inline);
      }
    }
    buffer.putInt(0);
    buffer.position(0);
    return buffer;
  }

  private int[] repeat(int value) {
    int[] values = new int[bands];
    java.util.Arrays.fill(values, value);
    return values;
  }

  private Field shortsField(int... values) {
    ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(order);
    for (int value : values) {
      buffer.putShort((short) value);
    }
    return new Field(SHORT, values.length, buffer.array());
  }

  private Field longs(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(order);
    for (long value : values) {
      buffer.putInt((int) value);
    }
    return new Field(LONG, values.length, buffer.array());
  }
}
