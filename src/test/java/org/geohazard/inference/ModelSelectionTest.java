package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which images a shadow model sees, and which files an admin call may load. */
class ModelSelectionTest {

  @Test
  void aShadowSeesItsShareOfImagesTheSameWayEveryTime() {
    int selected = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = UUID.randomUUID().toString();
      boolean chosen = ShadowSampling.selects(id, 0.3);
      assertThat(ShadowSampling.selects(id, 0.3)).isEqualTo(chosen);
      selected += chosen ? 1 : 0;
    }
    assertThat((double) selected / n).isBetween(0.28, 0.32);
    String id = UUID.randomUUID().toString();
    assertThat(ShadowSampling.selects(id, 1.0)).isTrue();
    assertThat(ShadowSampling.selects(id, null)).isFalse();
    // A larger share keeps every image a smaller one chose: raising it adds images, never swaps them.
    for (int i = 0; i < 1000; i++) {
      String any = UUID.randomUUID().toString();
      if (ShadowSampling.selects(any, 0.2)) {
        assertThat(ShadowSampling.selects(any, 0.6)).isTrue();
      }
    }
  }

  @Test
  void onlyOnnxFilesBesideTheConfiguredModelsAreLoaded(@TempDir Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    Path configured = Files.writeString(models.resolve("a.onnx"), "x");
    Path candidate = Files.writeString(models.resolve("b.onnx"), "y");
    Path elsewhere = Files.writeString(dir.resolve("c.onnx"), "z");
    Files.writeString(models.resolve("notes.txt"), "n");
    List<Path> paths = List.of(configured);

    assertThat(ModelFiles.resolve(candidate.toString(), paths)).isEqualTo(candidate.toAbsolutePath().normalize());
    assertThat(ModelFiles.resolve(models.resolve("sub/../b.onnx").toString(), paths))
        .isEqualTo(candidate.toAbsolutePath().normalize());
    assertThatThrownBy(() -> ModelFiles.resolve(elsewhere.toString(), paths)).hasMessageContaining("only from");
    assertThatThrownBy(() -> ModelFiles.resolve(models.resolve("../c.onnx").toString(), paths))
        .hasMessageContaining("only from");
    assertThatThrownBy(() -> ModelFiles.resolve(models.resolve("notes.txt").toString(), paths))
        .hasMessageContaining(".onnx");
    assertThatThrownBy(() -> ModelFiles.resolve(models.resolve("missing.onnx").toString(), paths))
        .hasMessageContaining("no model file");
    // The root has no file name (a NullPointerException, answered 500, before).
    assertThatThrownBy(() -> ModelFiles.resolve("/", paths)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".onnx");
    assertThatThrownBy(() -> ModelFiles.resolve("a\u0000b.onnx", paths)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a file path");
  }
}
