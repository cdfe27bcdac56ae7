package org.geohazard.inference.scene;

import org.geohazard.analysis.ModelEvidence;
import org.geohazard.detection.ModelProfile;

/**
 * What scene planning and assembly need of a model: what it sees of a scene (view, scale, input side, classes,
 * thresholds) and what its card supports. The inference worker's served models are these; scenes hold them by
 * identity and never run them.
 */
public interface SceneModel {

  ModelProfile profile();

  ModelEvidence evidence();

  /** Whether the model gives a flood probability per pixel (a mask model) rather than boxes. */
  default boolean masks() {
    return false;
  }

  /** A mask model's flood threshold (its metadata's {@code mask_threshold}); meaningless for a detector. */
  default double maskThreshold() {
    return 0.5;
  }
}
