package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The first image file directory of a classic TIFF with fields of every type, read through positional reads of a
 * {@link FileChannel} so that nothing but the directory and the arrays asked for is loaded. {@link TiffHeaderReader}
 * only needs unsigned integers; the windowed raster reader also needs the doubles and strings of the GeoTIFF tags.
 */
final class TiffDirectory {

  private static final int TYPE_BYTE = 1;
  private static final int TYPE_ASCII = 2;
  private static final int TYPE_SHORT = 3;
  private static final int TYPE_LONG = 4;
  private static final int TYPE_RATIONAL = 5;
  private static final int TYPE_SBYTE = 6;
  private static final int TYPE_UNDEFINED = 7;
  private static final int TYPE_SSHORT = 8;
  private static final int TYPE_SLONG = 9;
  private static final int TYPE_SRATIONAL = 10;
  private static final int TYPE_FLOAT = 11;
  private static final int TYPE_DOUBLE = 12;

  private static final int ENTRY_LENGTH = 12;
  /** Bounds what one crafted field can make us allocate; a 10980² scene's tile table is a few KB. */
  private static final long MAX_FIELD_BYTES = 64L << 20;

  private record Entry(int type, long count, byte[] inlineValue) {
  }

  private final FileChannel channel;
  private final ByteOrder order;
  private final Map<Integer, Entry> entries = new HashMap<>();

  private TiffDirectory(FileChannel channel, ByteOrder order) {
    this.channel = channel;
    this.order = order;
  }

  static TiffDirectory readFirst(FileChannel channel) throws IOException, InvalidImageException {
    ByteBuffer header = read(channel, 0, 8, ByteOrder.LITTLE_ENDIAN);
    ByteOrder order = header.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    header.order(order);
    if (header.getShort(2) != 42) {
      throw new InvalidImageException(INVALID_IMAGE, "The file is not a classic TIFF.");
    }
    long ifdOffset = header.getInt(4) & 0xFFFF_FFFFL;
    TiffDirectory directory = new TiffDirectory(channel, order);
    int count = read(channel, ifdOffset, 2, order).getShort(0) & 0xFFFF;
    ByteBuffer table = read(channel, ifdOffset + 2, count * ENTRY_LENGTH, order);
    for (int i = 0; i < count; i++) {
      int at = i * ENTRY_LENGTH;
      int tag = table.getShort(at) & 0xFFFF;
      int type = table.getShort(at + 2) & 0xFFFF;
      long valueCount = table.getInt(at + 4) & 0xFFFF_FFFFL;
      byte[] inline = new byte[4];
      table.get(at + 8, inline);
      directory.entries.putIfAbsent(tag, new Entry(type, valueCount, inline));
    }
    return directory;
  }

  ByteOrder order() {
    return order;
  }

  boolean has(int tag) {
    return entries.containsKey(tag);
  }

  /** The first value of an integer field, or {@code valueIfAbsent}. */
  long single(int tag, long valueIfAbsent) throws IOException, InvalidImageException {
    return has(tag) ? longs(tag)[0] : valueIfAbsent;
  }

  /** Every value of an integer field (BYTE, SHORT, LONG and their signed forms), widened to long. */
  long[] longs(int tag) throws IOException, InvalidImageException {
    Entry entry = required(tag);
    ByteBuffer data = values(tag, entry);
    long[] values = new long[(int) entry.count()];
    for (int i = 0; i < values.length; i++) {
      values[i] = switch (entry.type()) {
        case TYPE_BYTE, TYPE_UNDEFINED -> data.get(i) & 0xFF;
        case TYPE_SBYTE -> data.get(i);
        case TYPE_SHORT -> data.getShort(2 * i) & 0xFFFF;
        case TYPE_SSHORT -> data.getShort(2 * i);
        case TYPE_LONG -> data.getInt(4 * i) & 0xFFFF_FFFFL;
        case TYPE_SLONG -> data.getInt(4 * i);
        default -> throw invalid("its tag " + tag + " has type " + entry.type() + " instead of an integer");
      };
    }
    return values;
  }

  /** Every value of a numeric field as a double (GeoTIFF's doubles, but writers also use FLOAT or integers). */
  double[] doubles(int tag) throws IOException, InvalidImageException {
    Entry entry = required(tag);
    return switch (entry.type()) {
      case TYPE_DOUBLE, TYPE_FLOAT, TYPE_RATIONAL, TYPE_SRATIONAL -> {
        ByteBuffer data = values(tag, entry);
        double[] values = new double[(int) entry.count()];
        for (int i = 0; i < values.length; i++) {
          values[i] = switch (entry.type()) {
            case TYPE_DOUBLE -> data.getDouble(8 * i);
            case TYPE_FLOAT -> data.getFloat(4 * i);
            case TYPE_RATIONAL -> (data.getInt(8 * i) & 0xFFFF_FFFFL) / (double) (data.getInt(8 * i + 4) & 0xFFFF_FFFFL);
            default -> data.getInt(8 * i) / (double) data.getInt(8 * i + 4);
          };
        }
        yield values;
      }
      default -> {
        long[] integers = longs(tag);
        double[] values = new double[integers.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = integers[i];
        }
        yield values;
      }
    };
  }

  /** An ASCII field without its terminating NUL. */
  String ascii(int tag) throws IOException, InvalidImageException {
    Entry entry = required(tag);
    if (entry.type() != TYPE_ASCII && entry.type() != TYPE_BYTE && entry.type() != TYPE_UNDEFINED) {
      throw invalid("its tag " + tag + " has type " + entry.type() + " instead of text");
    }
    ByteBuffer data = values(tag, entry);
    byte[] bytes = new byte[(int) entry.count()];
    data.get(0, bytes);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
  }

  private Entry required(int tag) throws InvalidImageException {
    Entry entry = entries.get(tag);
    if (entry == null) {
      throw invalid("it has no field " + tag);
    }
    return entry;
  }

  private ByteBuffer values(int tag, Entry entry) throws IOException, InvalidImageException {
    long length = entry.count() * typeSize(tag, entry.type());
    if (length > MAX_FIELD_BYTES) {
      throw invalid("its tag " + tag + " claims " + entry.count() + " values");
    }
    if (length <= 4) {
      return ByteBuffer.wrap(entry.inlineValue()).order(order); // small values live in the entry itself
    }
    long offset = ByteBuffer.wrap(entry.inlineValue()).order(order).getInt(0) & 0xFFFF_FFFFL;
    return read(channel, offset, (int) length, order);
  }

  private static int typeSize(int tag, int type) throws InvalidImageException {
    return switch (type) {
      case TYPE_BYTE, TYPE_ASCII, TYPE_SBYTE, TYPE_UNDEFINED -> 1;
      case TYPE_SHORT, TYPE_SSHORT -> 2;
      case TYPE_LONG, TYPE_SLONG, TYPE_FLOAT -> 4;
      case TYPE_RATIONAL, TYPE_SRATIONAL, TYPE_DOUBLE -> 8;
      default -> throw invalid("its tag " + tag + " has unknown type " + type);
    };
  }

  static ByteBuffer read(FileChannel channel, long position, int length, ByteOrder order) throws IOException,
      InvalidImageException {
    if (position < 0 || position + length > channel.size()) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The TIFF file is incomplete: it needs " + length
          + " bytes at offset " + position + " but is only " + channel.size() + " bytes long.");
    }
    ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new EOFException("the file became shorter while it was read, at offset " + position);
      }
    }
    return buffer.flip();
  }

  private static InvalidImageException invalid(String what) {
    return new InvalidImageException(INVALID_IMAGE, "The TIFF header is invalid: " + what + ".");
  }
}
