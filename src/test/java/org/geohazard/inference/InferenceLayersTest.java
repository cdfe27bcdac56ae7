package org.geohazard.inference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * How the inference area is cut: the worker ({@code inference}) uses runtime, processing and scenes; none of those
 * reaches back into the worker, scenes and processing never touch ONNX Runtime, and none of the three holds a
 * Vert.x type (no event-bus message, no future): they compute, the worker replies.
 */
class InferenceLayersTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.geohazard.inference");

  private static final String[] PARTS = {"org.geohazard.inference.runtime..", "org.geohazard.inference.processing..",
      "org.geohazard.inference.scene.."};

  @Test
  void runtimeProcessingAndScenesDoNotReachBackIntoTheWorker() {
    noClasses().that().resideInAnyPackage(PARTS)
        .should().dependOnClassesThat().resideInAPackage("org.geohazard.inference")
        .check(CLASSES);
  }

  @Test
  void runtimeProcessingAndScenesHoldNoVertxTypes() {
    noClasses().that().resideInAnyPackage(PARTS)
        .should().dependOnClassesThat().resideInAPackage("io.vertx..")
        .check(CLASSES);
  }

  @Test
  void onlyTheRuntimeAndTheWorkerTouchOnnxRuntime() {
    noClasses().that().resideInAnyPackage("org.geohazard.inference.processing..", "org.geohazard.inference.scene..")
        .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
        .check(CLASSES);
  }

  @Test
  void processingDependsOnNoOtherPartOfInference() {
    noClasses().that().resideInAPackage("org.geohazard.inference.processing..")
        .should().dependOnClassesThat().resideInAnyPackage("org.geohazard.inference.runtime..",
            "org.geohazard.inference.scene..")
        .check(CLASSES);
  }
}
