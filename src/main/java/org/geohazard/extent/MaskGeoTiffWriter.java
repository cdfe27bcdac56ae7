package org.geohazard.extent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.zip.Deflater;

/**
 * Writes a {@link SceneMask} as a single-band 8-bit GeoTIFF that GDAL, QGIS and the project's own reader
 * ({@code org.geohazard.image.GeoTiffRaster} with {@code org.geohazard.geo.GeoReference}) open with the mask grid's
 * georeference.
 *
 * <p>Layout: classic little-endian TIFF, 256 × 256 tiles, each Deflate-compressed (zlib, compression 8 as GDAL
 * writes it; a flood mask is mostly one value and shrinks 50-500×), tiles first and the directory last, so that a
 * scene is written one row of tiles at a time (memory: one row of tiles, 256 × width bytes). Not Cloud-Optimized:
 * a COG needs its directory first and overviews; this file has neither.
 *
 * <p>Georeference: ModelPixelScale + ModelTiepoint for a north-up grid, ModelTransformation when the grid is rotated;
 * GeoKeys GTModelType (projected or geographic), GTRasterType = PixelIsArea (the tie point is the upper-left corner
 * of the upper-left pixel, GDAL's convention) and ProjectedCSType or GeographicType = the scene's EPSG code.
 */
public final class MaskGeoTiffWriter {

  /** What a pixel of the written file holds. */
  public enum Encoding {
    /** The flood probability as round(p · 255), 0..255; the file's pixels are the mask's own levels. */
    PROBABILITY,
    /** 1 where the probability reaches the threshold, else 0: a flood/no-flood layer. */
    FLOODED
  }

  static final int TILE = 256;
  private static final short ASCII = 2;
  private static final short SHORT = 3;
  private static final short LONG = 4;
  private static final short DOUBLE = 12;
  private static final int PIXEL_IS_AREA = 1;

  private MaskGeoTiffWriter() {
  }

  /**
   * Writes {@code mask} on {@code grid} to {@code file} (replaced if present).
   *
   * @param threshold the flood probability threshold; used by {@link Encoding#FLOODED} and recorded in the file's
   *     ImageDescription either way
   */
  public static void write(Path file, SceneMask mask, MaskGrid grid, Encoding encoding, double threshold)
      throws IOException {
    if (mask.width() != grid.width() || mask.height() != grid.height()) {
      throw new IllegalArgumentException("mask " + mask.width() + " x " + mask.height() + " on a grid of "
          + grid.width() + " x " + grid.height());
    }
    int level = SceneMask.thresholdLevel(threshold);
    IntUnaryOperator encode = encoding == Encoding.FLOODED ? v -> v >= level ? 1 : 0 : v -> v;
    int across = (mask.width() + TILE - 1) / TILE;
    int down = (mask.height() + TILE - 1) / TILE;
    long[] offsets = new long[across * down];
    long[] counts = new long[across * down];
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long position = 8;
      byte[] row = new byte[mask.width()];
      byte[] band = new byte[TILE * mask.width()];
      byte[] tile = new byte[TILE * TILE];
      byte[] compressed = new byte[TILE * TILE + 1024];
      Deflater deflater = new Deflater(6);
      try {
        for (int ty = 0; ty < down; ty++) {
          int rows = Math.min(TILE, mask.height() - ty * TILE);
          for (int r = 0; r < rows; r++) {
            mask.copyRow(ty * TILE + r, row);
            for (int x = 0; x < row.length; x++) {
              band[r * mask.width() + x] = (byte) encode.applyAsInt(row[x] & 0xFF);
            }
          }
          for (int tx = 0; tx < across; tx++) {
            int cols = Math.min(TILE, mask.width() - tx * TILE);
            Arrays.fill(tile, (byte) 0); // edge tiles are padded to full size, as TIFF requires
            for (int r = 0; r < rows; r++) {
              System.arraycopy(band, r * mask.width() + tx * TILE, tile, r * TILE, cols);
            }
            deflater.reset();
            deflater.setInput(tile);
            deflater.finish();
            int length = 0;
            while (!deflater.finished()) {
              if (length == compressed.length) {
                compressed = Arrays.copyOf(compressed, compressed.length * 2);
              }
              length += deflater.deflate(compressed, length, compressed.length - length);
            }
            int index = ty * across + tx;
            offsets[index] = position;
            counts[index] = length;
            position += writeFully(out, ByteBuffer.wrap(compressed, 0, length), position);
          }
        }
      } finally {
        deflater.end();
      }
      if (position > 0xFFFF_FFFFL - (1 << 20)) {
        throw new IOException("the mask is too large for a classic TIFF (" + position + " bytes of tiles)");
      }
      long directory = position + (position & 1);
      writeFully(out, directory(mask, grid, encoding, threshold, offsets, counts, directory), directory);
      ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      header.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) directory).flip();
      writeFully(out, header, 0);
    }
  }

  private record Entry(int tag, short type, int count, ByteBuffer values) {
  }

  private static ByteBuffer directory(SceneMask mask, MaskGrid grid, Encoding encoding, double threshold,
                                      long[] offsets, long[] counts, long at) {
    List<Entry> entries = new ArrayList<>();
    entries.add(longs(256, mask.width()));
    entries.add(longs(257, mask.height()));
    entries.add(shorts(258, 8));
    entries.add(shorts(259, 8));             // Deflate (zlib), as GDAL writes it
    entries.add(shorts(262, 1));             // BlackIsZero
    entries.add(ascii(270, description(encoding, threshold)));
    entries.add(shorts(277, 1));
    entries.add(shorts(284, 1));
    entries.add(shorts(322, TILE));
    entries.add(shorts(323, TILE));
    entries.add(longs(324, offsets));
    entries.add(longs(325, counts));
    entries.add(shorts(339, 1));             // unsigned integer samples
    double[] affine = grid.affine();
    boolean northUp = affine[1] == 0 && affine[3] == 0;
    if (northUp) {
      entries.add(doubles(33550, affine[0], -affine[4], 0));
      entries.add(doubles(33922, 0, 0, 0, affine[2], affine[5], 0));
    } else {
      entries.add(doubles(34264, affine[0], affine[1], 0, affine[2], affine[3], affine[4], 0, affine[5],
          0, 0, 0, 0, 0, 0, 0, 1));
    }
    boolean projected = grid.reference().projected();
    entries.add(shorts(34735, 1, 1, 0, 3,
        1024, 0, 1, projected ? 1 : 2,
        1025, 0, 1, PIXEL_IS_AREA,
        projected ? 3072 : 2048, 0, 1, grid.reference().epsg()));
    int valuesAt = (int) at + 2 + entries.size() * 12 + 4;
    ByteBuffer ifd = ByteBuffer.allocate(valuesAt - (int) at
        + entries.stream().mapToInt(e -> e.values().remaining() + 1).sum()).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer extra = ByteBuffer.allocate(ifd.capacity()).order(ByteOrder.LITTLE_ENDIAN);
    ifd.putShort((short) entries.size());
    for (Entry e : entries) {
      ifd.putShort((short) e.tag()).putShort(e.type()).putInt(e.count());
      if (e.values().remaining() <= 4) {
        byte[] inline = new byte[4];
        e.values().get(inline, 0, e.values().remaining());
        ifd.put(inline);
      } else {
        if (((valuesAt + extra.position()) & 1) != 0) {
          extra.put((byte) 0); // values start on a word boundary
        }
        ifd.putInt(valuesAt + extra.position());
        extra.put(e.values());
      }
    }
    ifd.putInt(0); // no next directory
    extra.flip();
    ifd.put(extra);
    return ifd.flip();
  }

  private static String description(Encoding encoding, double threshold) {
    return encoding == Encoding.FLOODED
        ? "geohazard flood mask: 1 = flood probability >= " + threshold + ", 0 = not"
        : "geohazard flood probability x 255 (flooded from " + SceneMask.thresholdLevel(threshold) + ")";
  }

  private static Entry shorts(int tag, int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return new Entry(tag, SHORT, values.length, b.flip());
  }

  private static Entry longs(int tag, long... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putInt((int) v);
    }
    return new Entry(tag, LONG, values.length, b.flip());
  }

  private static Entry doubles(int tag, double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return new Entry(tag, DOUBLE, values.length, b.flip());
  }

  private static Entry ascii(int tag, String text) {
    byte[] bytes = (text + "\0").getBytes(StandardCharsets.US_ASCII);
    return new Entry(tag, ASCII, bytes.length, ByteBuffer.wrap(bytes));
  }

  private static int writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
    int written = 0;
    while (buffer.hasRemaining()) {
      written += out.write(buffer, position + written);
    }
    return written;
  }
}
