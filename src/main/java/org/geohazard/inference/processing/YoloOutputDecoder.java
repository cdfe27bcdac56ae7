package org.geohazard.inference.processing;

import org.geohazard.detection.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the raw output tensor of a YOLO detection export into scored boxes, one list per image, in
 * model-input pixels (map them to the original image with {@link Letterbox.Placement#mapBack}).
 * Candidates keep their best class only (single-label, as Ultralytics predicts by default) and must
 * score strictly above the confidence threshold. No suppression happens here: see
 * {@link NonMaxSuppression}.
 *
 * <h2>Layouts</h2>
 * <ul>
 *   <li>{@link Layout#V8} {@code [B, 4 + nc, N]}: Ultralytics YOLOv8 / YOLO11. Rows are cx, cy, w, h,
 *       then one score per class; no objectness.
 *   <li>{@link Layout#V5} {@code [B, N, 5 + nc]}: YOLOv5 / v7. Columns are cx, cy, w, h, objectness,
 *       then class probabilities; the score is {@code objectness * class probability}.
 *   <li>{@link Layout#END_TO_END} {@code [B, N, 6]}: exports with suppression inside the graph
 *       (YOLOv10, {@code nms=True}). Columns are x1, y1, x2, y2, score, class id.
 * </ul>
 *
 * <h2>Choosing the layout ({@link Layout#AUTO})</h2>
 * With {@code shape = [B, d1, d2]} and {@code nc} classes, a layout fits when {@code d1 == 4 + nc}
 * (V8), {@code d2 == 5 + nc} (V5) or {@code d2 == 6} (END_TO_END). Exactly one must fit. Two fit
 * when {@code nc == 1} and {@code d2 == 6} (a single-class YOLOv5 looks like an end-to-end export),
 * and in degenerate shapes where the box count equals the row width (e.g. {@code [B, 6, 6]}); those
 * are refused as ambiguous, so the operator names the layout instead of getting silently wrong boxes.
 * None fits when the class names (model metadata or config) do not match the model.
 */
public final class YoloOutputDecoder {

  /** How the output tensor is laid out; {@code AUTO} decides from the shape and the class count. */
  public enum Layout {
    AUTO, V8, V5, END_TO_END
  }

  private final int numClasses;
  private final Layout layout;

  /**
   * @param numClasses classes the model predicts (from its {@code names} metadata or config)
   * @param layout an explicit layout, or {@link Layout#AUTO}
   */
  public YoloOutputDecoder(int numClasses, Layout layout) {
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
    }
    if (layout == null) {
      throw new IllegalArgumentException("layout must not be null (use AUTO)");
    }
    this.numClasses = numClasses;
    this.layout = layout;
  }

  public int numClasses() {
    return numClasses;
  }

  /**
   * The layout this decoder uses for an output of the given shape: the configured one after checking
   * that it fits, or the only one that fits under {@code AUTO}.
   *
   * @throws IllegalArgumentException when the shape does not fit, or fits several layouts under AUTO
   */
  public Layout resolve(long[] shape) {
    if (shape.length != 3) {
      throw new IllegalArgumentException(
          "expected a 3-D detection output [batch, a, b], got shape " + Arrays.toString(shape));
    }
    if (layout == Layout.AUTO) {
      return detect(shape, numClasses);
    }
    if (!fits(layout, shape, numClasses)) {
      throw new IllegalArgumentException("output shape " + Arrays.toString(shape) + " does not fit layout "
          + layout + " with " + numClasses + " classes (" + describe(layout) + ")");
    }
    return layout;
  }

  /** The only layout that fits {@code shape} for {@code numClasses}; see the class comment for the rule. */
  public static Layout detect(long[] shape, int numClasses) {
    List<Layout> fitting = new ArrayList<>();
    for (Layout candidate : List.of(Layout.V8, Layout.V5, Layout.END_TO_END)) {
      if (fits(candidate, shape, numClasses)) {
        fitting.add(candidate);
      }
    }
    if (fitting.size() == 1) {
      return fitting.get(0);
    }
    String known = describe(Layout.V8) + ", " + describe(Layout.V5) + ", " + describe(Layout.END_TO_END);
    if (fitting.isEmpty()) {
      throw new IllegalArgumentException("output shape " + Arrays.toString(shape) + " fits no known layout for "
          + numClasses + " classes (" + known + "); do the class names match the model?");
    }
    throw new IllegalArgumentException("output shape " + Arrays.toString(shape) + " is ambiguous for "
        + numClasses + " classes: it fits " + fitting + "; set the output layout explicitly");
  }

  private static boolean fits(Layout layout, long[] shape, int numClasses) {
    if (shape.length != 3) {
      return false;
    }
    return switch (layout) {
      case V8 -> shape[1] == 4L + numClasses;
      case V5 -> shape[2] == 5L + numClasses;
      case END_TO_END -> shape[2] == 6;
      case AUTO -> false;
    };
  }

  private static String describe(Layout layout) {
    return switch (layout) {
      case V8 -> "v8 [B, 4+nc, N]";
      case V5 -> "v5 [B, N, 5+nc]";
      case END_TO_END -> "end-to-end [B, N, 6]";
      case AUTO -> "auto";
    };
  }

  /**
   * Decodes every image of the batch.
   *
   * @param data the output tensor, row-major, at least as long as the shape says
   * @param shape {@code [B, d1, d2]} as ONNX Runtime reports it
   * @param confThreshold candidates scoring at or below this are dropped
   * @return {@code B} lists of candidates, in model-input pixels, in tensor order
   * @throws IllegalArgumentException on a shape that does not fit, or an end-to-end class id outside
   *     {@code [0, numClasses)} (the names then do not belong to this model)
   */
  public List<List<Detection>> decode(float[] data, long[] shape, float confThreshold) {
    Layout resolved = resolve(shape);
    int batch = toInt(shape[0], shape);
    int rows = toInt(shape[1], shape);
    int cols = toInt(shape[2], shape);
    long perImage = (long) rows * cols;
    if (data.length < batch * perImage) {
      throw new IllegalArgumentException("output shape " + Arrays.toString(shape) + " needs "
          + batch * perImage + " values, got " + data.length);
    }
    List<List<Detection>> images = new ArrayList<>(batch);
    for (int b = 0; b < batch; b++) {
      int base = (int) (b * perImage);
      images.add(switch (resolved) {
        case V8 -> decodeV8(data, base, cols, confThreshold);
        case V5 -> decodeV5(data, base, rows, confThreshold);
        case END_TO_END -> decodeEndToEnd(data, base, rows, confThreshold);
        case AUTO -> throw new IllegalStateException("AUTO is resolved above");
      });
    }
    return images;
  }

  private static int toInt(long dim, long[] shape) {
    if (dim < 0 || dim > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("unusable dimension in output shape " + Arrays.toString(shape));
    }
    return (int) dim;
  }

  /** {@code [4 + nc, N]}: walk class rows, not candidates, so the reads stay sequential. */
  private List<Detection> decodeV8(float[] data, int base, int candidates, float confThreshold) {
    float[] bestScore = Arrays.copyOfRange(data, base + 4 * candidates, base + 5 * candidates);
    int[] bestClass = new int[candidates];
    for (int c = 1; c < numClasses; c++) {
      int row = base + (4 + c) * candidates;
      for (int n = 0; n < candidates; n++) {
        float score = data[row + n];
        if (score > bestScore[n]) {
          bestScore[n] = score;
          bestClass[n] = c;
        }
      }
    }
    List<Detection> found = new ArrayList<>();
    for (int n = 0; n < candidates; n++) {
      if (bestScore[n] > confThreshold) {
        found.add(fromCentre(bestClass[n], bestScore[n], data[base + n], data[base + candidates + n],
            data[base + 2 * candidates + n], data[base + 3 * candidates + n]));
      }
    }
    return found;
  }

  /** {@code [N, 5 + nc]}: objectness first; a candidate below the threshold there cannot pass. */
  private List<Detection> decodeV5(float[] data, int base, int candidates, float confThreshold) {
    int width = 5 + numClasses;
    List<Detection> found = new ArrayList<>();
    for (int n = 0; n < candidates; n++) {
      int p = base + n * width;
      float objectness = data[p + 4];
      if (!(objectness > confThreshold)) {
        continue;
      }
      int bestClass = 0;
      float bestProbability = data[p + 5];
      for (int c = 1; c < numClasses; c++) {
        if (data[p + 5 + c] > bestProbability) {
          bestProbability = data[p + 5 + c];
          bestClass = c;
        }
      }
      float score = objectness * bestProbability;
      if (score > confThreshold) {
        found.add(fromCentre(bestClass, score, data[p], data[p + 1], data[p + 2], data[p + 3]));
      }
    }
    return found;
  }

  /** {@code [N, 6]}: already corners, scores and class ids. */
  private List<Detection> decodeEndToEnd(float[] data, int base, int candidates, float confThreshold) {
    List<Detection> found = new ArrayList<>();
    for (int n = 0; n < candidates; n++) {
      int p = base + n * 6;
      float score = data[p + 4];
      if (!(score > confThreshold)) {
        continue;
      }
      int classId = Math.round(data[p + 5]);
      if (classId < 0 || classId >= numClasses) {
        throw new IllegalArgumentException("end-to-end output names class " + data[p + 5] + " but only "
            + numClasses + " classes are known; do the class names match the model?");
      }
      found.add(new Detection(classId, score, data[p], data[p + 1], data[p + 2], data[p + 3]));
    }
    return found;
  }

  private static Detection fromCentre(int classId, float score, float cx, float cy, float w, float h) {
    float halfW = w / 2f;
    float halfH = h / 2f;
    return new Detection(classId, score, cx - halfW, cy - halfH, cx + halfW, cy + halfH);
  }
}
