package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
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
  void readsNamesWithSpacesQuotesAndEscapesAsPythonWritesThem() {
    String literal = "{0: \"farmer's field\", 1: 'say \\'hi\\'', 2: 'back\\\\slash', 3: 'caf\\xe9', "
        + "4: 'mud  flow', 5: 'line\\nbreak', 6: '\\u6c34'}";

    assertThat(ModelMetadata.parseNames(literal)).containsExactly(
        "farmer's field", "say 'hi'", "back\\slash", "café", "mud  flow", "line\nbreak", "水");
  }

  @Test
  void ordersNamesByClassIdNotByPosition() {
    assertThat(ModelMetadata.parseNames("{1: 'flood', 0: 'landslide',}")).containsExactly("landslide", "flood");
  }

  @Test
  void readsNamesGivenAsAList() {
    assertThat(ModelMetadata.parseNames("['landslide', \"flood\"]")).containsExactly("landslide", "flood");
  }

  @Test
  void rejectsNamesWithGapsDuplicatesOrBrokenSyntax() {
    assertThatThrownBy(() -> ModelMetadata.parseNames("{0: 'a', 2: 'c'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..1");
    assertThatThrownBy(() -> ModelMetadata.parseNames("{0: 'a', 0: 'b'}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> ModelMetadata.parseNames("{0: 'a'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unexpected end");
    assertThatThrownBy(() -> ModelMetadata.parseNames("{0: 'a} "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> ModelMetadata.parseNames("{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no class names");
    assertThatThrownBy(() -> ModelMetadata.parseNames("{0: 'a'} trailing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the literal");
  }

  @Test
  void readsImageSizeAsHeightThenWidth() {
    assertThat(ModelMetadata.parseImageSize("[480, 640]")).containsExactly(480, 640);
    assertThat(ModelMetadata.parseImageSize("(320, 320)")).containsExactly(320, 320);
    assertThat(ModelMetadata.parseImageSize("1024")).containsExactly(1024, 1024);

    ModelMetadata metadata = ModelMetadata.fromProperties(
        Map.of("names", "{0: 'x'}", "imgsz", "[480, 640]", "stride", "32"), DEFAULTS);
    assertThat(metadata.inputWidth()).isEqualTo(640);
    assertThat(metadata.inputHeight()).isEqualTo(480);
  }

  @Test
  void readsTheLargestStride() {
    assertThat(ModelMetadata.parseStride("32")).isEqualTo(32);
    assertThat(ModelMetadata.parseStride("32.0")).isEqualTo(32);
    assertThat(ModelMetadata.parseStride("[8, 16, 32]")).isEqualTo(32);
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
    assertThat(metadata.view()).isEqualTo(org.geohazard.detection.SceneView.SWIR_NIR_GREEN);
    assertThat(metadata.gsdM().getAsDouble()).isEqualTo(10.0);
    assertThat(metadata.thresholds().of("flood").get().high().getAsDouble()).isEqualTo(0.5);
    assertThat(metadata.fallbacksUsed()).isEmpty();
  }

  @Test
  void anUnknownViewStopsTheModelButBadThresholdsOnlyFallBack() {
    assertThatThrownBy(() -> ModelMetadata.fromProperties(Map.of("view", "thermal"), DEFAULTS))
        .hasMessageContaining("thermal");
    ModelMetadata metadata = ModelMetadata.fromProperties(Map.of("thresholds", "{oops", "gsd_m", "-3"), DEFAULTS);
    assertThat(metadata.thresholds()).isEqualTo(org.geohazard.detection.HazardThresholds.NONE);
    assertThat(metadata.gsdM()).isEmpty();
    assertThat(metadata.view()).isEqualTo(org.geohazard.detection.SceneView.RGB);
    assertThat(metadata.fallbacksUsed()).anyMatch(f -> f.contains("thresholds")).anyMatch(f -> f.contains("gsd_m"));
  }
}
