package org.geohazard.image;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.geohazard.testing.TestImages.encode;
import static org.geohazard.testing.TestImages.gradient;
import static org.geohazard.testing.TestImages.grey;
import static org.geohazard.testing.TestImages.insert;
import static org.geohazard.testing.TestImages.jpeg;
import static org.geohazard.testing.TestImages.jpegSegment;
import static org.geohazard.testing.TestImages.pngHeaderOnly;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageProbeTest {

  private static final ImageLimits ROOMY = new ImageLimits(100_000_000L, 50_000);

  private final ImageProbe probe = new ImageProbe(ROOMY);

  private InvalidImageException rejectionOf(byte[] file) {
    InvalidImageException rejection = catchThrowableOfType(InvalidImageException.class, () -> probe.probe(file));
    assertThat(rejection).as("the probe should refuse this file").isNotNull();
    return rejection;
  }

  private static byte[] firstBytes(byte[] file, int length) {
    return Arrays.copyOf(file, length);
  }

  @Nested
  class Jpeg {

    @Test
    void readsSizeBandsAndDepthOfBaselineRgbJpeg() throws Exception {
      assertThat(probe.probe(jpeg(gradient(64, 48), false)))
          .isEqualTo(new ImageInfo(ImageFormat.JPEG, 64, 48, 3, 8));
    }

    @Test
    void readsGreyJpegAsOneBand() throws Exception {
      assertThat(probe.probe(jpeg(grey(30, 20), false))).isEqualTo(new ImageInfo(ImageFormat.JPEG, 30, 20, 1, 8));
    }

    @Test
    void readsProgressiveJpegFromItsSof2Header() throws Exception {
      byte[] progressive = jpeg(gradient(100, 70), true);
      assertThat(TestImages.indexOfMarker(progressive, 0xC2)).as("the writer made a progressive JPEG").isPositive();

      assertThat(probe.probe(progressive)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 100, 70, 3, 8));
    }

    /** Thousands of tiny scans cost the decoder a pass over every block each: refused at the header. */
    @Test
    void refusesProgressiveJpegWithFarMoreScansThanEncodersWrite() throws Exception {
      byte[] progressive = jpeg(gradient(100, 70), true);
      byte[] emptyScan = {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0};
      int scans = JpegHeaderReader.MAX_PROGRESSIVE_SCANS + 1;
      java.io.ByteArrayOutputStream bomb = new java.io.ByteArrayOutputStream();
      bomb.write(progressive, 0, progressive.length - 2);
      for (int i = 0; i < scans; i++) {
        bomb.write(emptyScan);
      }
      bomb.write(progressive, progressive.length - 2, 2);
      InvalidImageException refused = catchThrowableOfType(InvalidImageException.class, () -> probe.probe(bomb.toByteArray()));
      assertThat(refused).isNotNull();
      assertThat(refused.getMessage()).contains("more than " + JpegHeaderReader.MAX_PROGRESSIVE_SCANS + " scans");
    }

    @Test
    void skipsLargeAppAndCommentSegmentsAndFillBytesBeforeTheFrame() throws Exception {
      byte[] plain = jpeg(gradient(40, 30), false);
      byte[] withSegments = insert(plain, 2, concat(jpegSegment(0xE1, 30_000), jpegSegment(0xFE, 100),
          jpegSegment(0xED, 20_000)));
      byte[] withFillBytes = insert(withSegments, TestImages.indexOfMarker(withSegments, 0xDB),
          new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

      assertThat(probe.probe(withFillBytes)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 40, 30, 3, 8));
      assertThat(probe.probe(new CountingChannel(withFillBytes)))
          .isEqualTo(new ImageInfo(ImageFormat.JPEG, 40, 30, 3, 8));
    }

    @Test
    void refusesJpegCutOffHalfwayAsTruncated() {
      byte[] whole = jpeg(gradient(200, 150), false);

      InvalidImageException rejection = rejectionOf(firstBytes(whole, whole.length / 2));

      assertThat(rejection.code()).isEqualTo("truncated_image");
      assertThat(rejection).hasMessageContaining("end-of-image marker");
    }

    @Test
    void refusesJpegCutOffInsideItsHeaderAsTruncated() {
      byte[] whole = jpeg(gradient(20, 20), false);

      assertThat(rejectionOf(firstBytes(whole, TestImages.indexOfMarker(whole, 0xC0) + 5)).code())
          .isEqualTo("truncated_image");
    }

    @Test
    void toleratesPaddingAfterTheEndOfImageMarker() throws Exception {
      byte[] padded = Arrays.copyOf(jpeg(gradient(20, 20), false), jpeg(gradient(20, 20), false).length + 500);

      assertThat(probe.probe(padded).width()).isEqualTo(20);
    }

    @Test
    void refusesZeroByZeroFrameAsInvalid() {
      InvalidImageException rejection = rejectionOf(TestImages.jpegWithFrameSize(jpeg(gradient(16, 16), false), 0, 0));

      assertThat(rejection.code()).isEqualTo("invalid_image");
      assertThat(rejection).hasMessageContaining("0 × 0");
    }

    @Test
    void refusesArithmeticCodedJpegAsUnsupported() {
      byte[] jpeg = jpeg(gradient(16, 16), false);
      jpeg[TestImages.indexOfMarker(jpeg, 0xC0) + 1] = (byte) 0xC9; // SOF9: extended, arithmetic coding

      InvalidImageException rejection = rejectionOf(jpeg);

      assertThat(rejection.code()).isEqualTo("unsupported_media_type");
      assertThat(rejection).hasMessageContaining("arithmetic");
    }

    @Test
    void refusesTwelveBitJpegAsUnsupported() {
      byte[] jpeg = jpeg(gradient(16, 16), false);
      jpeg[TestImages.indexOfMarker(jpeg, 0xC0) + 4] = 12;

      assertThat(rejectionOf(jpeg).code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void refusesScanBeforeFrameHeaderAsInvalid() {
      byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, (byte) 0xFF, (byte) 0xD9};

      assertThat(rejectionOf(jpeg).code()).isEqualTo("invalid_image");
    }

    @Test
    void refusesFrameLargerThanTheBudget() {
      byte[] huge = TestImages.jpegWithFrameSize(jpeg(gradient(16, 16), false), 65_000, 65_000);

      assertThat(rejectionOf(huge).code()).isEqualTo("image_too_large");
    }
  }

  @Nested
  class Png {

    @Test
    void readsRgbPng() throws Exception {
      assertThat(probe.probe(encode(gradient(33, 17), "png"))).isEqualTo(new ImageInfo(ImageFormat.PNG, 33, 17, 3, 8));
    }

    @Test
    void readsGreyPng() throws Exception {
      assertThat(probe.probe(encode(grey(8, 9), "png"))).isEqualTo(new ImageInfo(ImageFormat.PNG, 8, 9, 1, 8));
    }

    @Test
    void readsPalettePngAsOneBandOfIndices() throws Exception {
      byte[] png = encode(TestImages.palette(5, 5, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF), "png");

      ImageInfo info = probe.probe(png);

      assertThat(info.bands()).isEqualTo(1);
      assertThat(info.width()).isEqualTo(5);
    }

    @Test
    void readsSixteenBitPng() throws Exception {
      BufferedImage image = new BufferedImage(7, 3, BufferedImage.TYPE_USHORT_GRAY);

      assertThat(probe.probe(encode(image, "png"))).isEqualTo(new ImageInfo(ImageFormat.PNG, 7, 3, 1, 16));
    }

    @Test
    void readsRgbaPngAsFourBands() throws Exception {
      BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);

      assertThat(probe.probe(encode(image, "png"))).isEqualTo(new ImageInfo(ImageFormat.PNG, 4, 4, 4, 8));
    }

    @Test
    void refusesHeaderClaimingTenBillionPixelsWithoutAllocating() {
      byte[] bomb = pngHeaderOnly(100_000, 100_000, 8, 2, 0);

      InvalidImageException rejection = rejectionOf(bomb);

      assertThat(bomb).hasSizeLessThan(100);
      assertThat(rejection.code()).isEqualTo("image_too_large");
      assertThat(rejection).hasMessageContaining("100,000 × 100,000");
    }

    @Test
    void refusesIhdrWithWrongCrcAsInvalid() {
      byte[] png = encode(gradient(10, 10), "png");
      png[29] ^= 0x01; // last byte of the IHDR CRC

      InvalidImageException rejection = rejectionOf(png);

      assertThat(rejection.code()).isEqualTo("invalid_image");
      assertThat(rejection).hasMessageContaining("checksum");
    }

    @Test
    void refusesZeroWidthAsInvalid() {
      assertThat(rejectionOf(pngHeaderOnly(0, 10, 8, 2, 0)).code()).isEqualTo("invalid_image");
    }

    @Test
    void refusesBitDepthNotAllowedForTheColourTypeAsInvalid() {
      assertThat(rejectionOf(pngHeaderOnly(10, 10, 4, 2, 0)).code()).isEqualTo("invalid_image"); // 4-bit RGB
    }

    @Test
    void refusesPngWithoutIendAsTruncated() {
      byte[] whole = encode(gradient(100, 100), "png");

      InvalidImageException rejection = rejectionOf(firstBytes(whole, whole.length / 2));

      assertThat(rejection.code()).isEqualTo("truncated_image");
      assertThat(rejection).hasMessageContaining("IEND");
    }

    @Test
    void refusesPngCutOffInsideItsHeaderAsTruncated() {
      assertThat(rejectionOf(firstBytes(encode(gradient(10, 10), "png"), 20)).code()).isEqualTo("truncated_image");
    }

    @Test
    void readsOnlyTheHeaderAndTailOfALargeFile() throws Exception {
      byte[] large = pngHeaderOnly(1000, 1000, 8, 2, 4_000_000);
      CountingChannel channel = new CountingChannel(large);

      assertThat(probe.probe(channel)).isEqualTo(new ImageInfo(ImageFormat.PNG, 1000, 1000, 3, 8));
      assertThat(channel.bytesRead()).isLessThan(20_000);
    }
  }

  @Nested
  class Tiff {

    @Test
    void readsTiffWrittenByImageIo() throws Exception {
      assertThat(probe.probe(encode(gradient(21, 13), "tiff")))
          .isEqualTo(new ImageInfo(ImageFormat.TIFF, 21, 13, 3, 8));
    }

    @Test
    void readsSixteenBitMultibandLittleEndianTiff() throws Exception {
      byte[] tiff = new TiffBuilder(6, 4).samples(5, 16, 2).build();

      assertThat(probe.probe(tiff)).isEqualTo(new ImageInfo(ImageFormat.TIFF, 6, 4, 5, 16));
    }

    @Test
    void readsFloatBigEndianTiffWithDirectoryFirst() throws Exception {
      byte[] tiff = new TiffBuilder(3, 2).bigEndian().directoryFirst().samples(1, 32, 3).build();

      assertThat(probe.probe(tiff)).isEqualTo(new ImageInfo(ImageFormat.TIFF, 3, 2, 1, 32));
    }

    @Test
    void readsDimensionsStoredAsShorts() throws Exception {
      byte[] tiff = new TiffBuilder(300, 2).field(256, TiffBuilder.SHORT, 300).field(257, TiffBuilder.SHORT, 2).build();

      assertThat(probe.probe(tiff).width()).isEqualTo(300);
    }

    @Test
    void refusesDirectoryOffsetPastTheEndAsTruncated() {
      byte[] tiff = new TiffBuilder(10, 10).build();

      assertThat(rejectionOf(firstBytes(tiff, tiff.length - 20)).code()).isEqualTo("truncated_image");
      assertThat(rejectionOf(firstBytes(tiff, 100)).code()).isEqualTo("truncated_image");
    }

    @Test
    void refusesStripPastTheEndAsTruncated() {
      byte[] tiff = new TiffBuilder(20, 20).directoryFirst().samples(3, 8, 1).build();

      InvalidImageException rejection = rejectionOf(firstBytes(tiff, tiff.length / 2));

      assertThat(rejection.code()).isEqualTo("truncated_image");
      assertThat(rejection).hasMessageContaining("strip 1 of 1");
    }

    @Test
    void refusesStripOffsetPointingPastTheEndAsTruncated() {
      byte[] tiff = new TiffBuilder(4, 4).field(273, TiffBuilder.LONG, 1_000_000).build();

      assertThat(rejectionOf(tiff).code()).isEqualTo("truncated_image");
    }

    @Test
    void refusesTiffCutOffByHalfAsTruncated() {
      byte[] whole = encode(gradient(64, 64), "tiff");

      assertThat(rejectionOf(firstBytes(whole, whole.length / 2)).code()).isEqualTo("truncated_image");
    }

    @Test
    void refusesBigTiffAsUnsupported() {
      InvalidImageException rejection = rejectionOf(new TiffBuilder(4, 4).bigTiffVersion().build());

      assertThat(rejection.code()).isEqualTo("unsupported_media_type");
      assertThat(rejection).hasMessageContaining("BigTIFF");
    }

    @Test
    void refusesCompressionTheDecoderLacksAsUnsupported() {
      InvalidImageException rejection = rejectionOf(new TiffBuilder(4, 4).field(259, TiffBuilder.SHORT, 50000).build());

      assertThat(rejection.code()).isEqualTo("unsupported_media_type");
      assertThat(rejection).hasMessageContaining("Zstandard");
    }

    @Test
    void refusesFloatingPointPredictorAsUnsupported() {
      byte[] tiff = new TiffBuilder(4, 4).samples(1, 32, 3).field(259, TiffBuilder.SHORT, 5)
          .field(317, TiffBuilder.SHORT, 3).build();

      assertThat(rejectionOf(tiff).code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void refusesZeroWidthAsInvalid() {
      assertThat(rejectionOf(new TiffBuilder(0, 4).build()).code()).isEqualTo("invalid_image");
    }

    @Test
    void refusesMissingImageLengthAsInvalid() {
      byte[] tiff = new TiffBuilder(4, 4).field(257, TiffBuilder.LONG).build(); // zero values

      assertThat(rejectionOf(tiff).code()).isEqualTo("invalid_image");
    }

    @Test
    void refusesDirectoryInsideTheHeaderAsInvalid() {
      byte[] tiff = new TiffBuilder(4, 4).build();
      tiff[4] = 2;
      tiff[5] = tiff[6] = tiff[7] = 0;

      assertThat(rejectionOf(tiff).code()).isEqualTo("invalid_image");
    }

    @Test
    void refusesManyBandsOverTheRasterMemoryBudget() {
      ImageProbe strict = new ImageProbe(new ImageLimits(1_000_000, 10_000, 10_000_000));
      byte[] tiff = new TiffBuilder(1000, 1000).samples(200, 64, 3).noPixelData().build();

      InvalidImageException rejection =
          catchThrowableOfType(InvalidImageException.class, () -> strict.probe(tiff));

      assertThat(rejection.code()).isEqualTo("image_too_large");
      assertThat(rejection).hasMessageContaining("200 bands");
    }
  }

  @Nested
  class SniffingAndLimits {

    @Test
    void refusesEmptyFile() {
      InvalidImageException rejection = rejectionOf(new byte[0]);

      assertThat(rejection.code()).isEqualTo("empty_file");
      assertThat(rejection.reason()).isEqualTo(InvalidImageException.Reason.EMPTY_FILE);
    }

    @Test
    void refusesTextFileWhateverItIsCalled() {
      InvalidImageException rejection = rejectionOf(TestImages.text("hello, this is not an image"));

      assertThat(rejection.code()).isEqualTo("unsupported_media_type");
      assertThat(rejection).hasMessageContaining("not a JPEG, PNG, TIFF or WebP");
    }

    @Test
    void refusesGifAndSaysSo() {
      InvalidImageException rejection = rejectionOf(encode(gradient(8, 8), "gif"));

      assertThat(rejection.code()).isEqualTo("unsupported_media_type");
      assertThat(rejection).hasMessageContaining("GIF");
    }

    @Test
    void refusesBmpAndSaysSo() {
      assertThat(rejectionOf(encode(gradient(8, 8), "bmp"))).hasMessageContaining("BMP");
    }

    @Test
    void refusesOneByteOfTextAsUnsupported() {
      assertThat(rejectionOf(new byte[] {'h'}).code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void refusesOneByteThatStartsAJpegSignatureAsTruncated() {
      InvalidImageException rejection = rejectionOf(new byte[] {(byte) 0xFF});

      assertThat(rejection.code()).isEqualTo("truncated_image");
      assertThat(rejection).hasMessageContaining("1 byte long");
    }

    @Test
    void refusesImageWiderThanTheLongestSideAllowed() {
      ImageProbe narrow = new ImageProbe(new ImageLimits(1_000_000, 500));

      InvalidImageException rejection = catchThrowableOfType(InvalidImageException.class,
          () -> narrow.probe(pngHeaderOnly(501, 1, 8, 0, 0)));

      assertThat(rejection.code()).isEqualTo("image_too_large");
      assertThat(rejection).hasMessageContaining("longest side");
    }

    @Test
    void acceptsImageExactlyAtTheBudget() throws Exception {
      ImageProbe exact = new ImageProbe(new ImageLimits(12, 4));

      assertThat(exact.probe(pngHeaderOnly(4, 3, 8, 2, 0)).pixelCount()).isEqualTo(12);
      assertThat(catchThrowableOfType(InvalidImageException.class,
          () -> exact.probe(pngHeaderOnly(4, 4, 8, 2, 0))).code()).isEqualTo("image_too_large");
    }
  }

  static Stream<Arguments> validFiles() {
    return Stream.of(
        Arguments.of("baseline JPEG", jpeg(gradient(50, 40), false)),
        Arguments.of("progressive JPEG", jpeg(gradient(50, 40), true)),
        Arguments.of("PNG", encode(gradient(50, 40), "png")),
        Arguments.of("TIFF from ImageIO", encode(gradient(50, 40), "tiff")),
        Arguments.of("float TIFF", new TiffBuilder(50, 40).samples(2, 32, 3).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void arrayChannelAndPathGiveTheSameAnswer(String name, byte[] file, @TempDir Path folder) throws Exception {
    Path path = Files.write(folder.resolve("upload.bin"), file);

    ImageInfo fromArray = probe.probe(file);

    assertThat(fromArray.width()).isEqualTo(50);
    assertThat(probe.probe(new CountingChannel(file))).isEqualTo(fromArray);
    assertThat(probe.probe(path)).isEqualTo(fromArray);
  }

  @Test
  void reportsTruncationFromAChannelAsTruncatedImageNotAsIoFailure(@TempDir Path folder) throws IOException {
    byte[] whole = encode(gradient(100, 100), "png");
    Path cut = Files.write(folder.resolve("cut.png"), firstBytes(whole, whole.length / 2));

    InvalidImageException rejection = catchThrowableOfType(InvalidImageException.class, () -> probe.probe(cut));

    assertThat(rejection.code()).isEqualTo("truncated_image");
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
