package org.geohazard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NodeMetrics metrics = new NodeMetrics(registry);

  @Test
  void stagesAreTimedUnderOneNameWithTheStageAsTag() {
    metrics.record(NodeMetrics.Stage.INFERENCE, 40_000_000);
    metrics.record(NodeMetrics.Stage.INFERENCE, 60_000_000);
    metrics.record(NodeMetrics.Stage.BATCH_WAIT, 5_000_000);
    Timer inference = registry.find("geohazard.stage").tag("stage", "inference").timer();
    assertThat(inference).isNotNull();
    assertThat(inference.count()).isEqualTo(2);
    assertThat(inference.totalTime(TimeUnit.MILLISECONDS)).isCloseTo(100, within(1e-9));
    assertThat(registry.find("geohazard.stage").tag("stage", "batch_wait").timer().count()).isEqualTo(1);
    assertThat(registry.find("geohazard.stage").timers()).hasSize(2);
  }

  @Test
  void stageTagsDoNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr")); // where "I".toLowerCase() is a dotless ı
      metrics.record(NodeMetrics.Stage.QUEUE_WAIT, 1_000);
    } finally {
      Locale.setDefault(before);
    }
    assertThat(registry.find("geohazard.stage").tag("stage", "queue_wait").timer()).isNotNull();
  }

  @Test
  void processedAndFailedImagesAreCountedForPrometheusAndForHealth() {
    metrics.imageProcessed(120);
    metrics.imageProcessed(80);
    metrics.imageFailed();
    assertThat(registry.get("geohazard.images.processed").counter().count()).isEqualTo(2);
    assertThat(registry.get("geohazard.images.failed").counter().count()).isEqualTo(1);
    assertThat(metrics.processedCount()).isEqualTo(2);
    assertThat(metrics.failedCount()).isEqualTo(1);
    assertThat(metrics.averageProcessingMs()).isEqualTo(100);
  }

  @Test
  void averagesAreZeroBeforeAnything() {
    assertThat(metrics.averageProcessingMs()).isZero();
    assertThat(metrics.averageBatchSize()).isZero();
  }

  @Test
  void batchSizesAreADistributionAndAnAverage() {
    metrics.batchRun(8);
    metrics.batchRun(2);
    metrics.batchRun(5);
    DistributionSummary sizes = registry.get("geohazard.inference.batch.size").summary();
    assertThat(sizes.count()).isEqualTo(3);
    assertThat(sizes.totalAmount()).isEqualTo(15);
    assertThat(metrics.averageBatchSize()).isEqualTo(5);
  }

  @Test
  void claimsStaleAndWaitedAreCountedApart() {
    metrics.staleClaim();
    metrics.staleClaim();
    metrics.claimWaited();
    assertThat(registry.get("geohazard.claims.stale").counter().count()).isEqualTo(2);
    assertThat(registry.get("geohazard.claims.waited").counter().count()).isEqualTo(1);
    assertThat(metrics.staleClaimCount()).isEqualTo(2);
  }

  @Test
  void workInFlightIsAGaugeOfTheSameCounter() {
    metrics.inFlight().addAndGet(3);
    assertThat(registry.get("geohazard.pipeline.in.flight").gauge().value()).isEqualTo(3);
    metrics.inFlight().decrementAndGet();
    assertThat(registry.get("geohazard.pipeline.in.flight").gauge().value()).isEqualTo(2);
  }

  @Test
  void cacheLookupsAlertsAndRefusalsCarryTheirTags() {
    metrics.cacheLookup("result", true);
    metrics.cacheLookup("result", false);
    metrics.cacheLookup("result", false);
    metrics.alertAnnounced(true, "flood", "severe");
    metrics.alertAnnounced(false, "flood", "severe");
    metrics.rateLimited();
    assertThat(registry.get("geohazard.cache.lookups").tags("cache", "result", "result", "miss").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("geohazard.cache.lookups").tags("cache", "result", "result", "hit").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("geohazard.alerts").tags("outcome", "raised", "type", "flood", "severity", "severe")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("geohazard.alerts").tags("outcome", "changed").counter().count()).isEqualTo(1);
    assertThat(registry.get("geohazard.http.rate.limited").counter().count()).isEqualTo(1);
  }

  /** The Prometheus names that monitoring/ (alert rules, dashboard, the scene benchmark) query exist, once used. */
  @Test
  void everyNodeMeterThatMonitoringQueriesIsScraped() throws IOException {
    PrometheusMeterRegistry scraped = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeMetrics prometheus = new NodeMetrics(scraped);
    for (NodeMetrics.Stage stage : NodeMetrics.Stage.values()) {
      prometheus.record(stage, 1_000_000);
    }
    prometheus.imageProcessed(10);
    prometheus.imageFailed();
    prometheus.staleClaim();
    prometheus.claimWaited();
    prometheus.batchRun(4);
    prometheus.rateLimited();
    prometheus.cacheLookup("analysis", true);
    prometheus.alertAnnounced(true, "landslide", "extreme");
    String scrape = scraped.scrape();

    Set<String> queried = queriedNodeMeters();
    assertThat(queried).as("names found in monitoring/").contains("geohazard_images_processed_total");
    for (String name : queried) {
      assertThat(scrape).as(name).containsPattern("(?m)^" + Pattern.quote(name) + "[{ ]");
    }
    assertThat(scrape).contains("geohazard_stage_seconds_sum{stage=\"preprocess\"}")
        .containsPattern("geohazard_stage_seconds\\{[^}]*quantile=\"0.5\""); // the dashboard's median
  }

  /** The geohazard_* series that monitoring/ and the scene benchmark query. */
  private static Set<String> queriedNodeMeters() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern series = Pattern.compile("geohazard_[a-z_]+");
    try (Stream<Path> files = Stream.concat(Files.list(Path.of("monitoring")), Stream.of(Path.of("scripts",
        "scene-bench.sh")))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Matcher matcher = series.matcher(Files.readString(file));
        while (matcher.find()) {
          names.add(matcher.group());
        }
      }
    }
    names.removeIf(name -> name.endsWith("_")); // a prefix a script completes with a pattern (_sum|_count)
    return names;
  }
}
