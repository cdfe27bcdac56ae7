package org.geohazard.image;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.data.Offset.offset;
import static org.geohazard.testing.TestImages.encode;
import static org.geohazard.testing.TestImages.gradient;
import static org.geohazard.testing.TestImages.jpeg;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(10_000_000, 10_000));

  private InvalidImageException rejectionOf(byte[] file) {
    InvalidImageException rejection = catchThrowableOfType(InvalidImageException.class, () -> decoder.decode(file));
    assertThat(rejection).as("the decoder should refuse this file").isNotNull();
    return rejection;
  }

  private static byte[] rgbBytes(int... pixels) {
    byte[] rgb = new byte[pixels.length * 3];
    for (int i = 0; i < pixels.length; i++) {
      rgb[3 * i] = (byte) (pixels[i] >> 16);
      rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
      rgb[3 * i + 2] = (byte) pixels[i];
    }
    return rgb;
  }

  @Test
  void decodesFourByTwoPngToItsExactColours() throws Exception {
    int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x000000, 0x123456, 0x808080, 0xFEDCBA};
    BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 4, 2, colours, 0, 4);

    RgbImage decoded = decoder.decode(encode(image, "png"));

    assertThat(decoded.width()).isEqualTo(4);
    assertThat(decoded.height()).isEqualTo(2);
    assertThat(decoded.rgb()).containsExactly(rgbBytes(colours));
  }

  @Test
  void decodesJpegToItsSizeAndRoughlyItsColours() throws Exception {
    BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
    Arrays.fill(((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0x3366CC);

    RgbImage decoded = decoder.decode(jpeg(image, false));

    assertThat(decoded.width()).isEqualTo(48);
    assertThat(decoded.height()).isEqualTo(32);
    assertThat(decoded.rgb()).hasSize(48 * 32 * 3);
    int centre = decoded.rgbAt(24, 16);
    assertThat(centre >> 16 & 0xFF).isCloseTo(0x33, offset(4));
    assertThat(centre >> 8 & 0xFF).isCloseTo(0x66, offset(4));
    assertThat(centre & 0xFF).isCloseTo(0xCC, offset(4));
  }

  @Test
  void decodesProgressiveJpeg() throws Exception {
    RgbImage decoded = decoder.decode(jpeg(gradient(90, 60), true));

    assertThat(decoded.width()).isEqualTo(90);
    assertThat(decoded.height()).isEqualTo(60);
  }

  @Test
  void replicatesGreyIntoRgbWithoutGammaConversion() throws Exception {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 100, 255});

    RgbImage decoded = decoder.decode(encode(grey, "png"));

    assertThat(decoded.rgb()).containsExactly(rgbBytes(0x000000, 0x646464, 0xFFFFFF));
  }

  @Test
  void decodesGreyJpegAsReplicatedRgb() throws Exception {
    RgbImage decoded = decoder.decode(jpeg(TestImages.grey(16, 16), false));

    for (int i = 0; i < decoded.rgb().length; i += 3) {
      assertThat(decoded.rgb()[i + 1]).isEqualTo(decoded.rgb()[i]);
      assertThat(decoded.rgb()[i + 2]).isEqualTo(decoded.rgb()[i]);
    }
  }

  @Test
  void expandsPalettePng() throws Exception {
    byte[] png = encode(TestImages.palette(3, 2, 0xFF0000, 0x00FF00, 0x0000FF), "png");

    RgbImage decoded = decoder.decode(png);

    assertThat(decoded.rgb()).containsExactly(rgbBytes(0xFF0000, 0x00FF00, 0x0000FF, 0xFF0000, 0x00FF00, 0x0000FF));
  }

  @Test
  void scalesSixteenBitPngToEightBits() throws Exception {
    BufferedImage image = TestImages.rgb16(2, 1, new int[][] {{0, 65535, 32896}, {257, 1000, 65278}});

    RgbImage decoded = decoder.decode(encode(image, "png"));

    assertThat(decoded.rgb()).containsExactly(rgbBytes(0x00FF80, 0x0104FE));
  }

  @Test
  void scalesSixteenBitGreyPngToEightBits() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 12850});

    RgbImage decoded = decoder.decode(encode(image, "png"));

    assertThat(decoded.rgb()).containsExactly(rgbBytes(0xFFFFFF, 0x323232));
  }

  @Test
  void dropsAlphaKeepingTheColourUnderTransparentPixels() throws Exception {
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0xFF112233);
    image.setRGB(1, 0, 0x00445566); // fully transparent

    RgbImage decoded = decoder.decode(encode(image, "png"));

    assertThat(decoded.rgb()).containsExactly(rgbBytes(0x112233, 0x445566));
  }

  @Test
  void decodesEightBitRgbTiffExactly() throws Exception {
    BufferedImage image = gradient(17, 9);

    RgbImage decoded = decoder.decode(encode(image, "tiff"));

    int[] expected = image.getRGB(0, 0, 17, 9, null, 0, 17);
    assertThat(decoded.rgb()).containsExactly(rgbBytes(expected));
  }

  @Test
  void stretchesSixteenBitSingleBandTiffToGrey() throws Exception {
    double[] ramp = new double[100];
    Arrays.setAll(ramp, i -> 1000 + 10 * i);
    byte[] tiff = new TiffBuilder(10, 10).samples(1, 16, 1).pixels(ramp).build();

    RgbImage decoded = decoder.decode(tiff);

    assertThat(decoded.rgbAt(0, 0)).isZero();
    assertThat(decoded.rgbAt(9, 9)).isEqualTo(0xFFFFFF);
    int middle = decoded.rgbAt(0, 5) & 0xFF;
    assertThat(middle).isBetween(120, 135);
    assertThat(decoded.rgbAt(0, 5)).isEqualTo(middle * 0x010101);
  }

  @Test
  void stretchesBandsOneToThreeOfAMultibandSignedTiff() throws Exception {
    // Five bands of int16; bands 4 and 5 must not matter.
    int pixels = 64;
    double[] samples = new double[pixels * 5];
    Random random = new Random(7);
    for (int p = 0; p < pixels; p++) {
      samples[5 * p] = p; // band 1: 0..63
      samples[5 * p + 1] = -5000 + 100 * p; // band 2: negative values are data too
      samples[5 * p + 2] = 42; // band 3: constant
      samples[5 * p + 3] = random.nextInt(30000);
      samples[5 * p + 4] = random.nextInt(30000);
    }
    byte[] tiff = new TiffBuilder(8, 8).samples(5, 16, 2).pixels(samples).build();

    RgbImage decoded = decoder.decode(tiff);

    assertThat(decoded.rgbAt(0, 0)).isEqualTo(0x000000);
    assertThat(decoded.rgbAt(7, 7)).isEqualTo(0xFFFF00);
    int red = decoded.rgbAt(0, 4) >> 16;
    int green = decoded.rgbAt(0, 4) >> 8 & 0xFF;
    assertThat(red).isBetween(120, 135);
    assertThat(green).isEqualTo(red); // both bands are ramps over the same pixels
  }

  @Test
  void stretchesFloatTiffAndPaintsNanBlack() throws Exception {
    double[] samples = new double[16];
    Arrays.setAll(samples, i -> i / 10.0);
    samples[15] = Double.NaN;
    byte[] tiff = new TiffBuilder(4, 4).bigEndian().samples(1, 32, 3).pixels(samples).build();

    RgbImage decoded = decoder.decode(tiff);

    assertThat(decoded.rgbAt(0, 0)).isZero();
    assertThat(decoded.rgbAt(2, 3)).isEqualTo(0xFFFFFF); // the largest finite value
    assertThat(decoded.rgbAt(3, 3)).isZero();
  }

  @Test
  void refusesJpegCutOffHalfwayAsTruncated() {
    byte[] whole = jpeg(gradient(200, 150), false);

    assertThat(rejectionOf(Arrays.copyOf(whole, whole.length / 2)).code()).isEqualTo("truncated_image");
  }

  @Test
  void refusesJpegWhoseDataWasCutButWhichStillEndsWithEoi() {
    byte[] whole = jpeg(gradient(200, 150), false);
    byte[] cut = Arrays.copyOf(whole, whole.length / 2 + 2);
    cut[cut.length - 2] = (byte) 0xFF;
    cut[cut.length - 1] = (byte) 0xD9;

    InvalidImageException rejection = rejectionOf(cut);

    assertThat(rejection.code()).isEqualTo("truncated_image");
    assertThat(rejection.getCause()).hasMessageContaining("premature end");
  }

  @Test
  void refusesPngWithCorruptCompressedDataAsInvalid() {
    byte[] png = encode(noise(64, 64), "png");
    int idat = indexOf(png, "IDAT".getBytes());
    Arrays.fill(png, idat + 100, idat + 400, (byte) 0x55);

    InvalidImageException rejection = rejectionOf(png);

    assertThat(rejection.code()).isEqualTo("invalid_image");
  }

  @Test
  void refusesPngBombBeforeDecodingAnything() {
    InvalidImageException rejection = rejectionOf(TestImages.pngHeaderOnly(100_000, 100_000, 8, 2, 0));

    assertThat(rejection.code()).isEqualTo("image_too_large");
  }

  @Test
  void refusesTextFile() {
    assertThat(rejectionOf(TestImages.text("hello, this is not an image")).code())
        .isEqualTo("unsupported_media_type");
  }

  @Test
  void decodesFromAPathLikeFromAnArray(@TempDir Path folder) throws Exception {
    byte[] png = encode(gradient(31, 7), "png");
    Path file = Files.write(folder.resolve("scene.png"), png);

    assertThat(decoder.decode(file).rgb()).containsExactly(decoder.decode(png).rgb());
  }

  /**
   * Colour JPEGs and 8-bit RGB PNGs are decoded straight into the {@link RgbImage}'s array: the pixels must be the
   * ones the reader's own image holds, sample for sample (a swapped channel or a shifted row fails this), as they
   * were when every image went through {@link BufferedImageToRgb}. Noise, so that every byte value occurs.
   */
  @Test
  void decodesColourJpegAndPngStraightIntoTheSamplesTheReadersOwnImageHolds() throws Exception {
    BufferedImage picture = noise(67, 41);
    for (byte[] file : new byte[][] {jpeg(picture, false), jpeg(picture, true), encode(picture, "png"),
        jpeg(gradient(128, 96), false)}) {
      String format = file[0] == (byte) 0xFF ? "jpeg" : "png";
      ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
      BufferedImage readersOwn;
      try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
        reader.setInput(in);
        readersOwn = reader.read(0);
      } finally {
        reader.dispose();
      }

      RgbImage decoded = decoder.decode(file);

      assertThat(readersOwn.getType()).as("the reader's own choice for a colour %s", format)
          .isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
      assertThat(decoded.rgb()).as(format).containsExactly(BufferedImageToRgb.convert(readersOwn).rgb());
    }
  }

  /**
   * With a pool, a picture decoded into an array some earlier picture of the same size left dirty has exactly the
   * samples a fresh decode gives (the pool zeroes what it hands out; the reader writes every pixel anyway), and it
   * is that very array, reused; a decode that fails gives its array back.
   */
  @Test
  void decodesIntoReusedArraysExactlyAsIntoNewOnes() throws Exception {
    RgbArrayPool pool = new RgbArrayPool(1 << 20);
    ImageDecoder pooled = new ImageDecoder(new ImageLimits(10_000_000, 10_000), pool);
    BufferedImage picture = noise(67, 41);
    for (byte[] file : new byte[][] {jpeg(picture, false), jpeg(picture, true), encode(picture, "png"),
        encode(gradient(67, 41), "png")}) {
      byte[] dirty = new byte[67 * 41 * 3];
      Arrays.fill(dirty, (byte) 0x5A);
      pool.giveBack(dirty);

      RgbImage decoded = pooled.decode(file);

      assertThat(decoded.rgb()).as("the kept array, reused").isSameAs(dirty);
      assertThat(decoded.rgb()).containsExactly(decoder.decode(file).rgb());
    }
    // Cut, but ending with an end-of-image marker, so the probe lets it through to the reader.
    byte[] whole = jpeg(gradient(200, 150), false);
    byte[] cut = Arrays.copyOf(whole, whole.length / 2 + 2);
    cut[cut.length - 2] = (byte) 0xFF;
    cut[cut.length - 1] = (byte) 0xD9;
    assertThat(catchThrowableOfType(InvalidImageException.class, () -> pooled.decode(cut))).isNotNull();
    assertThat(pool.keptBytes()).as("the failed decode's array is back").isEqualTo(200 * 150 * 3);
  }

  private static BufferedImage noise(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(1);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return image;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not found");
  }
}
