package org.geohazard.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Copies a decoded {@link BufferedImage} into an {@link RgbImage}, reading the raster's backing arrays directly
 * for the layouts {@code javax.imageio} produces (interleaved or banded 8/16-bit RGB and grey, palettes, packed
 * {@code int} RGB) and falling back to {@link BufferedImage#getRGB} a row at a time for anything else.
 *
 * <p>Sample values are copied as stored: an embedded ICC profile is not applied (satellite products are not
 * colour-managed and the model was trained on raw values), grey is replicated into R, G and B, 16-bit samples are
 * scaled to 8 bits ({@code v * 255 / 65535}, rounded), and alpha is dropped without compositing, so a fully
 * transparent pixel keeps the colour stored under it (for a premultiplied image, which no reader here produces,
 * that amounts to compositing over black).
 */
final class BufferedImageToRgb {

  private BufferedImageToRgb() {
  }

  static RgbImage convert(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    ColorModel colorModel = image.getColorModel();
    Raster raster = image.getRaster();
    if (colorModel instanceof IndexColorModel palette) {
      copyPalette(raster, palette, rgb);
    } else if (isPlainComponentLayout(colorModel, raster)) {
      copyComponents(raster, colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY, rgb);
    } else if (isPackedIntRgb(colorModel, raster)) {
      copyPackedInts(raster, rgb);
    } else {
      copyThroughColorModel(image, rgb);
    }
    return new RgbImage(width, height, rgb);
  }

  /** One sample per array element, 8 or 16 bits, in an RGB or grey colour space. */
  private static boolean isPlainComponentLayout(ColorModel colorModel, Raster raster) {
    DataBuffer buffer = raster.getDataBuffer();
    int colourSpace = colorModel.getColorSpace().getType();
    return colorModel instanceof ComponentColorModel
        && raster.getSampleModel() instanceof ComponentSampleModel
        && (buffer instanceof DataBufferByte || buffer instanceof DataBufferUShort)
        && (colourSpace == ColorSpace.TYPE_RGB || colourSpace == ColorSpace.TYPE_GRAY);
  }

  private static boolean isPackedIntRgb(ColorModel colorModel, Raster raster) {
    return colorModel instanceof DirectColorModel direct
        && raster.getDataBuffer() instanceof DataBufferInt
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel
        && direct.getRedMask() == 0xFF0000 && direct.getGreenMask() == 0xFF00 && direct.getBlueMask() == 0xFF;
  }

  private static void copyComponents(Raster raster, boolean grey, byte[] rgb) {
    ComponentSampleModel model = (ComponentSampleModel) raster.getSampleModel();
    DataBuffer buffer = raster.getDataBuffer();
    int width = raster.getWidth();
    int height = raster.getHeight();
    int pixelStride = model.getPixelStride();
    int scanlineStride = model.getScanlineStride();
    // A child raster addresses its parent's array through a translation; one from a reader has none, but the
    // arithmetic is the same either way.
    int originX = raster.getMinX() - raster.getSampleModelTranslateX();
    int originY = raster.getMinY() - raster.getSampleModelTranslateY();
    for (int channel = 0; channel < 3; channel++) {
      int band = grey ? 0 : channel;
      int bank = model.getBankIndices()[band];
      int first = buffer.getOffsets()[bank] + model.getBandOffsets()[band]
          + originY * scanlineStride + originX * pixelStride;
      if (buffer instanceof DataBufferByte bytes) {
        byte[] samples = bytes.getData(bank);
        for (int y = 0, out = channel; y < height; y++) {
          for (int x = 0, in = first + y * scanlineStride; x < width; x++, in += pixelStride, out += 3) {
            rgb[out] = samples[in];
          }
        }
      } else {
        short[] samples = ((DataBufferUShort) buffer).getData(bank);
        for (int y = 0, out = channel; y < height; y++) {
          for (int x = 0, in = first + y * scanlineStride; x < width; x++, in += pixelStride, out += 3) {
            rgb[out] = (byte) sixteenToEightBits(samples[in] & 0xFFFF);
          }
        }
      }
    }
  }

  private static void copyPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
    int[] colours = new int[palette.getMapSize()];
    palette.getRGBs(colours);
    int width = raster.getWidth();
    int[] indices = new int[width];
    for (int y = 0, out = 0; y < raster.getHeight(); y++) {
      // getSamples unpacks 1-, 2- and 4-bit indices as well as whole bytes.
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, 0, indices);
      for (int x = 0; x < width; x++, out += 3) {
        int index = indices[x];
        int colour = index < colours.length ? colours[index] : 0; // an index past the palette is corrupt: black
        rgb[out] = (byte) (colour >> 16);
        rgb[out + 1] = (byte) (colour >> 8);
        rgb[out + 2] = (byte) colour;
      }
    }
  }

  private static void copyPackedInts(Raster raster, byte[] rgb) {
    SinglePixelPackedSampleModel model = (SinglePixelPackedSampleModel) raster.getSampleModel();
    int[] pixels = ((DataBufferInt) raster.getDataBuffer()).getData();
    int scanlineStride = model.getScanlineStride();
    int first = raster.getDataBuffer().getOffset()
        + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanlineStride
        + raster.getMinX() - raster.getSampleModelTranslateX();
    int width = raster.getWidth();
    for (int y = 0, out = 0; y < raster.getHeight(); y++) {
      for (int x = 0, in = first + y * scanlineStride; x < width; x++, in++, out += 3) {
        int pixel = pixels[in];
        rgb[out] = (byte) (pixel >> 16);
        rgb[out + 1] = (byte) (pixel >> 8);
        rgb[out + 2] = (byte) pixel;
      }
    }
  }

  /** Slow but general: lets the colour model convert each pixel to sRGB. */
  private static void copyThroughColorModel(BufferedImage image, byte[] rgb) {
    int width = image.getWidth();
    int[] row = new int[width];
    for (int y = 0, out = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int x = 0; x < width; x++, out += 3) {
        rgb[out] = (byte) (row[x] >> 16);
        rgb[out + 1] = (byte) (row[x] >> 8);
        rgb[out + 2] = (byte) row[x];
      }
    }
  }

  static int sixteenToEightBits(int sample) {
    return (sample * 255 + 32767) / 65535;
  }
}
