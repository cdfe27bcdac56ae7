package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The build's software bill of materials (CycloneDX, written by the package phase beside the jar) names what the
 * jar ships with the versions actually on the classpath, so that operators can scan it; test-only libraries are
 * not in it.
 */
class SbomIT {

  @Test
  void theBillOfMaterialsListsTheShippedDependenciesWithTheVersionsOnTheClasspath() throws Exception {
    Path bom = LocalStack.repoRoot().resolve("target/bom.json");
    assertThat(bom).as("written by cyclonedx-maven-plugin in the package phase").isRegularFile();
    JsonObject document = new JsonObject(Files.readString(bom));
    assertThat(document.getString("bomFormat")).isEqualTo("CycloneDX");
    Map<String, String> versions = document.getJsonArray("components").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(c -> c.getString("group") + ":" + c.getString("name"),
            c -> c.getString("version", ""), (a, b) -> a));
    for (String artifact : List.of("io.vertx:vertx-core", "io.vertx:vertx-kafka-client", "software.amazon.awssdk:s3",
        "org.locationtech.jts:jts-core")) {
      assertThat(versions).as(artifact).containsEntry(artifact, classpathVersion(artifact));
    }
    // ONNX Runtime's jar records no Maven version inside it: named, with a version, is what can be checked.
    assertThat(versions.get("com.microsoft.onnxruntime:onnxruntime")).as("onnxruntime").isNotBlank();
    assertThat(versions).doesNotContainKeys("org.junit.jupiter:junit-jupiter-api", "org.assertj:assertj-core",
        "org.seleniumhq.selenium:selenium-java");
  }

  /** The version Maven recorded inside the jar on this test's classpath (META-INF/maven/.../pom.properties). */
  private static String classpathVersion(String artifact) throws IOException {
    String[] parts = artifact.split(":");
    String resource = "/META-INF/maven/" + parts[0] + "/" + parts[1] + "/pom.properties";
    try (InputStream in = SbomIT.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    }
  }
}
