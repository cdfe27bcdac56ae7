package org.geohazard.detection;

import java.util.List;
import java.util.OptionalDouble;

/**
 * What the node knows of one served model when it plans how an image is shown to it.
 *
 * @param version the model's version as stored with results (metadata version + content hash prefix)
 * @param classNames class names by class id
 * @param view the scene view the model was trained on
 * @param gsdM ground sample distance of its training imagery in metres, when it states one
 * @param thresholds per-class thresholds from its metadata (may be {@link HazardThresholds#NONE})
 * @param inputSide the model's (square) input side in pixels
 */
public record ModelProfile(String version, List<String> classNames, SceneView view, OptionalDouble gsdM,
                           HazardThresholds thresholds, int inputSide) {

  public ModelProfile {
    classNames = List.copyOf(classNames);
    if (gsdM.isPresent() && !(gsdM.getAsDouble() > 0)) {
      throw new IllegalArgumentException("gsd_m must be positive");
    }
    if (inputSide < 32) {
      throw new IllegalArgumentException("input side must be >= 32");
    }
  }

  public String className(int classId) {
    return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
  }
}
