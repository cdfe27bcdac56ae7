package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.geohazard.extent.MaskGrid;
import org.geohazard.geo.GeoReference;
import org.junit.jupiter.api.Test;

/** What a look at a scene for another scene runs ({@link ScenePlanner#detectorsWherePossible}). */
class ScenePlannerTest {

  private static Scene.Pass<String> detector(String model) {
    return new Scene.Pass<>(model, null, null, null, false, null);
  }

  private static Scene.Pass<String> mask(String model) throws Exception {
    GeoReference scene = GeoReference.ofGeoTransform(32630, true, 600_000, 10, 0, 4_200_000, 0, -10);
    SceneMaskJob job = new SceneMaskJob(256, 256, new SceneTiler(256, 0.2).plan(256, 256).tiles(),
        MaskGrid.atModelScale(scene, 256, 256, 10), 0.4, 26);
    return new Scene.Pass<>(model, null, null, null, false, null, job);
  }

  @Test
  void aLookForAnotherSceneRunsTheDetectorsAndNoMaskModel() throws Exception {
    List<Scene.Pass<String>> planned = List.of(detector("s1flood"), mask("s1seg"), detector("rgb"));
    assertThat(ScenePlanner.detectorsWherePossible(planned)).extracting(Scene.Pass::model)
        .containsExactly("s1flood", "rgb");
  }

  @Test
  void aSceneOnlyMaskModelsLookAtKeepsThem() throws Exception {
    List<Scene.Pass<String>> planned = List.of(mask("s1seg"));
    assertThat(ScenePlanner.detectorsWherePossible(planned)).isEqualTo(planned);
  }
}
