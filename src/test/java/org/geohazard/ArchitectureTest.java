package org.geohazard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependency rules that keep each resource with the one area that owns it. */
class ArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.geohazard");

  @Test
  void onlyInferenceTouchesOnnxRuntime() {
    noClasses().that().resideOutsideOfPackage("org.geohazard.inference..")
        .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
        .check(CLASSES);
  }

  @Test
  void onlyPersistenceTouchesTheSqlClient() {
    noClasses().that().resideOutsideOfPackage("org.geohazard.persistence..")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.mysqlclient..")
        .check(CLASSES);
  }

  @Test
  void onlyTheConsumerVerticleConsumesKafka() {
    noClasses().that().resideOutsideOfPackage("org.geohazard.pipeline..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.kafka.client.consumer.KafkaConsumer")
        .check(CLASSES);
  }

  @Test
  void apiDoesNotReachIntoOtherVerticles() {
    noClasses().that().resideInAPackage("org.geohazard.api..")
        .should().dependOnClassesThat().resideInAnyPackage("org.geohazard.persistence..", "org.geohazard.inference..",
            "org.geohazard.pipeline..", "org.geohazard.alerts..")
        .check(CLASSES);
  }

  @Test
  void pureLogicHasNoVertxTypes() {
    noClasses().that().haveSimpleNameEndingWith("Rules").or().haveSimpleName("AnalysisBuilder")
        .or().haveSimpleName("OffsetTracker").or().haveSimpleName("RetryPolicy").or().haveSimpleName("GeoMath")
        .or().haveSimpleName("Letterbox").or().haveSimpleName("NonMaxSuppression").or().haveSimpleName("DynamicBatcher")
        .or().haveSimpleName("GeoTiffRaster").or().haveSimpleName("BandStretch").or().haveSimpleName("GeoReference")
        .or().haveSimpleName("DetectionGeometry").or().haveSimpleName("SceneTiler").or().haveSimpleName("SeamMerger")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.core..")
        .check(CLASSES);
  }
}
