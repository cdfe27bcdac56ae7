package org.geohazard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's own meters (Vert.x adds its HTTP, event-bus and pool meters to the same registry):
 * where an image's time goes, stage by stage, and how full the batches are. Also keeps the running
 * totals that {@code /api/v1/health} reports.
 */
public final class NodeMetrics {

  /** Pipeline stages timed per image or per batch. */
  public enum Stage {
    QUEUE_WAIT, FETCH, PREPROCESS, BATCH_WAIT, INFERENCE, POSTPROCESS, PERSISTENCE, END_TO_END
  }

  private final MeterRegistry registry;
  private final Counter processed;
  private final Counter failed;
  private final Counter staleClaims;
  private final Counter claimWaits;
  private final DistributionSummary batchSize;
  private final ConcurrentHashMap<Stage, Timer> stageTimers = new ConcurrentHashMap<>();
  /** Cache lookup counters by cache and outcome, registered once: counted on every cached read. */
  private final ConcurrentHashMap<String, Counter> cacheHits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> cacheMisses = new ConcurrentHashMap<>();
  private final LongAdder processedCount = new LongAdder();
  private final LongAdder failedCount = new LongAdder();
  private final LongAdder staleClaimCount = new LongAdder();
  private final DoubleAdder processingMsSum = new DoubleAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchedImages = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder requests = new LongAdder();
  private final long startedAtMs = System.currentTimeMillis();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.processed = Counter.builder("geohazard.images.processed").description("Images analysed and stored")
        .register(registry);
    this.failed = Counter.builder("geohazard.images.failed")
        .description("Images that exhausted their attempts: each one dead-lettered on images.process.dlq")
        .register(registry);
    this.staleClaims = Counter.builder("geohazard.claims.stale")
        .description("Claims redelivered after their image was settled: not analysed again").register(registry);
    this.claimWaits = Counter.builder("geohazard.claims.waited")
        .description("Claims that waited for another consumer still analysing their image").register(registry);
    this.batchSize = DistributionSummary.builder("geohazard.inference.batch.size")
        .description("Images per ONNX Runtime run").serviceLevelObjectives(1, 2, 4, 8, 16, 32)
        .register(registry);
    registry.gauge("geohazard.pipeline.in.flight", inFlight);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void record(Stage stage, long nanos) {
    stageTimers.computeIfAbsent(stage, s -> Timer.builder("geohazard.stage")
            .description("Time spent per image in a pipeline stage")
            .tag("stage", s.name().toLowerCase(Locale.ROOT))
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofMinutes(5))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void imageProcessed(double processingMs) {
    processed.increment();
    processedCount.increment();
    processingMsSum.add(processingMs);
  }

  public void staleClaim() {
    staleClaims.increment();
    staleClaimCount.increment();
  }

  public void claimWaited() {
    claimWaits.increment();
  }

  public long staleClaimCount() {
    return staleClaimCount.sum();
  }

  public void imageFailed() {
    failed.increment();
    failedCount.increment();
  }

  /**
   * One periodic retention sweep by this node: {@code swept} (it held the turn), {@code lock_held} (another node or
   * connection held it: nothing done), {@code failed}.
   */
  public void retentionSweep(String outcome) {
    registry.counter("geohazard.retention.sweeps", "outcome", outcome).increment();
  }

  public void batchRun(int size) {
    batchSize.record(size);
    batches.increment();
    batchedImages.add(size);
  }

  /** A request refused by the rate limit (429). */
  public void rateLimited() {
    registry.counter("geohazard.http.rate.limited").increment();
  }

  /** A read of a cached answer ({@code cache}: analysis, result, alerts), found or not. */
  public void cacheLookup(String cache, boolean hit) {
    (hit ? cacheHits : cacheMisses).computeIfAbsent(cache, name -> registry.counter("geohazard.cache.lookups",
        "cache", name, "result", hit ? "hit" : "miss")).increment();
  }

  /** An alert raised ({@code created}) or changed (merged, extended, acknowledged, resolved), by type and severity. */
  public void alertAnnounced(boolean created, String type, String severity) {
    registry.counter("geohazard.alerts", "outcome", created ? "raised" : "changed", "type", type,
        "severity", severity).increment();
  }

  public void requestServed() {
    requests.increment();
  }

  public long requestsTotal() {
    return requests.sum();
  }

  public AtomicInteger inFlight() {
    return inFlight;
  }

  public long processedCount() {
    return processedCount.sum();
  }

  public long failedCount() {
    return failedCount.sum();
  }

  public double averageProcessingMs() {
    long n = processedCount.sum();
    return n == 0 ? 0 : processingMsSum.sum() / n;
  }

  public double averageBatchSize() {
    long n = batches.sum();
    return n == 0 ? 0 : (double) batchedImages.sum() / n;
  }

  public long uptimeSeconds() {
    return (System.currentTimeMillis() - startedAtMs) / 1000;
  }
}
