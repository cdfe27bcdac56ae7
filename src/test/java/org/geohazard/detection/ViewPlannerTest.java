package org.geohazard.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ViewPlannerTest {

  private static final HazardThresholds NONE = HazardThresholds.NONE;
  private final ModelProfile rgb = new ModelProfile("rgb-1", List.of("landslide", "flood"), SceneView.RGB,
      OptionalDouble.of(10), NONE, 320);
  private final ModelProfile flood = new ModelProfile("s2-1", List.of("flood"), SceneView.SWIR_NIR_GREEN,
      OptionalDouble.of(10), NONE, 256);
  private final List<ModelProfile> both = List.of(rgb, flood);
  private final ModelProfile radar = new ModelProfile("s1-1", List.of("flood"), SceneView.SAR_VV_PAIR,
      OptionalDouble.of(10), NONE, 256);
  private final List<ModelProfile> all = List.of(rgb, flood, radar);

  private static ViewPlanner.ImageFacts facts(int bands, boolean raster, Sensor sensor, String requested, Double gsd) {
    return new ViewPlanner.ImageFacts(bands, raster, Optional.ofNullable(sensor), requested,
        gsd == null ? OptionalDouble.empty() : OptionalDouble.of(gsd));
  }

  @Test
  void aPhotoIsShownToTheColourModelOnlyAtAnUnknownScale() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(3, false, null, null, null));
    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).model()).isZero();
    assertThat(passes.get(0).bands()).isNull();
    assertThat(passes.get(0).scale()).isEmpty();
  }

  @Test
  void aSentinel2StackIsShownToEachModelThroughItsOwnBands() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(13, true, null, null, 8.9));
    assertThat(passes).hasSize(2);
    assertThat(passes.get(0).bands()).containsExactly(4, 3, 2);
    assertThat(passes.get(1).model()).isEqualTo(1);
    assertThat(passes.get(1).bands()).containsExactly(12, 8, 3);
    assertThat(passes.get(1).scale().getAsDouble()).isEqualTo(0.89, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aNamedSensorPicksItsRecipe() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(7, true, Sensor.LANDSAT8, null, 30.0));
    assertThat(passes).extracting(ViewPlanner.Pass::bands).containsExactly(new int[] {4, 3, 2}, new int[] {6, 5, 3});
  }

  @Test
  void namedBandsGoToTheColourModelAlone() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(13, true, null, "8,4,3", 10.0));
    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).model()).isZero();
    assertThat(passes.get(0).bands()).isNull();  // the reader takes the caller's bands
  }

  @Test
  void aStackOfUnknownLayoutGetsTheDefaultBandsOfTheColourModel() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(5, true, null, null, 10.0));
    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).model()).isZero();
  }

  @Test
  void aModelWithoutAGroundScaleKeepsTheScenesOwnResolution() {
    ModelProfile anyScale = new ModelProfile("u", List.of("flood"), SceneView.RGB, OptionalDouble.empty(), NONE, 640);
    assertThat(ViewPlanner.plan(List.of(anyScale), facts(3, true, null, null, 0.5)).get(0).scale().getAsDouble())
        .isEqualTo(1.0);
  }

  @Test
  void sensorsAndTheirBandRecipes() {
    assertThat(Sensor.fromWire("landsat9")).isEqualTo(Sensor.LANDSAT8);
    assertThat(Sensor.SENTINEL2.bands(SceneView.SWIR_NIR_GREEN, 12)).hasValueSatisfying(
        b -> assertThat(b).containsExactly(11, 8, 3));
    assertThat(Sensor.LANDSAT7.bands(SceneView.TRUE_COLOUR, 6)).hasValueSatisfying(
        b -> assertThat(b).containsExactly(3, 2, 1));
    assertThat(Sensor.SENTINEL2.bands(SceneView.RGB, 4)).isEmpty();
    assertThat(Sensor.guess(13)).contains(Sensor.SENTINEL2);
    assertThat(Sensor.guess(4)).isEmpty();
  }

  @Test
  void aRadarSceneIsShownToTheRadarModelAloneThroughItsVvBand() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(all, facts(2, true, Sensor.SENTINEL1, null, 10.0));
    assertThat(passes).hasSize(1);
    assertThat(passes.get(0).model()).isEqualTo(2);
    assertThat(passes.get(0).bands()).containsExactly(1);
  }

  @Test
  void opticalScenesAreNeverShownToTheRadarModel() {
    assertThat(ViewPlanner.plan(all, facts(13, true, null, null, 10.0))).extracting(ViewPlanner.Pass::model)
        .containsExactly(0, 1);
    assertThat(ViewPlanner.plan(all, facts(3, false, null, null, null))).extracting(ViewPlanner.Pass::model)
        .containsExactly(0);
  }

  @Test
  void aRadarSceneWithoutARadarModelFallsBackToTheColourModel() {
    List<ViewPlanner.Pass> passes = ViewPlanner.plan(both, facts(2, true, Sensor.SENTINEL1, null, 10.0));
    assertThat(passes).extracting(ViewPlanner.Pass::model).containsExactly(0);
  }

  @Test
  void sentinel1IsNamedOrGuessedFromFloatingPointBands() {
    assertThat(Sensor.fromWire("s1")).isEqualTo(Sensor.SENTINEL1);
    assertThat(Sensor.guess(2, true)).contains(Sensor.SENTINEL1);
    assertThat(Sensor.guess(1, true)).contains(Sensor.SENTINEL1);
    assertThat(Sensor.guess(2, false)).isEmpty();
    assertThat(Sensor.guess(3, true)).isEmpty();
    assertThat(Sensor.guess(13, false)).contains(Sensor.SENTINEL2);
    assertThat(Sensor.SENTINEL1.bands(SceneView.SAR_VV_PAIR, 3)).isEmpty();
    assertThat(Sensor.SENTINEL1.bands(SceneView.RGB, 2)).isEmpty();
    assertThat(Sensor.SENTINEL2.bands(SceneView.SAR_VV_PAIR, 13)).isEmpty();
    assertThat(SceneView.fromMetadata("sar_vv_pair")).isEqualTo(SceneView.SAR_VV_PAIR);
    assertThat(SceneView.SAR_VV_PAIR.isColour()).isFalse();
  }
}
