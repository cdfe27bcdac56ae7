package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fast path must give the bytes the slow, obviously right path gives: {@link BufferedImage#getRGB} for colour
 * images, the raw sample for grey (getRGB would apply a gamma curve to it).
 */
class BufferedImageToRgbTest {

  private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

  static Stream<Arguments> colourImages() {
    return Stream.of(
        Arguments.of("INT_RGB", new BufferedImage(13, 7, BufferedImage.TYPE_INT_RGB)),
        Arguments.of("INT_ARGB", new BufferedImage(13, 7, BufferedImage.TYPE_INT_ARGB)),
        Arguments.of("INT_BGR (generic path)", new BufferedImage(13, 7, BufferedImage.TYPE_INT_BGR)),
        Arguments.of("3BYTE_BGR", new BufferedImage(13, 7, BufferedImage.TYPE_3BYTE_BGR)),
        Arguments.of("4BYTE_ABGR", new BufferedImage(13, 7, BufferedImage.TYPE_4BYTE_ABGR)),
        Arguments.of("BYTE_INDEXED", new BufferedImage(13, 7, BufferedImage.TYPE_BYTE_INDEXED)),
        Arguments.of("BYTE_BINARY", new BufferedImage(13, 7, BufferedImage.TYPE_BYTE_BINARY)),
        Arguments.of("USHORT_565 (generic path)", new BufferedImage(13, 7, BufferedImage.TYPE_USHORT_565_RGB)),
        Arguments.of("interleaved RGB bytes", ImageTypeSpecifier.createInterleaved(SRGB, new int[] {0, 1, 2},
            DataBuffer.TYPE_BYTE, false, false).createBufferedImage(13, 7)),
        Arguments.of("banded RGB bytes", ImageTypeSpecifier.createBanded(SRGB, new int[] {0, 1, 2},
            new int[] {0, 0, 0}, DataBuffer.TYPE_BYTE, false, false).createBufferedImage(13, 7)),
        Arguments.of("sub-image of 3BYTE_BGR", fill(new BufferedImage(30, 20, BufferedImage.TYPE_3BYTE_BGR))
            .getSubimage(5, 3, 13, 7)),
        Arguments.of("sub-image of INT_RGB", fill(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB))
            .getSubimage(11, 2, 13, 7)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("colourImages")
  void copiesColourImagesLikeGetRgb(String layout, BufferedImage image) {
    fill(image);

    RgbImage rgb = BufferedImageToRgb.convert(image);

    assertThat(rgb.width()).isEqualTo(image.getWidth());
    assertThat(rgb.height()).isEqualTo(image.getHeight());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        assertThat(rgb.rgbAt(x, y)).as("pixel %d,%d", x, y).isEqualTo(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  static Stream<Arguments> greyImages() {
    return Stream.of(
        Arguments.of("BYTE_GRAY", new BufferedImage(9, 5, BufferedImage.TYPE_BYTE_GRAY), 8),
        Arguments.of("USHORT_GRAY", new BufferedImage(9, 5, BufferedImage.TYPE_USHORT_GRAY), 16),
        Arguments.of("grey with alpha, 16-bit", ImageTypeSpecifier.createGrayscale(16, DataBuffer.TYPE_USHORT,
            false, false).createBufferedImage(9, 5), 16));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("greyImages")
  void replicatesRawGreySamples(String layout, BufferedImage image, int bits) {
    fill(image);

    RgbImage rgb = BufferedImageToRgb.convert(image);

    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int sample = image.getRaster().getSample(x, y, 0);
        int expected = bits == 16 ? BufferedImageToRgb.sixteenToEightBits(sample) : sample;
        assertThat(rgb.rgbAt(x, y)).as("pixel %d,%d", x, y).isEqualTo(expected * 0x010101);
      }
    }
  }

  /** Random samples in every band, whatever the layout. */
  private static BufferedImage fill(BufferedImage image) {
    Random random = new Random(image.getWidth() * 31L + image.getType());
    WritableRaster raster = image.getRaster();
    for (int band = 0; band < raster.getNumBands(); band++) {
      int max = (1 << raster.getSampleModel().getSampleSize(band)) - 1;
      for (int y = 0; y < raster.getHeight(); y++) {
        for (int x = 0; x < raster.getWidth(); x++) {
          raster.setSample(x, y, band, random.nextInt(max + 1));
        }
      }
    }
    return image;
  }
}
