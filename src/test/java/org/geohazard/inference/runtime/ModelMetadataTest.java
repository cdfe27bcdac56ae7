package org.geohazard.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.detection.SceneView;
import org.junit.jupiter.api.Test;

class ModelMetadataTest {

  private static final ModelMetadata.Defaults DEFAULTS =
      new ModelMetadata.Defaults(List.of("a", "b"), 1024, 768, 64);

  @Test
  void readsAnUltralyticsExport() {
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of(
        "names", "{0: 'landslide', 1: 'flood', 2: 'water_body', 3: 'vegetation_loss'}",
        "imgsz", "[640, 640]",
        "stride", "32",
        "task", "detect",
        "version", "8.3.40"), DEFAULTS);

    assertThat(metadata.classNames()).containsExactly("landslide", "flood", "water_body", "vegetation_loss");
    assertThat(metadata.inputWidth()).isEqualTo(640);
    assertThat(metadata.inputHeight()).isEqualTo(640);
    assertThat(metadata.stride()).isEqualTo(32);
    assertThat(metadata.task()).isEqualTo("detect");
    assertThat(metadata.version()).isEqualTo("8.3.40");
    assertThat(metadata.fallbacksUsed()).isEmpty();
  }

  @Test
  void readsImageSizeAsHeightThenWidth() {
    ModelMetadata metadata = ModelMetadata.fromProperties(
        Map.of("names", "{0: 'x'}", "imgsz", "[480, 640]", "stride", "32"), DEFAULTS);
    assertThat(metadata.inputWidth()).isEqualTo(640);
    assertThat(metadata.inputHeight()).isEqualTo(480);
  }

  @Test
  void fallsBackToTheDefaultsForAbsentValuesAndSaysSo() {
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of(), DEFAULTS);

    assertThat(metadata.classNames()).containsExactly("a", "b");
    assertThat(metadata.inputWidth()).isEqualTo(1024);
    assertThat(metadata.inputHeight()).isEqualTo(768);
    assertThat(metadata.stride()).isEqualTo(64);
    assertThat(metadata.task()).isEqualTo("detect");
    assertThat(metadata.version()).isEmpty();
    assertThat(metadata.fallbacksUsed()).hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("'names'").contains("config"))
        .anySatisfy(line -> assertThat(line).contains("'imgsz'"))
        .anySatisfy(line -> assertThat(line).contains("'stride'"));
  }

  @Test
  void fallsBackToTheDefaultsForMalformedValuesAndSaysWhy() {
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of(
        "names", "{0: 'landslide'",
        "imgsz", "[640, wide]",
        "stride", "-32"), DEFAULTS);

    assertThat(metadata.classNames()).containsExactly("a", "b");
    assertThat(metadata.inputWidth()).isEqualTo(1024);
    assertThat(metadata.stride()).isEqualTo(64);
    assertThat(metadata.fallbacksUsed()).hasSize(3)
        .anySatisfy(line -> assertThat(line).contains("'names' is unreadable"))
        .anySatisfy(line -> assertThat(line).contains("'imgsz' is unreadable").contains("wide"))
        .anySatisfy(line -> assertThat(line).contains("'stride' is unreadable"));
  }

  @Test
  void namesUnknownClassIdsInsteadOfFailing() {
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of(), DEFAULTS);

    assertThat(metadata.className(1)).isEqualTo("b");
    assertThat(metadata.className(7)).isEqualTo("class_7");
  }

  @Test
  void rejectsEmptyDefaults() {
    assertThatThrownBy(() -> new ModelMetadata.Defaults(List.of(), 640, 640, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheViewGroundScaleAndThresholdsAModelStates() {
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of("names", "{0: 'flood'}", "imgsz", "[256, 256]", "stride", "32",
        "view", "swir_nir_green", "gsd_m", "10", "thresholds", "{\"flood\":{\"report\":0.2,\"high\":0.5}}"),
        DEFAULTS);
    assertThat(metadata.view()).isEqualTo(SceneView.SWIR_NIR_GREEN);
    assertThat(metadata.gsdM().getAsDouble()).isEqualTo(10.0);
    assertThat(metadata.thresholds().of("flood").get().high().getAsDouble()).isEqualTo(0.5);
    assertThat(metadata.fallbacksUsed()).isEmpty();
  }

  @Test
  void anUnknownViewStopsTheModelButBadThresholdsOnlyFallBack() {
    assertThatThrownBy(() -> ModelMetadata.fromProperties(Map.of("view", "thermal"), DEFAULTS))
        .hasMessageContaining("thermal");
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of("thresholds", "{oops", "gsd_m", "-3"), DEFAULTS);
    assertThat(metadata.thresholds()).isEqualTo(HazardThresholds.NONE);
    assertThat(metadata.gsdM()).isEmpty();
    assertThat(metadata.view()).isEqualTo(SceneView.RGB);
    assertThat(metadata.fallbacksUsed()).anyMatch(f -> f.contains("thresholds")).anyMatch(f -> f.contains("gsd_m"));
  }
}
