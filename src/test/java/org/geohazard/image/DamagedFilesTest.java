package org.geohazard.image;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.geohazard.testing.TestImages.encode;
import static org.geohazard.testing.TestImages.gradient;
import static org.geohazard.testing.TestImages.jpeg;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever an upload's damage, the probe and the decoder answer with an image or an {@link InvalidImageException}:
 * never an exception of a reader's own that the API would have to turn into a 500. The damage is random but seeded,
 * so a failure repeats.
 */
class DamagedFilesTest {

  private static final int MUTATIONS_PER_FILE = 150;

  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  static Stream<Arguments> intactFiles() {
    double[] samples = new double[24 * 16 * 5];
    Arrays.setAll(samples, i -> (i * 37) % 4000);
    return Stream.of(
        Arguments.of("baseline JPEG", jpeg(gradient(64, 48), false)),
        Arguments.of("progressive JPEG", jpeg(gradient(64, 48), true)),
        Arguments.of("RGB PNG", encode(gradient(64, 48), "png")),
        Arguments.of("palette PNG", encode(TestImages.palette(20, 10, 0xFF0000, 0x00FF00, 0x0000FF), "png")),
        Arguments.of("TIFF from ImageIO", encode(gradient(40, 30), "tiff")),
        Arguments.of("16-bit five-band TIFF", new TiffBuilder(24, 16).samples(5, 16, 1).pixels(samples).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intactFiles")
  void damagedFileIsDecodedOrRefusedWithACode(String name, byte[] intact) {
    Random random = new Random(name.hashCode());
    for (int i = 0; i < MUTATIONS_PER_FILE; i++) {
      byte[] damaged = damage(intact, random);
      try {
        RgbImage image = decoder.decode(damaged);
        assertThat(image.rgb()).hasSize(3 * image.width() * image.height());
      } catch (InvalidImageException expected) {
        assertThat(expected.code()).isNotBlank();
      } catch (RuntimeException e) {
        fail("damage #" + i + " of the " + name + " escaped as " + e, e);
      }
    }
  }

  /** Cuts the file short, or overwrites a few bytes in its header or anywhere. */
  private static byte[] damage(byte[] intact, Random random) {
    switch (random.nextInt(3)) {
      case 0:
        return Arrays.copyOf(intact, random.nextInt(intact.length));
      case 1: {
        byte[] damaged = intact.clone();
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
          damaged[random.nextInt(Math.min(damaged.length, 300))] = (byte) random.nextInt(256);
        }
        return damaged;
      }
      default: {
        byte[] damaged = intact.clone();
        for (int k = 1 + random.nextInt(8); k > 0; k--) {
          damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
        }
        return damaged;
      }
    }
  }
}
