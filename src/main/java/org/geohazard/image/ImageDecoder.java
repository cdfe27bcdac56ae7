package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.INVALID_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.ZipException;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes a JPEG, PNG, TIFF or WebP into 8-bit {@link RgbImage}, the input of the detector's pre-processing.
 *
 * <p>Every decode probes the file first with {@link ImageProbe}, so nothing is allocated for a header that is over
 * the {@link ImageLimits}, even when the caller probed already (the blob may have changed, or the caller may not
 * have probed). The pixels are then read with {@code javax.imageio}'s own reader for the probed format, never one
 * chosen by guessing again, and the reader's idea of the size must agree with the probe's.
 *
 * <p>How samples become RGB: grey is replicated; alpha is dropped, not composited (a transparent pixel keeps the
 * colour stored under it, which for satellite nodata is usually black anyway); palettes are expanded; 16-bit PNG
 * samples are scaled linearly to 8 bits; embedded colour profiles are not applied. A TIFF with more than 8 bits per
 * sample, floating-point samples or more than 4 bands goes through a {@link PercentileStretch} of bands 1-3 (or
 * band 1 as grey) instead: a simple stand-in until the GeoTIFF reader chooses bands by their meaning.
 *
 * <p>Decoding is CPU-heavy and blocking: call it on a worker thread. Thread-safe; each call uses its own reader.
 */
public final class ImageDecoder {

  private static final ColorModel SRGB_BYTES = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
      false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);

  private final ImageProbe probe;
  /** Where the arrays of pictures decoded straight into RGB come from; null: new arrays. */
  private final RgbArrayPool pool;

  public ImageDecoder(ImageLimits limits) {
    this(limits, null);
  }

  /**
   * @param pool gives the pixel arrays of pictures decoded straight into RGB (zeroed, as a new array is); the
   *     caller gives each {@link RgbImage#rgb()} back to it once nothing reads the picture any more
   */
  public ImageDecoder(ImageLimits limits, RgbArrayPool pool) {
    this.probe = new ImageProbe(limits);
    this.pool = pool;
  }

  /**
   * Decodes a whole file held in memory. The reader reads the array in place (TwelveMonkeys'
   * {@code ByteArrayImageInputStream}: the same bytes, without {@code MemoryCacheImageInputStream}'s copy of the
   * whole file into its cache blocks).
   */
  public RgbImage decode(byte[] file) throws InvalidImageException {
    ImageInfo info = probe.probe(file);
    try (ImageInputStream in = new ByteArrayImageInputStream(file)) {
      return decode(in, info);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  /**
   * Decodes a file on disk without loading it into memory first.
   *
   * @throws IOException if the file cannot be read; damaged content is an {@link InvalidImageException} instead
   */
  public RgbImage decode(Path file) throws InvalidImageException, IOException {
    ImageInfo info = probe.probe(file);
    boolean onDefaultFileSystem = file.getFileSystem() == FileSystems.getDefault();
    try (ImageInputStream in = onDefaultFileSystem
        ? new FileImageInputStream(file.toFile())
        : new MemoryCacheImageInputStream(Files.newInputStream(file))) {
      return decode(in, info);
    }
  }

  private RgbImage decode(ImageInputStream in, ImageInfo info) throws InvalidImageException, IOException {
    Decoded decoded = read(in, info);
    if (decoded.rgb() != null) {
      return new RgbImage(info.width(), info.height(), decoded.rgb());
    }
    BufferedImage image = decoded.image();
    return needsStretch(info, image)
        ? PercentileStretch.toRgb(image.getRaster())
        : BufferedImageToRgb.convert(image);
  }

  /** What the reader produced: the {@link RgbImage}'s own array when it decoded straight into it, else an image. */
  private record Decoded(BufferedImage image, byte[] rgb) {}

  private Decoded read(ImageInputStream in, ImageInfo info) throws InvalidImageException, IOException {
    ImageReader reader = readerFor(info.format());
    DamageWarnings warnings = new DamageWarnings();
    byte[] rgb = null;
    boolean decoded = false;
    try {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(warnings);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width != info.width() || height != info.height()) {
        // Two headers in one file (a JPEG with two frames, a PNG with a second IHDR...): the probe's budget check
        // would not cover what the reader is about to allocate.
        throw new InvalidImageException(INVALID_IMAGE, String.format(Locale.ROOT,
            "The %s file is inconsistent: its header says %d × %d pixels, its image data %d × %d.",
            info.format(), info.width(), info.height(), width, height));
      }
      ImageReadParam param = reader.getDefaultReadParam();
      if (decodesStraightToRgb(info.format(), reader)) {
        int length = Math.multiplyExact(Math.multiplyExact(width, height), 3);
        rgb = pool == null ? new byte[length] : pool.take(length);
        param.setDestination(rgbDestination(rgb, width, height));
      }
      BufferedImage image = reader.read(0, param);
      warnings.throwIfDamaged(info.format());
      decoded = true;
      return new Decoded(image, rgb);
    } catch (IIOException | EOFException | ZipException e) {
      throw failure(info.format(), e);
    } catch (RuntimeException e) {
      // The JDK's readers are known to throw IllegalArgumentException, ArrayIndexOutOfBoundsException and the like
      // on corrupt data rather than IIOException.
      throw failure(info.format(), e);
    } finally {
      reader.dispose();
      if (!decoded && rgb != null && pool != null) {
        pool.giveBack(rgb); // the destination of a decode that failed, however it failed: nothing else holds it
      }
    }
  }

  /**
   * Whether the reader's own first choice of image is plain sRGB, 8 bits per sample, three samples, no alpha: then
   * it decodes into an image of the same colour space whose raster is the {@link RgbImage}'s array in R, G, B order,
   * and the samples are the ones {@link BufferedImageToRgb} would have copied, without the second full-size image and
   * the copy (a 1280 × 720 JPEG: 9 → 3.6 ms of CPU on the machine of 2026-12-07). Grey, palette, 16-bit, alpha,
   * CMYK/YCCK and ICC-tagged images keep the general path. JPEG and PNG only: TIFFs may need a stretch.
   */
  private static boolean decodesStraightToRgb(ImageFormat format, ImageReader reader) throws IOException {
    if (format != ImageFormat.JPEG && format != ImageFormat.PNG) {
      return false;
    }
    Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
    if (types == null || !types.hasNext()) {
      return false;
    }
    ColorModel colorModel = types.next().getColorModel();
    if (!(colorModel instanceof ComponentColorModel) || colorModel.hasAlpha()
        || colorModel.getTransferType() != DataBuffer.TYPE_BYTE || colorModel.getNumComponents() != 3
        || !colorModel.getColorSpace().isCS_sRGB()) {
      return false;
    }
    for (int bits : colorModel.getComponentSize()) {
      if (bits != 8) {
        return false;
      }
    }
    return true;
  }

  /** An sRGB image whose pixels are {@code rgb}, interleaved R, G, B: what {@link RgbImage} holds. */
  private static BufferedImage rgbDestination(byte[] rgb, int width, int height) {
    WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), width, height,
        width * 3, 3, new int[] {0, 1, 2}, null);
    return new BufferedImage(SRGB_BYTES, raster, false, null);
  }

  private static ImageReader readerFor(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoFormatName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("This JVM has no javax.imageio reader for " + format);
    }
    return readers.next();
  }

  /**
   * Whether the samples need a stretch rather than a plain copy: deep or multispectral TIFFs, and 8-bit TIFFs whose
   * bands the reader could not give a real colour space (it then uses a placeholder that cannot convert to RGB).
   */
  private static boolean needsStretch(ImageInfo info, BufferedImage image) {
    if (info.format() != ImageFormat.TIFF) {
      return false;
    }
    return info.bitsPerSample() > 8 || info.bands() > 4
        || !(image.getColorModel().getColorSpace() instanceof ICC_ColorSpace);
  }

  private static InvalidImageException failure(ImageFormat format, Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof EOFException) {
        return new InvalidImageException(TRUNCATED_IMAGE, "The " + format + " image data ends too early; the file "
            + "was probably cut off during upload or copying.", e);
      }
    }
    return new InvalidImageException(INVALID_IMAGE,
        "The " + format + " image data is corrupt and cannot be decoded.", e);
  }

  /**
   * The JPEG reader does not throw on damaged data: it reports a warning and fills the rest of the image with
   * grey. Such an image must not reach the detector. The texts are libjpeg's and the JDK's; a warning that merely
   * notes extraneous bytes between segments is harmless and ignored, as are warnings about metadata.
   */
  private static final class DamageWarnings implements IIOReadWarningListener {
    private String truncation;
    private String corruption;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      String text = warning.toLowerCase(Locale.ROOT);
      if (text.contains("premature end") || text.contains("truncated") || text.contains("missing eoi")) {
        truncation = warning;
      } else if (text.contains("corrupt") && !text.contains("extraneous bytes")) {
        corruption = warning;
      }
    }

    void throwIfDamaged(ImageFormat format) throws InvalidImageException {
      if (truncation != null) {
        throw new InvalidImageException(TRUNCATED_IMAGE, "The " + format + " image data ends too early; the file "
            + "was probably cut off during upload or copying.", new IIOException(truncation));
      }
      if (corruption != null) {
        throw new InvalidImageException(INVALID_IMAGE,
            "The " + format + " image data is corrupt and cannot be decoded.", new IIOException(corruption));
      }
    }
  }
}
