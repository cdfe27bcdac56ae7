package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The strips or tiles of one raster from their stored bytes to samples: decompression (none, LZW, DEFLATE), the
 * check that a block decodes to its full size, horizontal differencing (predictor 2) undone, and the samples of a
 * decoded block read as floats. Holds no state between blocks, so one decoder serves every thread of a raster.
 */
final class BlockDecoder {

  private final TiffCompression compression;
  private final boolean horizontalDifferencing;
  private final SampleType sampleType;
  private final ByteOrder order;
  /** Pixels per row of a block. */
  private final int blockWidth;
  private final VarHandle shortView;
  private final VarHandle intView;
  private final VarHandle longView;

  BlockDecoder(TiffCompression compression, boolean horizontalDifferencing, SampleType sampleType, ByteOrder order,
      int blockWidth) {
    this.compression = compression;
    this.horizontalDifferencing = horizontalDifferencing;
    this.sampleType = sampleType;
    this.order = order;
    this.blockWidth = blockWidth;
    shortView = MethodHandles.byteArrayViewVarHandle(short[].class, order);
    intView = MethodHandles.byteArrayViewVarHandle(int[].class, order);
    longView = MethodHandles.byteArrayViewVarHandle(long[].class, order);
  }

  /**
   * Decodes a block's stored bytes into {@code decoded} (a block's full size) and undoes the predictor.
   *
   * @param rowsInBlock rows the block must decode to (a file's last strip may be shorter than the others)
   * @param samplesPerPixel samples per pixel of a block: the bands, or 1 in planar layout
   * @throws InvalidImageException if the stored bytes are corrupt or decode to fewer than {@code rowsInBlock} rows
   */
  void decode(byte[] stored, byte[] decoded, int rowsInBlock, int samplesPerPixel) throws InvalidImageException {
    int produced;
    switch (compression) {
      case NONE -> {
        produced = Math.min(stored.length, decoded.length);
        System.arraycopy(stored, 0, decoded, 0, produced);
      }
      case LZW -> {
        try {
          produced = TiffLzw.decode(stored, decoded);
        } catch (IllegalArgumentException e) {
          throw new InvalidImageException(INVALID_IMAGE, "The TIFF image data is corrupt: " + e.getMessage(), e);
        }
      }
      default -> produced = inflate(stored, decoded);
    }
    long rowBytes = (long) blockWidth * samplesPerPixel * sampleType.bytes();
    if (produced < rowsInBlock * rowBytes) {
      throw new InvalidImageException(INVALID_IMAGE, "The TIFF image data is corrupt: a block decodes to "
          + produced + " bytes, " + rowsInBlock * rowBytes + " expected.");
    }
    if (horizontalDifferencing) {
      undoHorizontalDifferencing(decoded, rowsInBlock, samplesPerPixel);
    }
  }

  private static int inflate(byte[] stored, byte[] decoded) throws InvalidImageException {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(stored);
      int produced = 0;
      while (produced < decoded.length && !inflater.finished()) {
        int n = inflater.inflate(decoded, produced, decoded.length - produced);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        produced += n;
      }
      return produced;
    } catch (DataFormatException e) {
      throw new InvalidImageException(INVALID_IMAGE, "The TIFF image data is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /**
   * Predictor 2: each sample after the first of a row is stored as the difference to its left neighbour. Summed
   * per sample position with a running total in a local; the 8- and 16-bit loops are spelled out because this is
   * the hottest loop of a scene read (a VarHandle get and set per sample cost three times as much).
   */
  private void undoHorizontalDifferencing(byte[] block, int rows, int samplesPerPixel) {
    int rowSamples = blockWidth * samplesPerPixel;
    boolean little = order == ByteOrder.LITTLE_ENDIAN;
    for (int row = 0; row < rows; row++) {
      int start = row * rowSamples;
      int end = start + rowSamples;
      for (int first = start; first < start + samplesPerPixel; first++) {
        switch (sampleType.bytes()) {
          case 1 -> {
            byte total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += block[i];
              block[i] = total;
            }
          }
          case 2 -> {
            int total = 0;
            int high = little ? 1 : 0;
            int low = 1 - high;
            for (int at = 2 * first; at < 2 * end; at += 2 * samplesPerPixel) {
              total += (block[at + high] << 8) | (block[at + low] & 0xFF);
              block[at + low] = (byte) total;
              block[at + high] = (byte) (total >> 8);
            }
          }
          case 4 -> {
            int total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += (int) intView.get(block, i * 4);
              intView.set(block, i * 4, total);
            }
          }
          default -> {
            long total = 0;
            for (int i = first; i < end; i += samplesPerPixel) {
              total += (long) longView.get(block, i * 8);
              longView.set(block, i * 8, total);
            }
          }
        }
      }
    }
  }

  /**
   * {@code destination[out + ox]} for {@code ox} in {@code [oxStart, oxEnd)}: the samples of one row of a block, at
   * {@code rowFirstSample + (sourceColumns[ox] - blockLeft) * stride}. The most common types (8 and 16 bits) have their
   * own loops with the byte order resolved once per row: this is the hottest loop of a scene read, and a per-sample
   * type switch through a VarHandle held in a field (not a constant the JIT can fold) made the Sentinel-2-sized
   * scene's decoding cost 10.4 s of CPU instead of 7.0 ({@code ScenePipelineBenchmark}).
   */
  void copySamples(byte[] block, int rowFirstSample, int[] sourceColumns, int blockLeft, int oxStart,
      int oxEnd, int stride, float[] destination, int out) {
    switch (sampleType) {
      case UINT8 -> {
        for (int ox = oxStart; ox < oxEnd; ox++) {
          destination[out + ox] = block[rowFirstSample + (sourceColumns[ox] - blockLeft) * stride] & 0xFF;
        }
      }
      case UINT16, INT16 -> {
        int high = order == ByteOrder.LITTLE_ENDIAN ? 1 : 0;
        int low = 1 - high;
        boolean signed = sampleType == SampleType.INT16;
        for (int ox = oxStart; ox < oxEnd; ox++) {
          int at = 2 * (rowFirstSample + (sourceColumns[ox] - blockLeft) * stride);
          int value = (block[at + high] << 8) | (block[at + low] & 0xFF);
          destination[out + ox] = signed ? (short) value : value & 0xFFFF;
        }
      }
      default -> {
        for (int ox = oxStart; ox < oxEnd; ox++) {
          destination[out + ox] = sampleAt(block, rowFirstSample + (sourceColumns[ox] - blockLeft) * stride);
        }
      }
    }
  }

  private float sampleAt(byte[] block, int sample) {
    return switch (sampleType) {
      case UINT8 -> block[sample] & 0xFF;
      case INT8 -> block[sample];
      case UINT16 -> (short) shortView.get(block, sample * 2) & 0xFFFF;
      case INT16 -> (short) shortView.get(block, sample * 2);
      case UINT32 -> (int) intView.get(block, sample * 4) & 0xFFFF_FFFFL;
      case INT32 -> (int) intView.get(block, sample * 4);
      case FLOAT32 -> Float.intBitsToFloat((int) intView.get(block, sample * 4));
      case FLOAT64 -> (float) Double.longBitsToDouble((long) longView.get(block, sample * 8));
    };
  }
}
