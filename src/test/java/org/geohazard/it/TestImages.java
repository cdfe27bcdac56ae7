package org.geohazard.it;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Images the tests paint themselves, using the stand-in model's documented colour rules
 * (tools/model/README.md): turbid brown water is "flood", blue water is "water_body", neutral grey
 * is nothing. Each image carries a few random pixels so that every test run uploads new content.
 */
final class TestImages {

  static final Color FLOOD_BROWN = new Color(120, 90, 60);
  static final Color WATER_BLUE = new Color(30, 60, 160);
  static final Color GREY = new Color(128, 128, 128);

  private static final Random RANDOM = new Random();

  private TestImages() {}

  /** A grey scene with a large turbid-water region: the stand-in model reports a flood. */
  static byte[] floodPng() {
    return png(scene(640, 480, FLOOD_BROWN, 64, 64, 320, 256));
  }

  /** A grey scene with a blue lake. */
  static byte[] lakeJpeg() {
    return jpeg(scene(800, 600, WATER_BLUE, 100, 100, 300, 300));
  }

  /** Neutral grey: nothing to detect. */
  static byte[] greyPng() {
    return png(scene(320, 240, GREY, 0, 0, 0, 0));
  }

  static BufferedImage scene(int width, int height, Color region, int x, int y, int w, int h) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(GREY);
    g.fillRect(0, 0, width, height);
    g.setColor(region);
    g.fillRect(x, y, w, h);
    g.dispose();
    // Unique content per call: a few near-grey pixels in the corner that no rule reacts to.
    for (int i = 0; i < 8; i++) {
      int v = 120 + RANDOM.nextInt(16);
      image.setRGB(width - 1 - i, height - 1, new Color(v, v, v).getRGB());
    }
    return image;
  }

  static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  static byte[] jpeg(BufferedImage image) {
    return encode(image, "jpeg");
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A valid PNG that also holds every byte value 0..255 (twice, in a private ancillary chunk before
   * IEND, which decoders skip): the upload must store exactly these bytes.
   */
  static byte[] pngWithEveryByteValue() {
    byte[] png = floodPng();
    byte[] data = new byte[512];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    byte[] chunk = chunk("gaBy", data);
    int iend = png.length - 12; // IEND is the last 12 bytes: length, type, CRC
    byte[] out = new byte[png.length + chunk.length];
    System.arraycopy(png, 0, out, 0, iend);
    System.arraycopy(chunk, 0, out, iend, chunk.length);
    System.arraycopy(png, iend, out, iend + chunk.length, 12);
    return out;
  }

  /** A PNG signature and IHDR (with a valid CRC) claiming width x height, and nothing else. */
  static byte[] pngHeaderClaiming(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    byte[] header = chunk("IHDR", ihdr.array());
    byte[] idat = chunk("IDAT", new byte[64]);
    byte[] iend = chunk("IEND", new byte[0]);
    ByteBuffer out = ByteBuffer.allocate(signature.length + header.length + idat.length + iend.length);
    return out.put(signature).put(header).put(idat).put(iend).array();
  }

  static byte[] truncated(byte[] file, double keep) {
    return Arrays.copyOf(file, (int) (file.length * keep));
  }

  private static byte[] chunk(String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    return chunk.array();
  }
}
