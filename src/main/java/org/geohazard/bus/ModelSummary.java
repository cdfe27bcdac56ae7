package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One model an inference worker has loaded, as the registry and the cluster view describe it.
 *
 * @param name the file's name without {@code .onnx}
 * @param version the model's own version (its metadata), recorded with every analysis it makes
 * @param sha256 the file's content hash: two files of one version but other weights are told apart
 * @param role {@link #SERVING} (its analyses are results) or {@link #SHADOW} (a candidate whose analyses are
 *     only compared, never published or alerted on)
 * @param shadowShare for a shadow model, the share of images it also looks at; null when serving
 * @param thresholds the per-class thresholds from its metadata ({@code {class: {report, medium, high, critical}}})
 * @param accuracy its model card's accuracy table on real labels, when its card file is beside it; else null
 */
public record ModelSummary(String name, String version, String sha256, String role, Double shadowShare, String path,
                           String view, Double gsdM, List<String> classes, JsonObject thresholds, JsonObject accuracy,
                           int inputWidth, int inputHeight, String executionProvider) {
  public static final String SERVING = "serving";
  public static final String SHADOW = "shadow";

  public ModelSummary {
    classes = List.copyOf(classes);
    thresholds = thresholds == null ? new JsonObject() : thresholds;
  }

  /**
   * The summary a heartbeat carries: without the card's accuracy table (kilobytes per model, every 2 s, to every
   * node); the registry asks a node for the whole summaries when it is read.
   */
  public ModelSummary withoutCard() {
    return new ModelSummary(name, version, sha256, role, shadowShare, path, view, gsdM, classes, thresholds, null,
        inputWidth, inputHeight, executionProvider);
  }

  public boolean shadow() {
    return SHADOW.equals(role);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("version", version)
        .put("sha256", sha256)
        .put("role", role)
        .put("shadow_share", shadowShare)
        .put("path", path)
        .put("view", view)
        .put("gsd_m", gsdM)
        .put("classes", new JsonArray(classes))
        .put("thresholds", thresholds)
        .put("accuracy", accuracy)
        .put("input_width", inputWidth)
        .put("input_height", inputHeight)
        .put("execution_provider", executionProvider);
  }
}
