package org.geohazard;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.vertx.core.VerticleBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependency rules that keep each resource with the one area that owns it, and the packages in the order
 * an image flows through them: {@code Main} → {@code cli} (the command line) → {@code node} (composition root) → the verticle areas side by
 * side → {@code bus} (typed messages) → {@code analysis}, {@code image}, {@code reference}, {@code extent}, {@code ogc} → {@code geo},
 * {@code cache}, {@code storage}, {@code messaging} → {@code config}, {@code metrics}, {@code detection}, {@code auth},
 * {@code retry}.
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
        .layer("domain").definedBy("org.geohazard.analysis..", "org.geohazard.image..", "org.geohazard.reference..",
            "org.geohazard.extent..", "org.geohazard.ogc..", "org.geohazard.change..")
        .layer("services").definedBy("org.geohazard.geo..", "org.geohazard.cache..", "org.geohazard.storage..",
            "org.geohazard.messaging..")
        .layer("base").definedBy("org.geohazard.config..", "org.geohazard.metrics..", "org.geohazard.detection..",
            "org.geohazard.auth..", "org.geohazard.retry..")
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
      String[] others = Arrays.stream(VERTICLE_AREAS).filter(a -> !a.equals(area)).toArray(String[]::new);
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

  /** The packages of src/main (test helpers such as org.geohazard.testing are not among them). */
  private static final Set<String> MAIN_PACKAGES = CLASSES.stream().map(JavaClass::getPackageName)
      .collect(Collectors.toSet());

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
        .or().haveSimpleName("ViewPlanner").or().haveSimpleName("SceneJob").or().haveSimpleName("Backoff")
        .or().resideInAPackage("org.geohazard.extent..").or().resideInAPackage("org.geohazard.change..")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.core..")
        .check(CLASSES);
  }

  /** A verticle: a class that Vert.x deploys (not {@code VerticleBase} itself). */
  private static final DescribedPredicate<JavaClass> VERTICLE = DescribedPredicate.describe("a verticle",
      c -> c.isAssignableTo(VerticleBase.class) && !c.isEquivalentTo(VerticleBase.class));

  @Test
  void verticlesAreTheVerticleAreasOwnAndNamedSo() {
    classes().that(VERTICLE).should().resideInAnyPackage(VERTICLE_AREAS).andShould().haveSimpleNameEndingWith("Verticle")
        .check(CLASSES);
    classes().that().haveSimpleNameEndingWith("Verticle").should(beA(VERTICLE)).check(CLASSES);
  }

  /**
   * The composition root deploys the verticles; beside it only a verticle's own package (its handlers, reading its
   * constants) knows its class. So no verticle reaches another one's fields or methods, in its area or across.
   */
  @Test
  void onlyTheCompositionRootAndAVerticlesOwnPackageKnowItsClass() {
    classes().that().resideOutsideOfPackage("org.geohazard.node..")
        .should(useNoVerticle("of another package",
            (origin, target) -> !target.getPackageName().equals(origin.getPackageName())))
        .check(CLASSES);
    classes().that(VERTICLE).should(useNoVerticle("but itself",
        (origin, target) -> !target.getName().equals(origin.getName()))).check(CLASSES);
  }

  /**
   * The event bus is the verticles' way to talk: the composition root, the typed addresses and the verticle areas
   * use it; the plain logic and client packages below them take and return values (the bus may call them).
   */
  @Test
  void onlyTheVerticleAreasTheBusAndTheRootUseTheEventBus() {
    String[] allowed = Stream.concat(Arrays.stream(VERTICLE_AREAS), Stream.of("org.geohazard.bus..",
        "org.geohazard.node..")).toArray(String[]::new);
    noClasses().that().resideOutsideOfPackages(allowed)
        .should().dependOnClassesThat().resideInAPackage("io.vertx.core.eventbus..").check(CLASSES);
  }

  /**
   * One client library, one owner, within the services layer and above it: the S3 SDK only in {@code storage}, the
   * Redis client only in {@code cache}, the Kafka producer only in {@code messaging}, Hazelcast only in {@code node},
   * Flyway and JDBC only in {@code persistence}.
   */
  @Test
  void eachClientLibraryHasOneOwningPackage() {
    noClasses().that().resideOutsideOfPackage("org.geohazard.storage..")
        .should().dependOnClassesThat().resideInAPackage("software.amazon.awssdk..").check(CLASSES);
    noClasses().that().resideOutsideOfPackage("org.geohazard.cache..")
        .should().dependOnClassesThat().resideInAPackage("io.vertx.redis..").check(CLASSES);
    noClasses().that().resideOutsideOfPackage("org.geohazard.messaging..")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.kafka.client.producer.KafkaProducer")
        .check(CLASSES);
    noClasses().that().resideOutsideOfPackage("org.geohazard.node..")
        .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "io.vertx.spi.cluster.hazelcast..")
        .check(CLASSES);
    noClasses().that().resideOutsideOfPackage("org.geohazard.persistence..")
        .should().dependOnClassesThat().resideInAnyPackage("org.flywaydb..", "java.sql..", "org.mariadb..")
        .check(CLASSES);
  }

  /** Depends on no verticle class for which {@code forbidden(origin, verticle)} holds. */
  private static ArchCondition<JavaClass> useNoVerticle(String which,
                                                        BiPredicate<JavaClass, JavaClass> forbidden) {
    return new ArchCondition<>("use no verticle class " + which) {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass();
          if (VERTICLE.test(target) && forbidden.test(origin, target)) {
            events.add(SimpleConditionEvent.violated(origin, dependency.getDescription()));
          }
        }
      }
    };
  }

  private static ArchCondition<JavaClass> beA(DescribedPredicate<JavaClass> kind) {
    return new ArchCondition<>("be " + kind.getDescription()) {
      @Override
      public void check(JavaClass item, ConditionEvents events) {
        if (!kind.test(item)) {
          events.add(SimpleConditionEvent.violated(item, item.getName() + " is not " + kind.getDescription()));
        }
      }
    };
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
    // The fault and soak runs, and the harness that starts nodes for them, treat the jar as a black box: nodes are
    // processes driven over HTTP, so what they find is what an operator would (no in-process shortcut).
    noClasses().that().resideInAnyPackage("org.geohazard.chaos..", "org.geohazard.harness..")
        .should().dependOnClassesThat(DescribedPredicate.describe("a class of the service (src/main)",
            c -> MAIN_PACKAGES.contains(c.getPackageName())))
        .check(bench);
  }
}
