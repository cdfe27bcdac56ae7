package org.geohazard.image;

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
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Image files for the tests, made in memory with javax.imageio or byte by byte. */
final class TestImages {

  private TestImages() {
  }

  /** A smooth colour gradient, which survives JPEG compression recognisably. */
  static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 128);
      }
    }
    return image;
  }

  static BufferedImage grey(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x + y * width) % 256);
      }
    }
    return image;
  }

  /** A 16-bit RGB image (no predefined BufferedImage type exists for it). */
  static BufferedImage rgb16(int width, int height, int[][] samplesPerPixel) {
    BufferedImage image = ImageTypeSpecifier.createInterleaved(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        new int[] {0, 1, 2}, DataBuffer.TYPE_USHORT, false, false).createBufferedImage(width, height);
    for (int i = 0; i < width * height; i++) {
      image.getRaster().setPixel(i % width, i / width, samplesPerPixel[i]);
    }
    return image;
  }

  static BufferedImage palette(int width, int height, int... argbColours) {
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

  static byte[] encode(BufferedImage image, String format) {
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

  static byte[] jpeg(BufferedImage image, boolean progressive) {
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
  static int indexOfMarker(byte[] jpeg, int marker) {
    for (int i = 2; i < jpeg.length - 1; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    throw new IllegalArgumentException(String.format("no marker FF %02X", marker));
  }

  /** A JPEG whose baseline frame header (SOF0) says {@code width × height}. */
  static byte[] jpegWithFrameSize(byte[] jpeg, int width, int height) {
    byte[] patched = jpeg.clone();
    int sof = indexOfMarker(patched, 0xC0);
    patched[sof + 5] = (byte) (height >> 8);
    patched[sof + 6] = (byte) height;
    patched[sof + 7] = (byte) (width >> 8);
    patched[sof + 8] = (byte) width;
    return patched;
  }

  static byte[] insert(byte[] file, int at, byte[] inserted) {
    byte[] result = new byte[file.length + inserted.length];
    System.arraycopy(file, 0, result, 0, at);
    System.arraycopy(inserted, 0, result, at, inserted.length);
    System.arraycopy(file, at, result, at + inserted.length, file.length - at);
    return result;
  }

  /** A JPEG marker segment: FF, marker, two length bytes (counting themselves), payload. */
  static byte[] jpegSegment(int marker, int payloadLength) {
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
  static byte[] pngHeaderOnly(long width, long height, int bitDepth, int colourType, int paddingLength) {
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

  static byte[] pngChunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data)
        .putInt((int) crc.getValue()).array();
  }

  static byte[] text(String content) {
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
