package org.geohazard.image;

import org.geohazard.inference.scene.SceneTiler;
import org.geohazard.inference.scene.SceneWindow;
import org.geohazard.inference.scene.TilePlan;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The large-scene path at a size the normal suite can afford (2 600² × 4 bands, 54 MB of samples, a scene over
 * the in-memory pixel budget of many configs); {@code bench.LargeSceneBenchmark} runs the same at 10 980² and measures.
 */
class LargeSceneTest {

  @TempDir
  Path folder;

  @Test
  void everyTileOfAScenePlanReadsTheRightSamples() throws Exception {
    Path file = LargeScene.scene(2600).write(folder.resolve("scene.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      TilePlan plan = new SceneTiler(640).plan(raster.width(), raster.height());
      assertThat(plan.tiles()).hasSize(25);
      float[] samples = new float[640 * 640 * 2];
      for (SceneWindow tile : plan.tiles()) {
        raster.readWindow(tile.x(), tile.y(), 640, 640, new int[] {3, 0}, samples);
        int lastX = tile.x() + 639;
        int lastY = tile.y() + 639;
        assertThat(samples[0]).isEqualTo(LargeScene.expected(3, tile.x(), tile.y()));
        assertThat(samples[640 * 640 + 640 * 640 - 1]).isEqualTo(LargeScene.expected(0, lastX, lastY));
      }
    }
    LargeScene.Result result = LargeScene.readEveryTile(file);
    assertThat(result.tiles()).isEqualTo(25);
  }
}
