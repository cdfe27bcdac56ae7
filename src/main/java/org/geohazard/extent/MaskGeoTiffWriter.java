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
 * writes it; a flood mask is mostly one value and shrinks 50-500×), tiles first and the directories last, so that a
 * scene is written one row of tiles at a time (memory: one row of tiles, 256 × width bytes). Internal overviews
 * follow, each half the size of the one before down to one tile (2 × 2 means; maxima for a 0/1 mask), in directories
 * chained after the first, as GDAL's {@code gdaladdo} writes them: QGIS draws a whole scene from the small ones.
 * Cloud-Optimized in all but the order: a COG puts its directories first, which a writer that streams the tiles
 * cannot without a second pass.
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
    // The full-resolution rows, encoded; then each overview of half the size of the one before, down to one tile.
    List<Level> levels = new ArrayList<>();
    levels.add(new Level(mask.width(), mask.height(), (y, row) -> {
      mask.copyRow(y, row);
      for (int x = 0; x < mask.width(); x++) {
        row[x] = (byte) encode.applyAsInt(row[x] & 0xFF);
      }
    }));
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long position = 8;
      List<long[][]> written = new ArrayList<>();
      Deflater deflater = new Deflater(6);
      try {
        for (Level current = levels.get(0); ; ) {
          long[][] tiles = new long[2][];
          position = writeTiles(out, current, position, deflater, tiles);
          written.add(tiles);
          if (Math.max(current.width(), current.height()) <= TILE) {
            break;
          }
          current = halved(current, encoding);
          levels.add(current);
        }
      } finally {
        deflater.end();
      }
      if (position > 0xFFFF_FFFFL - (1 << 20)) {
        throw new IOException("the mask is too large for a classic TIFF (" + position + " bytes of tiles)");
      }
      // Directories last, chained full resolution first: GDAL and QGIS take the later ones as overviews.
      long at = position + (position & 1);
      long first = at;
      for (int i = 0; i < levels.size(); i++) {
        Level l = levels.get(i);
        boolean last = i == levels.size() - 1;
        ByteBuffer ifd = directory(l.width(), l.height(), i == 0 ? grid : null, encoding, threshold,
            written.get(i)[0], written.get(i)[1], at, 0);
        long next = at + ifd.remaining() + (ifd.remaining() & 1);
        if (!last) {
          ifd = directory(l.width(), l.height(), i == 0 ? grid : null, encoding, threshold, written.get(i)[0],
              written.get(i)[1], at, next);
        }
        writeFully(out, ifd, at);
        at = next;
      }
      ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      header.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt((int) first).flip();
      writeFully(out, header, 0);
    }
  }

  /** One resolution of the file: its size and its rows (already encoded). */
  private record Level(int width, int height, RowSource rows) {
  }

  @FunctionalInterface
  private interface RowSource {
    void row(int y, byte[] destination);
  }

  /**
   * The next overview: each pixel the mean of a 2 × 2 block (the maximum for a 0/1 mask, so a thin flooded river
   * stays visible when zoomed out), held in memory (a quarter of the level before: 30 MB under a 10 980² mask).
   */
  private static Level halved(Level source, Encoding encoding) {
    int width = (source.width() + 1) / 2;
    int height = (source.height() + 1) / 2;
    byte[] pixels = new byte[width * height];
    byte[] upper = new byte[source.width()];
    byte[] lower = new byte[source.width()];
    for (int y = 0; y < height; y++) {
      source.rows().row(2 * y, upper);
      if (2 * y + 1 < source.height()) {
        source.rows().row(2 * y + 1, lower);
      } else {
        System.arraycopy(upper, 0, lower, 0, upper.length);
      }
      for (int x = 0; x < width; x++) {
        int x1 = Math.min(2 * x + 1, source.width() - 1);
        int a = upper[2 * x] & 0xFF;
        int b = upper[x1] & 0xFF;
        int c = lower[2 * x] & 0xFF;
        int d = lower[x1] & 0xFF;
        pixels[y * width + x] = (byte) (encoding == Encoding.FLOODED ? Math.max(Math.max(a, b), Math.max(c, d))
            : (a + b + c + d + 2) / 4);
      }
    }
    return new Level(width, height, (y, row) -> System.arraycopy(pixels, y * width, row, 0, width));
  }

  /** Writes one level's tiles from {@code position}; {@code tiles} gets their offsets and byte counts. */
  private static long writeTiles(FileChannel out, Level level, long position, Deflater deflater, long[][] tiles)
      throws IOException {
    int width = level.width();
    int height = level.height();
    int across = (width + TILE - 1) / TILE;
    int down = (height + TILE - 1) / TILE;
    long[] offsets = new long[across * down];
    long[] counts = new long[across * down];
    byte[] row = new byte[width];
    byte[] band = new byte[TILE * width];
    byte[] tile = new byte[TILE * TILE];
    byte[] compressed = new byte[TILE * TILE + 1024];
    for (int ty = 0; ty < down; ty++) {
      int rows = Math.min(TILE, height - ty * TILE);
      for (int r = 0; r < rows; r++) {
        level.rows().row(ty * TILE + r, row);
        System.arraycopy(row, 0, band, r * width, width);
      }
      for (int tx = 0; tx < across; tx++) {
        int cols = Math.min(TILE, width - tx * TILE);
        Arrays.fill(tile, (byte) 0); // edge tiles are padded to full size, as TIFF requires
        for (int r = 0; r < rows; r++) {
          System.arraycopy(band, r * width + tx * TILE, tile, r * TILE, cols);
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
    tiles[0] = offsets;
    tiles[1] = counts;
    return position;
  }

  private record Entry(int tag, short type, int count, ByteBuffer values) {
  }

  /** One image file directory; {@code grid} null for an overview (NewSubfileType 1, placed by the first). */
  private static ByteBuffer directory(int width, int height, MaskGrid grid, Encoding encoding, double threshold,
                                      long[] offsets, long[] counts, long at, long next) {
    List<Entry> entries = new ArrayList<>();
    if (grid == null) {
      entries.add(longs(254, 1));            // reduced-resolution version of the first image
    }
    entries.add(longs(256, width));
    entries.add(longs(257, height));
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
    if (grid == null) {
      return encode(entries, at, next);
    }
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
    return encode(entries, at, next);
  }

  private static ByteBuffer encode(List<Entry> entries, long at, long next) {
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
    ifd.putInt((int) next); // the next directory (an overview), or 0
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
