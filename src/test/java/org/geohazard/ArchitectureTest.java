package org.geohazard;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Dependency rules that keep each resource with the one area that owns it, and the packages in the order
 * an image flows through them: {@code Main} → {@code cli} (the command line) → {@code node} (composition root) → the verticle areas side by
 * side → {@code bus} (typed messages) → {@code analysis}, {@code image}, {@code extent} → {@code geo}, {@code cache},
 * {@code storage}, {@code messaging} → {@code config}, {@code metrics}, {@code detection}, {@code auth}.
 */
class ArchitectureTest {

  private static final String[] VERTICLE_AREAS = {"org.geohazard.api..", "org.geohazard.pipeline..",
      "org.geohazard.inference..", "org.geohazard.persistence..", "org.geohazard.alerts.."};

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.geohazard.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void everyPackageImportsOnlyDownwards() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("main").definedBy("org.geohazard")
        .layer("cli").definedBy("org.geohazard.cli..")
        .layer("node").definedBy("org.geohazard.node..")
        .layer("verticles").definedBy(VERTICLE_AREAS)
        .layer("bus").definedBy("org.geohazard.bus..")
        .layer("domain").definedBy("org.geohazard.analysis..", "org.geohazard.image..", "org.geohazard.extent..")
        .layer("services").definedBy("org.geohazard.geo..", "org.geohazard.cache..", "org.geohazard.storage..",
            "org.geohazard.messaging..")
        .layer("base").definedBy("org.geohazard.config..", "org.geohazard.metrics..", "org.geohazard.detection..",
            "org.geohazard.auth..")
        .whereLayer("main").mayNotBeAccessedByAnyLayer()
        .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
        .whereLayer("node").mayOnlyBeAccessedByLayers("main", "cli")
        .whereLayer("verticles").mayOnlyBeAccessedByLayers("main", "cli", "node")
        .whereLayer("bus").mayOnlyBeAccessedByLayers("main", "cli", "node", "verticles")
        .whereLayer("domain").mayOnlyBeAccessedByLayers("main", "cli", "node", "verticles", "bus")
        .whereLayer("services").mayOnlyBeAccessedByLayers("main", "cli", "node", "verticles", "bus", "domain")
        .check(CLASSES);
  }

  @Test
  void verticleAreasDoNotReachIntoEachOther() {
    for (String area : VERTICLE_AREAS) {
      String[] others = java.util.Arrays.stream(VERTICLE_AREAS).filter(a -> !a.equals(area)).toArray(String[]::new);
      noClasses().that().resideInAPackage(area).should().dependOnClassesThat().resideInAnyPackage(others)
          .check(CLASSES);
    }
  }

  @Test
  void sameLayerServicesAndDomainPackagesDoNotUseEachOther() {
    noClasses().that().resideInAPackage("org.geohazard.analysis..")
        .should().dependOnClassesThat().resideInAPackage("org.geohazard.image..").check(CLASSES);
    noClasses().that().resideInAPackage("org.geohazard.image..")
        .should().dependOnClassesThat().resideInAPackage("org.geohazard.analysis..").check(CLASSES);
  }

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
  void pureLogicHasNoVertxTypes() {
    noClasses().that().haveSimpleNameEndingWith("Rules").or().haveSimpleName("AnalysisBuilder")
        .or().haveSimpleName("OffsetTracker").or().haveSimpleName("RetryPolicy").or().haveSimpleName("GeoMath")
        .or().haveSimpleName("Letterbox").or().haveSimpleName("NonMaxSuppression").or().haveSimpleName("DynamicBatcher")
        .or().haveSimpleName("GeoTiffRaster").or().haveSimpleName("BandStretch").or().haveSimpleName("GeoReference")
        .or().haveSimpleName("DetectionGeometry").or().haveSimpleName("SceneTiler").or().haveSimpleName("SeamMerger")
        .or().haveSimpleName("ViewPlanner").or().haveSimpleName("SceneJob")
        .or().resideInAPackage("org.geohazard.extent..")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.core..")
        .check(CLASSES);
  }

  /**
   * src/bench compiles only with {@code -Pbench} ({@code mvn -Pbench test-compile}, which every bench and chaos
   * script runs), into target/bench-classes, kept off the tests' classpath so that surefire never runs a benchmark.
   * These rules read that folder; without it they are skipped (reported as such), not passed.
   */
  @Test
  void benchmarksAndChaosHarnessesKeepToTheirOwnPackages() {
    Path benchClasses = Path.of("target", "bench-classes");
    assumeTrue(Files.isDirectory(benchClasses), "no " + benchClasses + ": build it with mvn -Pbench test-compile");
    JavaClasses bench = new ClassFileImporter().importPath(benchClasses);
    // Not in main's packages: a bench class there reaches package-private state and splits the package.
    classes().should().resideInAnyPackage("org.geohazard.bench..", "org.geohazard.chaos..", "org.geohazard.harness..")
        .check(bench);
    noClasses().that().resideInAPackage("org.geohazard.bench..")
        .should().dependOnClassesThat().resideInAPackage("org.geohazard.chaos..").check(bench);
    noClasses().that().resideInAPackage("org.geohazard.chaos..")
        .should().dependOnClassesThat().resideInAPackage("org.geohazard.bench..").check(bench);
    noClasses().that().resideInAPackage("org.geohazard.harness..")
        .should().dependOnClassesThat().resideInAnyPackage("org.geohazard.bench..", "org.geohazard.chaos..")
        .check(bench);
  }
}
