package org.geohazard.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * The images every benchmark uses: the real samples from the shared data folder where it exists, plus
 * scenes painted here with the stand-in model's colour rules (so the benchmarks also run from a bare
 * clone). The raw-ORT and pipeline parts of {@link InferenceBenchmark} use the same list.
 */
public final class BenchImages {

  /** One encoded image file and the name it is reported under. */
  public record BenchImage(String name, byte[] bytes) {
    public boolean isPng() {
      return bytes.length > 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P';
    }
  }

  static final String[] SHARED_SAMPLES = {
      "samples/landsat7-bahamas-rgb.jpg", "samples/landsat7-olinda-rgb.jpg",
      "samples/sentinel2-spain-flood-rgb.jpg", "samples/sentinel2-spain-flood-rgb.png"};

  private static final Color GREY = new Color(128, 128, 128);
  private static final Color FLOOD_BROWN = new Color(120, 90, 60);
  private static final Color WATER_BLUE = new Color(30, 60, 160);

  private BenchImages() {}

  /**
   * The shared data folder, found the way the tests find it: {@code -Dgeohazard.sharedData}, then
   * {@code GEOHAZARD_SHARED_DATA}, then the project machines' {@code /work/shared/data}, then
   * {@code ../shared/data} beside the repository.
   */
  public static Path sharedData() {
    String configured = System.getProperty("geohazard.sharedData");
    if (configured == null || configured.isBlank()) {
      configured = System.getenv("GEOHAZARD_SHARED_DATA");
    }
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path onProjectMachines = Path.of("/work/shared/data");
    return Files.isDirectory(onProjectMachines) ? onProjectMachines : Path.of("..", "shared", "data");
  }

  /** The shared samples that exist here, then four generated scenes (always present). */
  public static List<BenchImage> all() {
    List<BenchImage> images = new ArrayList<>(shared());
    images.addAll(generated());
    return images;
  }

  public static List<BenchImage> shared() {
    List<BenchImage> images = new ArrayList<>();
    Path root = sharedData();
    for (String relative : SHARED_SAMPLES) {
      Path file = root.resolve(relative);
      if (Files.isRegularFile(file)) {
        try {
          images.add(new BenchImage(file.getFileName().toString(), Files.readAllBytes(file)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return images;
  }

  public static List<BenchImage> generated() {
    return List.of(
        new BenchImage("painted-flood-640x480.png", encode(scene(640, 480, FLOOD_BROWN, 64, 64, 320, 256), "png")),
        new BenchImage("painted-lake-800x600.jpg", encode(scene(800, 600, WATER_BLUE, 100, 100, 300, 300), "jpeg")),
        new BenchImage("painted-flood-1280x720.jpg",
            encode(scene(1280, 720, FLOOD_BROWN, 200, 150, 500, 300), "jpeg")),
        new BenchImage("painted-lake-512x512.png", encode(scene(512, 512, WATER_BLUE, 40, 300, 200, 150), "png")));
  }

  /** The image of that name from {@link #all()}; fails naming the ones that exist. */
  public static BenchImage byName(String name) {
    List<BenchImage> images = all();
    return images.stream().filter(image -> image.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no bench image '" + name + "' here; have "
            + images.stream().map(BenchImage::name).toList()));
  }

  /**
   * The same picture as different bytes: the service deduplicates uploads by SHA-256, so a benchmark
   * that uploaded one file twice would measure the cache. A PNG gets a private ancillary chunk before
   * IEND, a JPEG a comment segment after SOI; decoders skip both, so the pixels (and the work) are
   * unchanged.
   */
  public static byte[] distinct(BenchImage image, long serial) {
    byte[] tag = ("geohazard-bench " + serial + " " + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
    byte[] file = image.bytes();
    if (image.isPng()) {
      byte[] chunk = pngChunk("bnCh", tag);
      int iend = file.length - 12; // IEND is the last 12 bytes: length, type, CRC
      return ByteBuffer.allocate(file.length + chunk.length)
          .put(file, 0, iend).put(chunk).put(file, iend, 12).array();
    }
    if ((file[0] & 0xFF) == 0xFF && (file[1] & 0xFF) == 0xD8) {
      int segmentLength = tag.length + 2; // the length field counts itself
      return ByteBuffer.allocate(file.length + 2 + segmentLength)
          .put(file, 0, 2).put((byte) 0xFF).put((byte) 0xFE).putShort((short) segmentLength).put(tag)
          .put(file, 2, file.length - 2).array();
    }
    throw new IllegalArgumentException(image.name() + " is neither PNG nor JPEG");
  }

  private static BufferedImage scene(int width, int height, Color region, int x, int y, int w, int h) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(GREY);
    g.fillRect(0, 0, width, height);
    g.setColor(region);
    g.fillRect(x, y, w, h);
    g.dispose();
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] pngChunk(String type, byte[] data) {
    ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
    chunk.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data);
    CRC32 crc = new CRC32();
    crc.update(chunk.array(), 4, 4 + data.length);
    chunk.putInt((int) crc.getValue());
    return chunk.array();
  }
}
