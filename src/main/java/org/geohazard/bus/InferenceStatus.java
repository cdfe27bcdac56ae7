package org.geohazard.bus;

import java.util.List;

/**
 * The models an inference worker has loaded.
 */
public record InferenceStatus(List<ModelSummary> models) {
  public InferenceStatus {
    models = List.copyOf(models);
  }
}
