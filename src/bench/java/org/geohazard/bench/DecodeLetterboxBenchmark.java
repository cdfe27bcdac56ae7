package org.geohazard.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.Letterbox;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The inference worker's preprocessing per image, as its preprocess pool runs it: decode the uploaded
 * file ({@link ImageDecoder}) and letterbox it to {@code side} x {@code side} planar floats
 * ({@link Letterbox}, the Ultralytics-exact resize) into a reused direct buffer: 320, the shipped
 * model's input, and 640, the usual YOLO export's. One operation is one image, so the scores are
 * microseconds per image. The raw-ORT limit excludes all of this; the pipeline pays it for every image.
 * ({@code decode} does not depend on {@code side}; it is measured once per side.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeLetterboxBenchmark {

  /** Names from {@link BenchImages#all()}; the shared samples are used where the shared data folder exists. */
  @Param({"sentinel2-spain-flood-rgb.jpg", "sentinel2-spain-flood-rgb.png", "landsat7-bahamas-rgb.jpg",
      "painted-flood-1280x720.jpg"})
  public String image;

  @Param({"320", "640"})
  public int side;

  private byte[] file;
  private RgbImage decoded;
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
  private Letterbox letterbox;
  private FloatBuffer input;

  @Setup
  public void load() throws Exception {
    letterbox = new Letterbox(side, side);
    file = BenchImages.byName(image).bytes();
    decoded = decoder.decode(file);
    input = ByteBuffer.allocateDirect(letterbox.floatsPerImage() * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  @Benchmark
  public RgbImage decode() throws Exception {
    return decoder.decode(file);
  }

  @Benchmark
  public Letterbox.Placement letterbox() {
    return letterbox.apply(decoded, input, 0);
  }

  @Benchmark
  public Letterbox.Placement decodeAndLetterbox() throws Exception {
    return letterbox.apply(decoder.decode(file), input, 0);
  }
}
