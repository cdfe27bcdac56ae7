package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.geohazard.image.GeoTiffFixture.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlockDecoderTest {

  /** A block 3 pixels wide, 2 rows, 2 samples per pixel. */
  private static final int WIDTH = 3;
  private static final int ROWS = 2;
  private static final int SAMPLES = 2;

  private static long sample(int i, SampleType type) {
    long base = (i * 7919L) % 200;
    return switch (type.bytes()) {
      case 1 -> 240 + base % 16 - (i % 2) * 200; // wraps around a byte's range from pixel to pixel
      case 2 -> i % 2 == 0 ? 60_000 - base * 300 : base * 300;
      case 4 -> i % 2 == 0 ? -2_000_000_000L + base : 2_000_000_000L - base;
      default -> i % 2 == 0 ? Long.MIN_VALUE + base : Long.MAX_VALUE - base;
    };
  }

  /** The block's samples as stored: each sample minus its left neighbour's when {@code differenced}. */
  private static byte[] block(SampleType type, ByteOrder order, boolean differenced) {
    ByteBuffer buffer = ByteBuffer.allocate(WIDTH * ROWS * SAMPLES * type.bytes()).order(order);
    for (int i = 0; i < WIDTH * ROWS * SAMPLES; i++) {
      boolean firstOfRow = (i % (WIDTH * SAMPLES)) < SAMPLES;
      long value = sample(i, type) - (differenced && !firstOfRow ? sample(i - SAMPLES, type) : 0);
      switch (type.bytes()) {
        case 1 -> buffer.put((byte) value);
        case 2 -> buffer.putShort((short) value);
        case 4 -> buffer.putInt((int) value);
        default -> buffer.putLong(value);
      }
    }
    return buffer.array();
  }

  private static byte[] compressed(Compression compression, byte[] raw) {
    return switch (compression) {
      case NONE -> raw;
      case LZW -> GeoTiffFixture.lzw(raw);
      case DEFLATE -> GeoTiffFixture.deflate(raw);
    };
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void undoesHorizontalDifferencingForEverySampleSizeAndByteOrder(Compression compression) throws Exception {
    for (SampleType type : new SampleType[] {SampleType.UINT8, SampleType.UINT16, SampleType.INT32,
        SampleType.FLOAT64}) {
      for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
        BlockDecoder decoder = new BlockDecoder(TiffCompression.valueOf(compression.name()), true, type,
            order, WIDTH);
        byte[] decoded = new byte[WIDTH * ROWS * SAMPLES * type.bytes()];
        decoder.decode(compressed(compression, block(type, order, true)), decoded, ROWS, SAMPLES);
        assertThat(decoded).as("%s %s", type, order).isEqualTo(block(type, order, false));
      }
    }
  }

  @Test
  void aBlockThatDecodesShortOrCorruptIsAnInvalidImage() {
    BlockDecoder deflate = new BlockDecoder(TiffCompression.DEFLATE, false, SampleType.UINT16,
        ByteOrder.LITTLE_ENDIAN, WIDTH);
    byte[] oneRow = GeoTiffFixture.deflate(new byte[WIDTH * SAMPLES * 2]);
    assertThatThrownBy(() -> deflate.decode(oneRow, new byte[WIDTH * ROWS * SAMPLES * 2], ROWS, SAMPLES))
        .isInstanceOf(InvalidImageException.class).hasMessageContaining("decodes to 12 bytes, 24 expected");
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThatThrownBy(() -> deflate.decode(garbage, new byte[24], ROWS, SAMPLES))
        .isInstanceOf(InvalidImageException.class)
        .extracting(e -> ((InvalidImageException) e).code()).isEqualTo("invalid_image");
  }

  @Test
  void copiesTheSampledColumnsOfOneBandAsFloats() {
    // Two samples per pixel; band 1 of columns 0, 2 and 3 of a block starting at column 10.
    int[] columns = {10, 12, 13};
    ByteBuffer int16 = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    for (short value : new short[] {0, -5, 0, 7, 0, -32_768, 0, 32_767}) {
      int16.putShort(value);
    }
    float[] out = new float[5];
    new BlockDecoder(TiffCompression.NONE, false, SampleType.INT16, ByteOrder.BIG_ENDIAN, 4)
        .copySamples(int16.array(), 1, columns, 10, 0, 3, 2, out, 2);
    assertThat(out).containsExactly(0, 0, -5, -32_768, 32_767);

    ByteBuffer uint32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putFloat(0);
    new BlockDecoder(TiffCompression.NONE, false, SampleType.UINT32, ByteOrder.LITTLE_ENDIAN, 2)
        .copySamples(uint32.array(), 0, new int[] {0}, 0, 0, 1, 1, out, 0);
    assertThat(out[0]).isEqualTo(4_294_967_295f);

    ByteBuffer float32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1.5f).putFloat(Float.NaN);
    new BlockDecoder(TiffCompression.NONE, false, SampleType.FLOAT32, ByteOrder.LITTLE_ENDIAN, 2)
        .copySamples(float32.array(), 0, new int[] {0, 1}, 0, 0, 2, 1, out, 0);
    assertThat(out[0]).isEqualTo(-1.5f);
    assertThat(out[1]).isNaN();
  }
}
