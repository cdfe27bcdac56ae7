package org.geohazard.inference.scene;

import java.util.List;
import org.geohazard.detection.Detection;

/** What the model found in one window of a scene, already moved to scene pixels ({@link SceneWindow#toScene}). */
public record WindowDetections(SceneWindow window, List<Detection> detections) {

  public WindowDetections {
    if (window == null) {
      throw new IllegalArgumentException("window is required");
    }
    detections = List.copyOf(detections);
  }
}
