package org.geohazard.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The stand-in model (models/geohazard-standin.onnx, untrained colour rules) with a <b>test-only</b> evidence card
 * beside it, in a folder of the build's: a card claiming real-label evidence for every level of landslide and flood
 * at the default probability bands (the stand-in calibrates nothing). It is made up, and says so in its
 * {@code source}; it exists so that tests of the pipeline (alerts, webhooks, the stream, CAP), which paint images
 * to the stand-in's colour rules, still get the levels the scores give: those tests are about delivery, not about
 * whether a model is right. The stand-in alone, without this card, has no evidence and is capped like any
 * operator's model (EvidenceIT, AnalysisEvidenceTest).
 */
public final class StandinCard {

  private StandinCard() {
  }

  /** The copy of the stand-in beside its test-only card (made once per build folder; idempotent). */
  public static synchronized Path model() {
    Path folder = Path.of("target", "test-models").toAbsolutePath();
    Path model = folder.resolve("geohazard-standin.onnx");
    try {
      Files.createDirectories(folder);
      Files.copy(Path.of("models", "geohazard-standin.onnx").toAbsolutePath(), model,
          StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(folder.resolve("geohazard-standin.card.json"),
          card().put("sha256", org.geohazard.image.ContentHash.sha256(model)).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return model;
  }

  /** The card: evidence for landslide and flood at every level (100 of 100 flagged images right); no sha256. */
  public static JsonObject card() {
    JsonObject levels = new JsonObject();
    // The default bands (RiskLevel's thresholds), the levels an uncalibrated model's scores are read at.
    levels.put("medium", level(0.40)).put("high", level(0.65)).put("critical", level(0.85));
    JsonObject sets = new JsonObject().put("sets", new JsonArray().add("test_only_not_real"));
    return new JsonObject()
        .put("model_file", "geohazard-standin.onnx")
        .put("version", "standin-0.1")
        .put("source", "TEST ONLY (src/test/java/org/geohazard/testing/StandinCard.java): made-up evidence so "
            + "that pipeline tests painting to the stand-in's colour rules get the levels its scores give")
        .put("real_labels", new JsonObject().put("test_only_not_real", new JsonObject()
            .put("images", 200).put("hazard_images", 100).put("image_level", levels)))
        .put("evidence", new JsonObject().put("landslide", sets).put("flood", sets));
  }

  private static JsonObject level(double threshold) {
    return new JsonObject().put("threshold", threshold).put("tp", 100).put("fp", 0).put("precision", 1.0)
        .put("recall", 1.0).put("specificity", 1.0);
  }
}
