package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.Priority;
import org.geohazard.bus.RecordJson;
import org.junit.jupiter.api.Test;

class ImageClaimTest {

  private static final String SHA = "a".repeat(64);

  @Test
  void roundTripsThroughJsonWithItsVersion() {
    ImageClaim claim = new ImageClaim("id-1", SHA, "images/sha256/" + SHA, "image/png", Priority.HIGH, 1.5, -2.5, 10.0, "4,3,2", "sentinel2", 42L);
    JsonObject json = claim.toJson();
    assertThat(json.getInteger("v")).isEqualTo(ImageClaim.VERSION);
    assertThat(json.containsKey("bytes")).isFalse();
    assertThat(ImageClaim.fromJson(json)).isEqualTo(claim);
    assertThat(claim.highPriority()).isTrue();
  }

  @Test
  void aReanalysisClaimNamesItsModelAndAnOlderClaimWithoutOneStillReads() {
    ImageClaim named = new ImageClaim("id-1", SHA, "k", "image/png", Priority.NORMAL, null, null, null, null, null, 7L,
        "geohazard-rgb-2.0+abc");
    assertThat(ImageClaim.fromJson(named.toJson())).isEqualTo(named);
    JsonObject older = named.toJson();
    older.remove("model");
    assertThat(ImageClaim.fromJson(older).model()).isNull();
  }

  @Test
  void theOtherSensorsSceneTravelsInsideTheClaimOnKafkaAndOnTheBus() {
    String otherSha = "b".repeat(64);
    ImageClaim radar = new ImageClaim("radar-content", otherSha, "images/sha256/" + otherSha, "image/tiff",
        Priority.NORMAL, null, null, null, null, "sentinel1", 3L, null, "images/sha256/" + "c".repeat(64));
    ImageClaim optical = new ImageClaim("optical-content", SHA, "images/sha256/" + SHA, "image/tiff", Priority.HIGH,
        null, null, null, null, "sentinel2", 5L, null, null).withOtherSensor(radar);
    assertThat(optical.otherSensor()).isEqualTo(radar);
    ImageClaim read = ImageClaim.fromJson(optical.toJson());
    assertThat(read).isEqualTo(optical);
    // A node from before the field would half-read it: such a claim has a version of its own.
    assertThat(optical.toJson().getInteger("v")).isEqualTo(ImageClaim.VERSION_WITH_OTHER_SENSOR);
    assertThat(optical.toJson().getJsonObject("other_sensor").getInteger("v")).isEqualTo(ImageClaim.VERSION);
    // Persistence answers content lookups over the event bus by the record's components.
    assertThat(RecordJson.<ImageClaim>decode(ImageClaim.class, RecordJson.encode(optical))).isEqualTo(optical);
    assertThat(read.otherSensor().beforeObjectKey()).isEqualTo("images/sha256/" + "c".repeat(64));
    // A registration carries it across the event bus by its components.
    ImageRegistration registration = new ImageRegistration("id-9", SHA, "k", "s2.tif", "image/tiff", 10, 2, 2, 13,
        16, null, null, null, Priority.NORMAL, null, null, "sentinel2", java.util.List.of(), 1L, null, null, null,
        radar);
    assertThat(RecordJson.<ImageRegistration>decode(ImageRegistration.class, RecordJson.encode(registration)))
        .isEqualTo(registration);
    // A claim written before the field: none.
    JsonObject older = optical.toJson();
    older.remove("other_sensor");
    assertThat(ImageClaim.fromJson(older).otherSensor()).isNull();
    // One level deep: the other scene is looked at alone (or as its own pair), never with a third.
    assertThatThrownBy(() -> radar.withOtherSensor(optical)).hasMessageContaining("alone");
  }

  @Test
  void modelChangesAreCheckedWhenMade() {
    ModelInstall shadow = new ModelInstall("models/a.onnx", "shadow", 0.25);
    assertThat(RecordJson.<ModelInstall>decode(ModelInstall.class, RecordJson.encode(shadow))).isEqualTo(shadow);
    assertThatThrownBy(() -> new ModelInstall("models/a.onnx", "shadow", null)).hasMessageContaining("shadow_share");
    assertThatThrownBy(() -> new ModelInstall("models/a.onnx", "shadow", 0.0)).hasMessageContaining("shadow_share");
    assertThatThrownBy(() -> new ModelInstall("models/a.onnx", "replace", null)).hasMessageContaining("mode");
    assertThatThrownBy(() -> new ModelInstall(" ", "serve", null)).hasMessageContaining("path");
  }

  @Test
  void aModelSummaryCrossesTheWireWithItsCardAndThresholds() {
    ModelSummary summary = new ModelSummary("geohazard-rgb", "geohazard-rgb-2.0+abc", SHA, ModelSummary.SHADOW, 0.5,
        "models/geohazard-rgb.onnx", "rgb", null, java.util.List.of("landslide", "flood"),
        new JsonObject().put("flood", new JsonObject().put("report", 0.07)),
        new JsonObject().put("real_labels", new JsonObject()), 320, 320, "cpu");
    ModelSummary read = RecordJson.decode(ModelSummary.class, RecordJson.encode(summary));
    assertThat(read).isEqualTo(summary);
    assertThat(read.shadow()).isTrue();
  }

  @Test
  void refusesUnknownVersionsAndMissingFields() {
    JsonObject json = new ImageClaim("id-1", SHA, "k", "image/png", Priority.NORMAL, null, null, null, null, null, 0).toJson();
    assertThatThrownBy(() -> ImageClaim.fromJson(json.copy().put("v", 3))).hasMessageContaining("version");
    assertThatThrownBy(() -> ImageClaim.fromJson(json.copy().put("sha256", "abc"))).hasMessageContaining("sha256");
    JsonObject withoutId = json.copy();
    withoutId.remove("image_id");
    assertThatThrownBy(() -> ImageClaim.fromJson(withoutId)).hasMessageContaining("image id");
  }
}
