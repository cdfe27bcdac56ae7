package org.geohazard.inference.processing;

import java.util.ArrayList;
import java.util.List;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;

/**
 * From one run's raw output to each image's detections: {@link YoloOutputDecoder} keeps the candidates above the
 * lowest class threshold, {@link NonMaxSuppression} works class by class, each class is then held to its own
 * threshold (the model's calibrated {@code report} one, else the configured confidence), and the boxes go back
 * to each image's own pixels through its {@link Letterbox.Placement}. Immutable; safe on any thread.
 */
public final class DetectionDecoding {

  private final YoloOutputDecoder decoder;
  private final NonMaxSuppression suppression;
  /** Candidates are decoded above the lowest class threshold, then each class is held to its own. */
  private final float confThreshold;
  private final float[] classThresholds;

  /**
   * @param classNames the model's classes by id
   * @param thresholds the model's calibrated thresholds by class name ({@link HazardThresholds#NONE} when none)
   */
  public DetectionDecoding(Postprocessing postprocessing, List<String> classNames, HazardThresholds thresholds) {
    decoder = new YoloOutputDecoder(classNames.size(), postprocessing.layout());
    suppression = new NonMaxSuppression(postprocessing.iouThreshold(), postprocessing.maxDetections());
    classThresholds = new float[classNames.size()];
    float lowest = postprocessing.confThreshold();
    for (int c = 0; c < classThresholds.length; c++) {
      // A class the model calibrated uses its own 'report' threshold; others the configured one.
      classThresholds[c] = thresholds.of(classNames.get(c))
          .map(t -> (float) t.report()).orElse(postprocessing.confThreshold());
      lowest = Math.min(lowest, classThresholds[c]);
    }
    confThreshold = lowest;
  }

  /** The output layout a model with this output shape is read in; fails when it cannot be decoded. */
  public YoloOutputDecoder.Layout layoutOf(long[] outputShape) {
    return decoder.resolve(outputShape);
  }

  /**
   * Each image's detections, best first, in its own pixels.
   *
   * @param data the run's output values, row-major
   * @param shape their shape as ONNX Runtime reports it
   * @param placements one per image of the run, in batch order
   */
  public List<List<Detection>> decode(float[] data, long[] shape, List<Letterbox.Placement> placements) {
    List<List<Detection>> candidates = decoder.decode(data, shape, confThreshold);
    if (candidates.size() != placements.size()) {
      throw new IllegalArgumentException("output holds " + candidates.size() + " images, " + placements.size()
          + " placements given");
    }
    List<List<Detection>> results = new ArrayList<>(placements.size());
    for (int i = 0; i < placements.size(); i++) {
      Letterbox.Placement placement = placements.get(i);
      // NMS is class-wise, so dropping a class's boxes below its own threshold after it changes nothing else.
      results.add(suppression.apply(candidates.get(i)).stream()
          .filter(d -> d.classId() >= classThresholds.length || d.score() > classThresholds[d.classId()])
          .map(placement::mapBack).toList());
    }
    return results;
  }
}
