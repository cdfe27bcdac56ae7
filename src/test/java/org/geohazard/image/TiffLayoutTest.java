package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one decision of whether the window reader takes a TIFF, which also picks the probe's pixel budget. */
class TiffLayoutTest {

  private static final long ONE_ROW = TiffLayout.blockBytes(TiffCompression.NONE, 4, 16, false, false, 0, 0,
      10_980, 10_980);

  @Test
  void compressionsAreDecidedOnceWithTheirCodes() {
    assertThat(TiffCompression.of(1)).contains(TiffCompression.NONE);
    assertThat(TiffCompression.of(8)).contains(TiffCompression.DEFLATE);
    assertThat(TiffCompression.of(32946)).contains(TiffCompression.DEFLATE);
    assertThat(TiffCompression.of(32773)).contains(TiffCompression.PACKBITS);
    assertThat(TiffCompression.of(50000)).isEmpty();
    assertThat(TiffCompression.nameOf(50000)).isEqualTo("Zstandard");
    assertThat(TiffCompression.PACKBITS.windowed()).isFalse();
    assertThat(TiffCompression.LZW.windowed()).isTrue();
  }

  @Test
  void uncompressedStripsAreReadRowByRowWhateverTheirSize() {
    assertThat(ONE_ROW).isEqualTo(10_980L * 4 * 2);
    assertThat(TiffLayout.sceneReaderRefusal(1, TiffCompression.NONE, 16, 1, ONE_ROW, false)).isEmpty();
  }

  @Test
  void compressedStripsAreDecodedWholeAndRefusedOverTheBlockBudget() {
    long wholeScene = TiffLayout.blockBytes(TiffCompression.DEFLATE, 4, 16, false, false, 0, 0, 10_980, 10_980);
    assertThat(wholeScene).isEqualTo(10_980L * 10_980 * 4 * 2);
    assertThat(TiffLayout.sceneReaderRefusal(8, TiffCompression.DEFLATE, 16, 1, wholeScene, false))
        .hasValueSatisfying(why -> assertThat(why).contains("compressed strips of 919 MiB"));
    long tile = TiffLayout.blockBytes(TiffCompression.DEFLATE, 4, 16, false, true, 256, 256, 10_980, 0);
    assertThat(tile).isEqualTo(256L * 256 * 4 * 2);
    assertThat(TiffLayout.sceneReaderRefusal(8, TiffCompression.DEFLATE, 16, 1, tile, true)).isEmpty();
  }

  @Test
  void planarBlocksHoldOneBand() {
    assertThat(TiffLayout.blockBytes(TiffCompression.LZW, 13, 16, true, true, 512, 512, 10_980, 0))
        .isEqualTo(512L * 512 * 2);
  }

  @Test
  void refusesWhatOnlyTheInMemoryDecoderReads() {
    assertThat(TiffLayout.sceneReaderRefusal(32773, TiffCompression.PACKBITS, 8, 1, ONE_ROW, false))
        .hasValue("This TIFF uses compression 32773; the scene reader takes uncompressed, LZW and DEFLATE TIFFs.");
    assertThat(TiffLayout.sceneReaderRefusal(1, TiffCompression.NONE, 12, 1, ONE_ROW, false))
        .hasValueSatisfying(why -> assertThat(why).startsWith("This TIFF has 12-bit samples of format 1"));
    assertThat(TiffLayout.sceneReaderRefusal(1, TiffCompression.NONE, 64, 2, ONE_ROW, false))
        .hasValueSatisfying(why -> assertThat(why).contains("64-bit samples of format 2"));
    assertThat(TiffLayout.sceneReaderRefusal(1, TiffCompression.NONE, 64, 3, ONE_ROW, false)).isEmpty();
  }
}
