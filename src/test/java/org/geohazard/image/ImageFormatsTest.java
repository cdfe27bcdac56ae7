package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * WebP, CMYK JPEG and JPEGs with large ICC profiles: the files people have that the JDK alone refuses or fails on.
 * The fixtures under {@code images/formats} were made from {@code base.png} (a 96 × 64 blue-green gradient with a
 * tan rectangle at 20..50 × 10..40 and a white disc at 70,40) with cwebp 1.2.4 and ImageMagick 6.9; the large-ICC
 * JPEG is built here.
 */
class ImageFormatsTest {

  private static final int TAN = 0xD2B48C;
  private final ImageProbe probe = new ImageProbe(new ImageLimits(10_000_000, 10_000));
  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(10_000_000, 10_000));

  @ParameterizedTest
  @CsvSource({"lossy.webp, 3, 40", "lossless.webp, 3, 0", "alpha-vp8x.webp, 4, 40"})
  void webpIsProbedFromItsHeaderAndDecoded(String name, int bands, int tolerance) throws Exception {
    byte[] file = fixture(name);
    ImageInfo info = probe.probe(file);
    assertThat(info).isEqualTo(new ImageInfo(ImageFormat.WEBP, 96, 64, bands, 8));

    RgbImage image = decoder.decode(file);
    assertThat(image.width()).isEqualTo(96);
    assertThat(image.height()).isEqualTo(64);
    assertClose(image.rgbAt(35, 25), TAN, tolerance);
    assertClose(image.rgbAt(74, 40), 0xFFFFFF, tolerance);
  }

  @Test
  void aCutOffWebpIsTruncatedAtTheProbe() throws Exception {
    byte[] file = fixture("lossy.webp");
    for (int length : new int[] {20, file.length / 2, file.length - 1}) {
      InvalidImageException e = rejection(Arrays.copyOf(file, length));
      assertThat(e.reason()).as("cut at %d bytes", length).isEqualTo(InvalidImageException.Reason.TRUNCATED_IMAGE);
    }
  }

  @Test
  void anAnimatedWebpIsUnsupported() throws Exception {
    byte[] file = fixture("alpha-vp8x.webp");
    file[20] |= 0x02; // the VP8X animation flag
    InvalidImageException e = rejection(file);
    assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE);
    assertThat(e.getMessage()).contains("animated");
  }

  @Test
  void aWebpClaimingAHugeCanvasIsRefusedBeforeDecoding() throws Exception {
    byte[] file = fixture("alpha-vp8x.webp");
    // canvas 16,777,216 × 16,777,216 (the 24-bit maximum); the pixel budget refuses it from the header
    Arrays.fill(file, 24, 30, (byte) 0xFF);
    InvalidImageException e = rejection(file);
    assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.IMAGE_TOO_LARGE);
  }

  @Test
  void otherRiffFilesAreStillRefused() {
    byte[] wav = "RIFF\u0024\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
    InvalidImageException e = rejection(Arrays.copyOf(wav, 44));
    assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE);
    assertThat(e.getMessage()).contains("WAV");
  }

  @Test
  void aCmykJpegIsDecodedToRgb() throws Exception {
    byte[] file = fixture("cmyk.jpg");
    assertThat(probe.probe(file)).isEqualTo(new ImageInfo(ImageFormat.JPEG, 96, 64, 4, 8));
    RgbImage image = decoder.decode(file);
    // CMYK → RGB goes through a colour profile, so the round trip is near, not exact.
    assertClose(image.rgbAt(35, 25), TAN, 48);
    assertClose(image.rgbAt(74, 40), 0xFFFFFF, 48);
  }

  @Test
  void aJpegWithALargeIccProfileInManySegmentsIsDecoded() throws Exception {
    byte[] plain = jpegOf(ImageIO.read(new java.io.ByteArrayInputStream(fixture("base.png"))));
    byte[] withProfile = withIccProfile(plain, paddedSrgbProfile(690 * 1024));
    assertThat(withProfile.length).isGreaterThan(690 * 1024);

    RgbImage image = decoder.decode(withProfile);
    assertThat(image.width()).isEqualTo(96);
    assertClose(image.rgbAt(35, 25), TAN, 24);
  }

  @Test
  void aCutOffCmykJpegIsStillTruncated() throws Exception {
    byte[] file = fixture("cmyk.jpg");
    InvalidImageException e = rejection(Arrays.copyOf(file, file.length * 2 / 3));
    assertThat(e.reason()).isEqualTo(InvalidImageException.Reason.TRUNCATED_IMAGE);
  }

  private InvalidImageException rejection(byte[] file) {
    InvalidImageException e = catchThrowableOfType(InvalidImageException.class, () -> decoder.decode(file));
    assertThat(e).as("the file should be refused").isNotNull();
    return e;
  }

  private static void assertClose(int actual, int expected, int tolerance) {
    for (int shift = 16; shift >= 0; shift -= 8) {
      int a = actual >> shift & 0xFF;
      int b = expected >> shift & 0xFF;
      assertThat(Math.abs(a - b)).as("channel at bit %d of #%06X vs #%06X", shift, actual, expected)
          .isLessThanOrEqualTo(tolerance);
    }
  }

  static byte[] fixture(String name) {
    try (InputStream in = ImageFormatsTest.class.getResourceAsStream("/images/formats/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test fixture images/formats/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] jpegOf(BufferedImage image) throws IOException {
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    rgb.getGraphics().drawImage(image, 0, 0, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "jpeg", out);
    return out.toByteArray();
  }

  /** The JDK's sRGB profile with its size field grown and zero padding after its tags (valid: tags are by offset). */
  private static byte[] paddedSrgbProfile(int size) {
    byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
    byte[] padded = Arrays.copyOf(srgb, size);
    ByteBuffer.wrap(padded).putInt(0, size);
    return padded;
  }

  /** Inserts the profile after SOI as APP2 "ICC_PROFILE" segments (at most 65,519 bytes of profile each). */
  static byte[] withIccProfile(byte[] jpeg, byte[] profile) {
    int chunk = 65_519;
    int count = (profile.length + chunk - 1) / chunk;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2);
    for (int i = 0; i < count; i++) {
      int from = i * chunk;
      int length = Math.min(chunk, profile.length - from);
      int segmentLength = 2 + 12 + 2 + length;
      out.write(0xFF);
      out.write(0xE2);
      out.write(segmentLength >> 8);
      out.write(segmentLength & 0xFF);
      out.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
      out.write(i + 1);
      out.write(count);
      out.write(profile, from, length);
    }
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
