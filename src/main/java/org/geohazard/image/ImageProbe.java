package org.geohazard.image;

import static org.geohazard.image.InvalidImageException.Reason.EMPTY_FILE;
import static org.geohazard.image.InvalidImageException.Reason.TRUNCATED_IMAGE;
import static org.geohazard.image.InvalidImageException.Reason.UNSUPPORTED_MEDIA_TYPE;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Decides what an upload is from its magic bytes alone (never its file name or the client's content type) and
 * reads its size and sample layout from the header, before any pixel is decoded, refusing it if it is empty, of an
 * unsupported type, cut off, corrupt or over the {@link ImageLimits}.
 *
 * <p>Probing reads the header (a few KB at the start of a JPEG or PNG; a TIFF's directory and strip table,
 * wherever they are) and the last few KB to check that the file is complete. It never decodes pixels and never
 * allocates according to a size the header claims. Thread-safe; meant to run on a worker thread, as it does file
 * I/O.
 */
public final class ImageProbe {

  private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] TIFF_LITTLE_ENDIAN_MAGIC = {'I', 'I', 42, 0};
  private static final byte[] TIFF_BIG_ENDIAN_MAGIC = {'M', 'M', 0, 42};
  private static final byte[] BIGTIFF_LITTLE_ENDIAN_MAGIC = {'I', 'I', 43, 0};
  private static final byte[] BIGTIFF_BIG_ENDIAN_MAGIC = {'M', 'M', 0, 43};
  private static final byte[] RIFF_MAGIC = {'R', 'I', 'F', 'F'};
  private static final byte[] WEBP_FORM = {'W', 'E', 'B', 'P'};
  private static final int WEBP_FORM_OFFSET = 8;
  private static final List<byte[]> ACCEPTED_MAGICS =
      List.of(JPEG_MAGIC, PNG_MAGIC, TIFF_LITTLE_ENDIAN_MAGIC, TIFF_BIG_ENDIAN_MAGIC, RIFF_MAGIC);

  /** Enough of the start of the file to tell every format this class knows apart. */
  private static final int SNIFF_LENGTH = 16;

  /** Formats people send by mistake, named in the refusal so that they know what to convert. */
  private enum OtherFormat {
    GIF("a GIF image", "GIF8"),
    BMP("a BMP image", "BM"),
    WAV("a WAV sound file", "RIFF", 8, "WAVE"),
    AVI("an AVI video", "RIFF", 8, "AVI "),
    JPEG_2000("a JPEG 2000 image", "\0\0\0\fjP  "),
    JPEG_2000_CODESTREAM("a JPEG 2000 codestream", "\u00FF\u004F\u00FF\u0051"),
    PDF("a PDF document", "%PDF"),
    ZIP("a ZIP archive", "PK\u0003\u0004");

    private final String description;
    private final byte[] magic;
    private final int secondMagicOffset;
    private final byte[] secondMagic;

    OtherFormat(String description, String magic) {
      this(description, magic, 0, "");
    }

    OtherFormat(String description, String magic, int secondMagicOffset, String secondMagic) {
      this.description = description;
      this.magic = latin1(magic);
      this.secondMagicOffset = secondMagicOffset;
      this.secondMagic = latin1(secondMagic);
    }

    boolean matches(byte[] start) {
      return startsWith(start, 0, magic) && startsWith(start, secondMagicOffset, secondMagic);
    }

    private static byte[] latin1(String s) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  private final ImageLimits limits;

  public ImageProbe(ImageLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("limits are required");
    }
    this.limits = limits;
  }

  /** Probes a whole file held in memory, e.g. an upload body. */
  public ImageInfo probe(byte[] file) throws InvalidImageException {
    try {
      return probe(ByteSource.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array cannot fail", e);
    }
  }

  /** Probes a file on disk, reading only its header and tail. */
  public ImageInfo probe(Path file) throws InvalidImageException, IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      return probe(channel);
    }
  }

  /**
   * Probes the file behind a channel, from offset 0 to {@link SeekableByteChannel#size()} whatever the channel's
   * position. The position is changed; the channel is not closed.
   *
   * @throws IOException if the channel cannot be read; a file that is merely short is an
   *     {@link InvalidImageException} ({@code truncated_image}) instead
   */
  public ImageInfo probe(SeekableByteChannel channel) throws InvalidImageException, IOException {
    return probe(ByteSource.of(channel));
  }

  /**
   * Probes a file that will be read window by window with {@link GeoTiffRaster} if it is a TIFF whose layout that
   * reader takes: such a TIFF is held to the scene budget ({@link ImageLimits#maxScenePixels()}); anything else,
   * JPEG and PNG included, to the in-memory budget as by {@link #probe(Path)}.
   */
  public ImageInfo probeScene(Path file) throws InvalidImageException, IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ)) {
      return probeScene(channel);
    }
  }

  /** {@link #probeScene(Path)} over a channel; the position is changed, the channel is not closed. */
  public ImageInfo probeScene(SeekableByteChannel channel) throws InvalidImageException, IOException {
    return probe(ByteSource.of(channel), true);
  }

  /**
   * {@link #probeScene(SeekableByteChannel)} for {@link GeoTiffRaster}, which also needs what the probe parsed: the
   * TIFF's layout, so that the directory is parsed once. Anything else is probed as usual and then refused.
   */
  TiffLayout probeTiffScene(SeekableByteChannel channel) throws InvalidImageException, IOException {
    ByteSource source = ByteSource.of(channel);
    ImageFormat format = sniff(source);
    if (format != ImageFormat.TIFF) {
      probe(source, format, true); // its own refusal first, if it has one
      throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE, "The file is a " + format
          + ", not a TIFF; the scene reader reads TIFF and GeoTIFF only.");
    }
    return reportingTruncation(format, source, () -> TiffHeaderReader.read(source, limits, true));
  }

  private ImageInfo probe(ByteSource source) throws InvalidImageException, IOException {
    return probe(source, false);
  }

  private ImageInfo probe(ByteSource source, boolean asScene) throws InvalidImageException, IOException {
    return probe(source, sniff(source), asScene);
  }

  private ImageInfo probe(ByteSource source, ImageFormat format, boolean asScene)
      throws InvalidImageException, IOException {
    return reportingTruncation(format, source, () -> switch (format) {
      case JPEG -> JpegHeaderReader.read(source, limits);
      case PNG -> PngHeaderReader.read(source, limits);
      case TIFF -> TiffHeaderReader.read(source, limits, asScene).info();
      case WEBP -> WebpHeaderReader.read(source, limits);
    });
  }

  private static ImageFormat sniff(ByteSource source) throws InvalidImageException, IOException {
    if (source.size() == 0) {
      throw new InvalidImageException(EMPTY_FILE, "The file is empty.");
    }
    return formatOf(source.read(0, (int) Math.min(SNIFF_LENGTH, source.size())));
  }

  /** A header read, which reports a file shorter than its header says as {@code truncated_image}. */
  @FunctionalInterface
  private interface HeaderRead<T> {
    T read() throws InvalidImageException, IOException;
  }

  private static <T> T reportingTruncation(ImageFormat format, ByteSource source, HeaderRead<T> read)
      throws InvalidImageException, IOException {
    try {
      return read.read();
    } catch (EOFException e) {
      throw new InvalidImageException(TRUNCATED_IMAGE, "The " + format + " file is incomplete: it ends at byte "
          + source.size() + ", before the end of its header or of data its header points at.", e);
    }
  }

  private static ImageFormat formatOf(byte[] start) throws InvalidImageException {
    if (startsWith(start, 0, JPEG_MAGIC)) {
      return ImageFormat.JPEG;
    }
    if (startsWith(start, 0, PNG_MAGIC)) {
      return ImageFormat.PNG;
    }
    if (startsWith(start, 0, TIFF_LITTLE_ENDIAN_MAGIC) || startsWith(start, 0, TIFF_BIG_ENDIAN_MAGIC)) {
      return ImageFormat.TIFF;
    }
    if (startsWith(start, 0, RIFF_MAGIC) && startsWith(start, WEBP_FORM_OFFSET, WEBP_FORM)) {
      return ImageFormat.WEBP;
    }
    if (startsWith(start, 0, BIGTIFF_LITTLE_ENDIAN_MAGIC) || startsWith(start, 0, BIGTIFF_BIG_ENDIAN_MAGIC)) {
      throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE,
          "The file is a BigTIFF, which the service does not read yet; save it as a classic TIFF (under 4 GB).");
    }
    for (byte[] magic : ACCEPTED_MAGICS) {
      if (start.length < magic.length && startsWith(magic, 0, start)) {
        throw new InvalidImageException(TRUNCATED_IMAGE,
            "The file is only " + start.length + " byte" + (start.length == 1 ? "" : "s")
                + " long: it starts like an image but ends inside the signature.");
      }
    }
    for (OtherFormat other : OtherFormat.values()) {
      if (other.matches(start)) {
        throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE,
            "The file is " + other.description + "; only JPEG, PNG, TIFF and WebP images are accepted.");
      }
    }
    throw new InvalidImageException(UNSUPPORTED_MEDIA_TYPE,
        "The file is not a JPEG, PNG, TIFF or WebP image (judged by its content, not its name); only those are accepted.");
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    return bytes.length >= offset + prefix.length
        && Arrays.equals(bytes, offset, offset + prefix.length, prefix, 0, prefix.length);
  }
}
