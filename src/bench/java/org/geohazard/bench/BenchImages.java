package org.geohazard.bench;

import static org.geohazard.testing.TestImages.FLOOD_BROWN;
import static org.geohazard.testing.TestImages.WATER_BLUE;
import static org.geohazard.testing.TestImages.jpeg;
import static org.geohazard.testing.TestImages.plainScene;
import static org.geohazard.testing.TestImages.png;
import static org.geohazard.testing.TestImages.pngChunk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.SharedData;

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

  private BenchImages() {}

  /** The shared data folder, found the way the tests find it ({@link SharedData#folder()}). */
  public static Path sharedData() {
    return SharedData.folder();
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
        new BenchImage("painted-flood-640x480.png", png(plainScene(640, 480, FLOOD_BROWN, 64, 64, 320, 256))),
        new BenchImage("painted-lake-800x600.jpg", jpeg(plainScene(800, 600, WATER_BLUE, 100, 100, 300, 300))),
        new BenchImage("painted-flood-1280x720.jpg", jpeg(plainScene(1280, 720, FLOOD_BROWN, 200, 150, 500, 300))),
        new BenchImage("painted-lake-512x512.png", png(plainScene(512, 512, WATER_BLUE, 40, 300, 200, 150))));
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
}
