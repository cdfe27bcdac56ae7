package org.geohazard.bench;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.detection.Detection;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.processing.NonMaxSuppression;
import org.geohazard.inference.runtime.OnnxDetector;
import org.geohazard.inference.processing.YoloOutputDecoder;
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
 * The inference worker's postprocessing per image, as {@code OnnxDetector.postprocess} does it: decode
 * the YOLO output above the confidence threshold, class-wise NMS, boxes mapped back to the image.
 * Two outputs: the stand-in model's real output for a flood scene ({@code [1, 8, 400]}), and a
 * synthetic YOLOv8 output of the size a 640 x 640 Ultralytics export produces ({@code [1, 8, 8400]},
 * four classes) with a handful of objects, each seen by a cluster of overlapping candidates, over
 * low-score background. One operation is one image.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputDecodingBenchmark {

  @Param({"standin-model-1x8x400", "synthetic-v8-1x8x8400"})
  public String output;

  private static final int CLASSES = 4;
  private final YoloOutputDecoder decoder = new YoloOutputDecoder(CLASSES, YoloOutputDecoder.Layout.AUTO);
  private final NonMaxSuppression suppression = new NonMaxSuppression(0.45f, 300);
  private float[] data;
  private long[] shape;
  private Letterbox.Placement placement;

  @Setup
  public void prepare() throws Exception {
    placement = new Letterbox(640, 640).place(1280, 720);
    if (output.startsWith("standin")) {
      AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, System.getenv(), new Properties()));
      try (OnnxDetector detector = RawOrtBenchmark.open(config.model())) {
        FloatBuffer input = detector.newInputBuffer(1);
        placement = detector.letterbox().apply(new ImageDecoder(ImageLimits.DEFAULT)
            .decode(BenchImages.byName("painted-flood-1280x720.jpg").bytes()), input, 0);
        OnnxDetector.RawOutput raw = detector.run(input, 1);
        data = raw.data();
        shape = raw.shape();
      }
    } else {
      shape = new long[] {1, 4 + CLASSES, 8400};
      data = syntheticV8(8400, new Random(42));
    }
  }

  /** Background candidates score below 0.1; 6 objects get 20 jittered candidates each scoring 0.3..0.9. */
  private static float[] syntheticV8(int candidates, Random random) {
    float[] values = new float[(4 + CLASSES) * candidates];
    for (int n = 0; n < candidates; n++) {
      values[n] = random.nextFloat() * 640;
      values[candidates + n] = random.nextFloat() * 640;
      values[2 * candidates + n] = 8 + random.nextFloat() * 64;
      values[3 * candidates + n] = 8 + random.nextFloat() * 64;
      for (int c = 0; c < CLASSES; c++) {
        values[(4 + c) * candidates + n] = random.nextFloat() * 0.1f;
      }
    }
    for (int object = 0; object < 6; object++) {
      float cx = 80 + random.nextFloat() * 480;
      float cy = 80 + random.nextFloat() * 480;
      float size = 40 + random.nextFloat() * 120;
      int classId = object % CLASSES;
      for (int k = 0; k < 20; k++) {
        int n = random.nextInt(candidates);
        values[n] = cx + random.nextFloat() * 8 - 4;
        values[candidates + n] = cy + random.nextFloat() * 8 - 4;
        values[2 * candidates + n] = size * (0.9f + random.nextFloat() * 0.2f);
        values[3 * candidates + n] = size * (0.9f + random.nextFloat() * 0.2f);
        values[(4 + classId) * candidates + n] = 0.3f + random.nextFloat() * 0.6f;
      }
    }
    return values;
  }

  @Benchmark
  public List<Detection> decodeNmsMapBack() {
    List<Detection> candidates = decoder.decode(data, shape, 0.25f).get(0);
    List<Detection> kept = suppression.apply(candidates);
    List<Detection> mapped = new ArrayList<>(kept.size());
    for (Detection detection : kept) {
      mapped.add(placement.mapBack(detection));
    }
    return mapped;
  }
}
