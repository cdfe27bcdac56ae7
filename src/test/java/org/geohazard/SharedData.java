package org.geohazard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared data folder beside the repository (real rasters with licences, not part of the project):
 * {@code -Dgeohazard.sharedData}, else {@code $GEOHAZARD_SHARED_DATA}, else the project machines'
 * {@code /work/shared/data}, else {@code ../shared/data} as in CI.
 */
public final class SharedData {

  private SharedData() {
  }

  public static Path folder() {
    String property = System.getProperty("geohazard.sharedData");
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String environment = System.getenv("GEOHAZARD_SHARED_DATA");
    if (environment != null && !environment.isBlank()) {
      return Path.of(environment);
    }
    Path onProjectMachines = Path.of("/work/shared/data");
    return Files.isDirectory(onProjectMachines) ? onProjectMachines : Path.of("..", "shared", "data");
  }

  /** The file under the shared folder; skips the calling test, saying why, when it is absent. */
  public static Path require(String relativePath) {
    Path file = folder().resolve(relativePath);
    assumeTrue(Files.isRegularFile(file), "shared data not available: " + file.toAbsolutePath().normalize()
        + " is absent (set -Dgeohazard.sharedData or GEOHAZARD_SHARED_DATA to the folder holding geotiff/)");
    return file;
  }
}
