package org.geohazard.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images the tests and benchmarks make themselves, in memory, with javax.imageio or byte by byte: scenes
 * painted to the stand-in model's documented colour rules (tools/model/README.md: turbid brown water is
 * "flood", blue water is "water_body", neutral grey is nothing; each carries a few random pixels so that
 * every run uploads new content), and files made to test the image library (gradients, 16-bit, palettes,
 * damaged or crafted JPEG and PNG headers).
 */
public final class TestImages {

  private TestImages() {
  }


  public static final Color FLOOD_BROWN = new Color(120, 90, 60);
  public static final Color WATER_BLUE = new Color(30, 60, 160);
  public static final Color GREY = new Color(128, 128, 128);

  private static final Random RANDOM = new Random();


  /** A grey scene with a large turbid-water region: the stand-in model reports a flood. */
  public static byte[] floodPng() {
    return png(scene(640, 480, FLOOD_BROWN, 64, 64, 320, 256));
  }

  /** A grey scene with a blue lake. */
  public static byte[] lakeJpeg() {
    return jpeg(scene(800, 600, WATER_BLUE, 100, 100, 300, 300));
  }

  /** Neutral grey: nothing to detect. */
  public static byte[] greyPng() {
    return png(scene(320, 240, GREY, 0, 0, 0, 0));
  }

  /** A grey scene with one region of {@code region}'s colour, and a few random pixels: new content per call. */
  public static BufferedImage scene(int width, int height, Color region, int x, int y, int w, int h) {
    BufferedImage image = plainScene(width, height, region, x, y, w, h);
    // Unique content per call: a few near-grey pixels in the corner that no rule reacts to.
    for (int i = 0; i < 8; i++) {
      int v = 120 + RANDOM.nextInt(16);
      image.setRGB(width - 1 - i, height - 1, new Color(v, v, v).getRGB());
    }
    return image;
  }

  /** The same scene without the random pixels: the same bytes every time (benchmarks make them unique). */
  public static BufferedImage plainScene(int width, int height, Color region, int x, int y, int w, int h) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(GREY);
    g.fillRect(0, 0, width, height);
    g.setColor(region);
    g.fillRect(x, y, w, h);
    g.dispose();
    return image;
  }

  public static byte[] png(BufferedImage image) {
    return encode(image, "png");
  }

  public static byte[] jpeg(BufferedImage image) {
    return encode(image, "jpeg");
  }

  /**
   * A valid PNG that also holds every byte value 0..255 (twice, in a private ancillary chunk before
   * IEND, which decoders skip): the upload must store exactly these bytes.
   */
  public static byte[] pngWithEveryByteValue() {
    byte[] png = floodPng();
    byte[] data = new byte[512];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    byte[] chunk = pngChunk("gaBy", data);
    int iend = png.length - 12; // IEND is the last 12 bytes: length, type, CRC
    byte[] out = new byte[png.length + chunk.length];
    System.arraycopy(png, 0, out, 0, iend);
    System.arraycopy(chunk, 0, out, iend, chunk.length);
    System.arraycopy(png, iend, out, iend + chunk.length, 12);
    return out;
  }

  /** A PNG signature and IHDR (with a valid CRC) claiming width x height, and nothing else. */
  public static byte[] pngHeaderClaiming(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
        .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    byte[] header = pngChunk("IHDR", ihdr.array());
    byte[] idat = pngChunk("IDAT", new byte[64]);
    byte[] iend = pngChunk("IEND", new byte[0]);
    ByteBuffer out = ByteBuffer.allocate(signature.length + header.length + idat.length + iend.length);
    return out.put(signature).put(header).put(idat).put(iend).array();
  }

  public static byte[] truncated(byte[] file, double keep) {
    return Arrays.copyOf(file, (int) (file.length * keep));
  }


  // ---- files for the image library



  /** A smooth colour gradient, which survives JPEG compression recognisably. */
  public static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128);
      }
    }
    return image;
  }

  public static BufferedImage grey(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x + y * width) % 256);
      }
    }
    return image;
  }

  /** A 16-bit RGB image (no predefined BufferedImage type exists for it). */
  public static BufferedImage rgb16(int width, int height, int[][] samplesPerPixel) {
    BufferedImage image = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        new int[] {0, 1, 2}, DataBuffer.TYPE_USHORT, false, false).createBufferedImage(width, height);
    for (int i = 0; i < width * height; i++) {
      image.getRaster().setPixel(i % width, i / width, samplesPerPixel[i]);
    }
    return image;
  }

  public static BufferedImage palette(int width, int height, int... argbColours) {
    byte[] r = new byte[argbColours.length];
    byte[] g = new byte[argbColours.length];
    byte[] b = new byte[argbColours.length];
    for (int i = 0; i < argbColours.length; i++) {
      r[i] = (byte) (argbColours[i] >> 16);
      g[i] = (byte) (argbColours[i] >> 8);
      b[i] = (byte) argbColours[i];
    }
    IndexColorModel colours = new IndexColorModel(8, argbColours.length, r, g, b);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, colours);
    for (int i = 0; i < width * height; i++) {
      image.getRaster().setSample(i % width, i / width, 0, i % argbColours.length);
    }
    return image;
  }

  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no " + format + " writer for image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static byte[] jpeg(BufferedImage image, boolean progressive) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    if (progressive) {
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Offset of the first {@code FF marker} pair, which in an encoder's headers can only be that marker. */
  public static int indexOfMarker(byte[] jpeg, int marker) {
    for (int i = 2; i < jpeg.length - 1; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new IllegalArgumentException(String.format("no marker FF %02X", marker));
  }

  /** A JPEG whose baseline frame header (SOF0) says {@code width × height}. */
  public static byte[] jpegWithFrameSize(byte[] jpeg, int width, int height) {
    byte[] patched = jpeg.clone();
    int sof = indexOfMarker(patched, 0xC0);
    patched[sof + 5] = (byte) (height >> 8);
    patched[sof + 6] = (byte) height;
    patched[sof + 7] = (byte) (width >> 8);
    patched[sof + 8] = (byte) width;
    return patched;
  }

  public static byte[] insert(byte[] file, int at, byte[] inserted) {
    byte[] result = new byte[file.length + inserted.length];
    System.arraycopy(file, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(file, at, result, at + inserted.length, file.length - at);
    return result;
  }

  /** A JPEG marker segment: FF, marker, two length bytes (counting themselves), payload. */
  public static byte[] jpegSegment(int marker, int payloadLength) {
    byte[] segment = new byte[4 + payloadLength];
    segment[0] = (byte) 0xFF;
    segment[1] = (byte) marker;
    segment[2] = (byte) ((payloadLength + 2) >> 8);
    segment[3] = (byte) (payloadLength + 2);
    Arrays.fill(segment, 4, segment.length, (byte) 'x');
    return segment;
  }

  /**
   * A PNG made of a signature, an IHDR with a correct CRC, an optional chunk of {@code paddingLength} bytes (its
   * content is never read by a probe) and an IEND: everything a header check looks at, and no pixel data.
   */
  public static byte[] pngHeaderOnly(long width, long height, int bitDepth, int colourType, int paddingLength) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt((int) width).putInt((int) height).put((byte) bitDepth).put((byte) colourType)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    png.writeBytes(pngChunk("IHDR", ihdr.array()));
    if (paddingLength > 0) {
      png.writeBytes(pngChunk("teXt", new byte[paddingLength]));
    }
    png.writeBytes(pngChunk("IEND", new byte[0]));
    return png.toByteArray();
  }

  public static byte[] pngChunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  public static byte[] text(String content) {
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
