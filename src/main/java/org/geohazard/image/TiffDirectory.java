package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The one parser of a classic TIFF's first image file directory (IFD), wherever in the file it is: its entries by
 * tag and typed readers for their values. The header probe ({@link TiffHeaderReader}) and the window reader
 * ({@link GeoTiffRaster}, through the probe's {@link TiffLayout}) both read the directory through this class, once.
 *
 * <p>Reads go through a {@link ByteSource}, so only the directory and the arrays asked for are loaded, and a value
 * that lies past the end of the file surfaces as an {@link java.io.EOFException}, which {@link ImageProbe} reports
 * as {@code truncated_image}. Only the first image is read: GeoTIFFs keep the full-resolution raster there and
 * overviews after it. Not thread-safe (neither is its source): read what you need while opening the file.
 */
final class TiffDirectory {

  static final int HEADER_LENGTH = 8;

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
  /** A real IFD has a few dozen entries; the cap bounds what a crafted count of 65 535 makes us read. */
  private static final int MAX_ENTRIES = 4096;
  /** Bounds what one crafted field can make us allocate; a 10980² scene's tile table is a few KB. */
  private static final long MAX_FIELD_BYTES = 64L << 20;

  /** One 12-byte entry: its type, value count and the 4 bytes that hold the values or their offset. */
  private record Entry(int type, long count, byte[] inlineValue) {
  }

  private final ByteSource source;
  private final ByteOrder order;
  private final Map<Integer, Entry> entries = new HashMap<>();

  private TiffDirectory(ByteSource source, ByteOrder order) {
    this.source = source;
    this.order = order;
  }

  /** @param source a file that starts with a classic TIFF header ("II*\0" or "MM\0*"), as {@link ImageProbe} checks */
  static TiffDirectory readFirst(ByteSource source) throws IOException, InvalidImageException {
    ByteOrder order = source.u8(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    long ifdOffset = source.u32(4, order);
    if (ifdOffset < HEADER_LENGTH) {
      throw invalid("The TIFF file is corrupt: its first image directory is at byte " + ifdOffset
          + ", inside the file header.");
    }
    if (ifdOffset >= source.size()) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The TIFF file is incomplete: its image directory is at byte "
          + ifdOffset + " but the file is only " + source.size() + " bytes long.");
    }
    int entryCount = source.u16(ifdOffset, order);
    if (entryCount == 0 || entryCount > MAX_ENTRIES) {
      throw invalid("The TIFF file is corrupt: its image directory has " + entryCount + " entries.");
    }
    ByteBuffer table = ByteBuffer.wrap(source.read(ifdOffset + 2, entryCount * ENTRY_LENGTH)).order(order);
    TiffDirectory directory = new TiffDirectory(source, order);
    for (int at = 0; at < table.capacity(); at += ENTRY_LENGTH) {
      int tag = table.getShort(at) & 0xFFFF;
      int type = table.getShort(at + 2) & 0xFFFF;
      long count = table.getInt(at + 4) & 0xFFFF_FFFFL;
      byte[] inline = new byte[4];
      table.get(at + 8, inline);
      directory.entries.putIfAbsent(tag, new Entry(type, count, inline)); // the first of duplicate tags wins
    }
    return directory;
  }

  ByteOrder order() {
    return order;
  }

  boolean has(int tag) {
    return entries.containsKey(tag);
  }

  /** The first value of an unsigned integer field that must be present. */
  long required(int tag, String name) throws IOException, InvalidImageException {
    if (!has(tag)) {
      throw invalid("The TIFF header is invalid: it has no " + name + " field.");
    }
    return single(tag, 0);
  }

  /** The first value of an unsigned integer field, or {@code valueIfAbsent}. */
  long single(int tag, long valueIfAbsent) throws IOException, InvalidImageException {
    return has(tag) ? firstValues(tag, "tag " + tag, 1)[0] : valueIfAbsent;
  }

  /** A per-band field that must have one value for all bands; writers may store it once or once per band. */
  int sameForAllBands(int tag, String name, int bands, int valueIfAbsent) throws IOException, InvalidImageException {
    if (!has(tag)) {
      return valueIfAbsent;
    }
    long count = entries.get(tag).count();
    if (count == 0) {
      throw invalid("The TIFF header is invalid: its " + name + " field is empty.");
    }
    long[] values = firstValues(tag, name, (int) Math.min(count, bands));
    for (long value : values) {
      if (value != values[0]) {
        throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE, "This TIFF has a different " + name
            + " per band; all bands must be alike.");
      }
    }
    return (int) Math.min(values[0], Integer.MAX_VALUE);
  }

  /**
   * The first {@code n} values of an unsigned integer field (BYTE, SHORT or LONG), which must have at least
   * {@code n}; reads those and no more, so a crafted count costs nothing.
   */
  long[] firstValues(int tag, String name, int n) throws IOException, InvalidImageException {
    Entry entry = entries.get(tag);
    if (entry == null) {
      throw invalid("The TIFF header is invalid: it has no " + name + " field.");
    }
    int size = switch (entry.type()) {
      case TYPE_BYTE -> 1;
      case TYPE_SHORT -> 2;
      case TYPE_LONG -> 4;
      default -> throw invalid("The TIFF header is invalid: its " + name + " field has type " + entry.type()
          + " instead of an unsigned integer.");
    };
    if (entry.count() < n) {
      throw invalid("The TIFF header is invalid: its " + name + " field has " + entry.count() + " values, "
          + n + " expected.");
    }
    ByteBuffer data = entry.count() * size <= 4
        ? inline(entry) // small values are stored in the entry itself
        : ByteBuffer.wrap(source.read(offset(entry), n * size)).order(order);
    long[] values = new long[n];
    for (int i = 0; i < n; i++) {
      values[i] = switch (size) {
        case 1 -> data.get(i) & 0xFF;
        case 2 -> data.getShort(2 * i) & 0xFFFF;
        default -> data.getInt(4 * i) & 0xFFFF_FFFFL;
      };
    }
    return values;
  }

  /**
   * Every value of an integer field of any integer type (BYTE, SHORT, LONG, their signed forms, UNDEFINED), widened
   * to long: what the GeoTIFF key directory needs, whose writers are less careful about types.
   */
  long[] longs(int tag) throws IOException, InvalidImageException {
    Entry entry = present(tag);
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
        default -> throw invalidField("its tag " + tag + " has type " + entry.type() + " instead of an integer");
      };
    }
    return values;
  }

  /** Every value of a numeric field as a double (GeoTIFF's doubles, but writers also use FLOAT or integers). */
  double[] doubles(int tag) throws IOException, InvalidImageException {
    Entry entry = present(tag);
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
    Entry entry = present(tag);
    if (entry.type() != TYPE_ASCII && entry.type() != TYPE_BYTE && entry.type() != TYPE_UNDEFINED) {
      throw invalidField("its tag " + tag + " has type " + entry.type() + " instead of text");
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

  private Entry present(int tag) throws InvalidImageException {
    Entry entry = entries.get(tag);
    if (entry == null) {
      throw invalidField("it has no field " + tag);
    }
    return entry;
  }

  /** All values of a field, bounded by {@link #MAX_FIELD_BYTES}. */
  private ByteBuffer values(int tag, Entry entry) throws IOException, InvalidImageException {
    long length = entry.count() * typeSize(tag, entry.type());
    if (length > MAX_FIELD_BYTES) {
      throw invalidField("its tag " + tag + " claims " + entry.count() + " values");
    }
    if (length <= 4) {
      return inline(entry); // small values live in the entry itself
    }
    return ByteBuffer.wrap(source.read(offset(entry), (int) length)).order(order);
  }

  private ByteBuffer inline(Entry entry) {
    return ByteBuffer.wrap(entry.inlineValue()).order(order);
  }

  private long offset(Entry entry) {
    return inline(entry).getInt(0) & 0xFFFF_FFFFL;
  }

  private static int typeSize(int tag, int type) throws InvalidImageException {
    return switch (type) {
      case TYPE_BYTE, TYPE_ASCII, TYPE_SBYTE, TYPE_UNDEFINED -> 1;
      case TYPE_SHORT, TYPE_SSHORT -> 2;
      case TYPE_LONG, TYPE_SLONG, TYPE_FLOAT -> 4;
      case TYPE_RATIONAL, TYPE_SRATIONAL, TYPE_DOUBLE -> 8;
      default -> throw invalidField("its tag " + tag + " has unknown type " + type);
    };
  }

  private static InvalidImageException invalid(String message) {
    return new InvalidImageException(INVALID_IMAGE, message);
  }

  private static InvalidImageException invalidField(String what) {
    return invalid("The TIFF header is invalid: " + what + ".");
  }
}
