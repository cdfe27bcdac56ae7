package org.geohazard.pipeline;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ClaimStart;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Kafka consumer of group {@code inference}. Each claim goes to local inference, then to
 * persistence, then to what follows a durable result ({@link ResultFanOut}); its offset is committed
 * only after all of that (or after the record is in the dead-letter topic and the image marked failed). Finished positions are committed together every
 * {@code commitIntervalMs} and when the consumer stops, since a commit per image costs a broker round
 * trip each; a failed commit is tried again with the next one. On a rebalance the positions are
 * committed too, but only after the fact (Vert.x hands the revocation to this verticle once the
 * rebalance has gone ahead), so a new owner receives again up to {@code commitIntervalMs} of finished work
 * and whatever was still in flight. None of it is analysed twice: each claim starts by taking its image in
 * the database ({@code persistence.images.start}), held for {@code claimLeaseMs} and renewed while the work
 * goes on; a claim whose image is settled is stale (its result is published again, nothing analysed), and a
 * claim whose image another consumer still holds waits for that consumer to finish, or for its hold to run
 * out if it died. In-flight work is bounded: the consumer pauses at {@code maxInFlight} and resumes at half
 * of it. Auto-commit is off.
 */
public final class ConsumerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerVerticle.class);

  private final AppConfig.Kafka config;
  private final AppConfig.Redis redis;
  private final RedisCache cache;
  private final KafkaPublisher publisher;
  private final NodeMetrics metrics;
  private ResultFanOut fanOut;
  private long sweepTimer = -1;
  private final RetryPolicy retries;
  private final OffsetTracker<TopicPartition> offsets = new OffsetTracker<>();
  private KafkaConsumer<String, String> consumer;
  private KafkaClientMetrics kafkaMetrics;
  private boolean paused;
  private long commitTimer = -1;
  private long renewTimer = -1;
  /** Who holds images in the database while this verticle analyses them: unique per deployment. */
  private final String owner;
  private ImageService images;
  private ImageService saves;
  /** Images this verticle is analysing (a count: the same claim may be in flight twice). */
  private final Map<String, Integer> holding = new HashMap<>();

  /**
   * @param cache refreshed with each durable result
   * @param publisher sends {@code ml.results} and dead letters
   */
  public ConsumerVerticle(AppConfig.Kafka config, AppConfig.Redis redis, RedisCache cache, KafkaPublisher publisher,
                          NodeMetrics metrics, String nodeId) {
    this.owner = nodeId + "/" + UUID.randomUUID();
    this.config = config;
    this.redis = redis;
    this.cache = cache;
    this.publisher = publisher;
    this.metrics = metrics;
    // Retries during an outage come every few seconds at most, so that work resumes soon after it ends.
    this.retries = new RetryPolicy(config.maxAttempts(), config.retryBackoffMs(),
        Math.max(config.retryBackoffMs(), 5_000), config.outageRetryMs());
  }

  @Override
  public Future<?> start() {
    images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    // A save waits longer than the bus default: it is a transaction that may queue behind others.
    saves = ServiceBus.client(vertx.eventBus(), ImageService.class, new DeliveryOptions().setSendTimeout(30_000));
    fanOut = new ResultFanOut(vertx.eventBus(), cache, publisher, redis, config.topicResults());
    if (config.sweepIntervalMs() > 0) {
      ClaimSweeper sweeper = new ClaimSweeper(vertx.eventBus(), publisher, config);
      sweepTimer = vertx.setPeriodic(config.sweepIntervalMs(), id -> sweeper.sweep()
          .onFailure(error -> LOG.debug("sweep for lost claims failed: {}", error.getMessage())));
    }
    renewTimer = vertx.setPeriodic(Math.max(100, config.claimLeaseMs() / 3), id -> renewHolds());
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", config.bootstrap());
    props.put("group.id", config.consumerGroup());
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.records", Integer.toString(Math.max(1, config.maxInFlight())));
    // A consumer that dies (kill -9) holds its partitions until the group gives up on it: this long.
    props.put("session.timeout.ms", Long.toString(config.sessionTimeoutMs()));
    props.put("heartbeat.interval.ms", Long.toString(Math.max(500, config.sessionTimeoutMs() / 3)));
    props.putAll(KafkaPublisher.securityConfig(config.tls()));
    consumer = KafkaConsumer.create(vertx, props);
    // The Kafka client's own meters on /metrics, consumer lag per partition among them
    // (kafka_consumer_fetch_manager_records_lag{topic, partition}).
    kafkaMetrics = new KafkaClientMetrics(consumer.unwrap());
    kafkaMetrics.bindTo(metrics.registry());
    consumer.exceptionHandler(error -> LOG.warn("Kafka consumer error: {}", error.getMessage()));
    consumer.partitionsRevokedHandler(partitions -> {
      // Best effort, and late (see the class comment): what is not committed is redone by the next owner.
      commitFinished();
      partitions.forEach(offsets::forget);
    });
    consumer.partitionsAssignedHandler(partitions -> LOG.info("consuming partitions {}", partitions));
    consumer.handler(this::onRecord);
    return consumer.subscribe(Set.of(config.topicProcess(), config.topicProcessHigh()));
  }

  private void onRecord(KafkaConsumerRecord<String, String> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    offsets.started(partition, record.offset());
    metrics.inFlight().incrementAndGet();
    if (!paused && offsets.inFlight() >= config.maxInFlight()) {
      paused = true;
      consumer.pause();
    }
    ImageClaim claim;
    try {
      claim = ImageClaim.fromJson(new JsonObject(record.value()));
    } catch (RuntimeException e) {
      deadLetter(record, null, "unreadable claim: " + e.getMessage(), null, 0).onComplete(v -> finished(partition, record.offset()));
      return;
    }
    if (claim.enqueuedAtMs() > 0) {
      metrics.record(NodeMetrics.Stage.QUEUE_WAIT,
          Math.max(0, System.currentTimeMillis() - claim.enqueuedAtMs()) * 1_000_000L);
    }
    attempt(record, claim, 1, System.nanoTime()).onComplete(v -> finished(partition, record.offset()));
  }

  /**
   * Runs one attempt and, on failure, the retries; completes when the record is settled either way.
   * {@code since}: when the first attempt began (an outage is waited out for a time, not a count).
   */
  private Future<Void> attempt(KafkaConsumerRecord<String, String> record, ImageClaim claim, int attempt, long since) {
    long start = System.nanoTime();
    return process(claim, attempt)
        .onSuccess(v -> metrics.record(NodeMetrics.Stage.END_TO_END, System.nanoTime() - start))
        .recover(error -> {
          Failure.Code failure = Failure.of(error).code();
          if (retries.shouldRetry(attempt, failure, (System.nanoTime() - since) / 1_000_000)) {
            long delay = retries.backoffMs(attempt + 1);
            // toString: a failure names the operation that failed (persistence.images.savePrediction).
            LOG.info("image {} attempt {} failed ({}); retrying in {} ms", claim.imageId(), attempt,
                error.toString(), delay);
            return later(delay).compose(v -> attempt(record, claim, attempt + 1, since));
          }
          LOG.warn("image {} failed after {} attempt(s): {}", claim.imageId(), attempt, error.toString());
          metrics.imageFailed();
          return deadLetter(record, claim, error.getMessage(), Failure.of(error).publicReason(), attempt);
        });
  }

  private Future<Void> process(ImageClaim claim, int attempt) {
    return start(claim, attempt, false).compose(start -> {
      if (start.analyse()) {
        return analyse(claim);
      }
      // A stale claim: its image was settled before this redelivery. A completed image is not analysed
      // again, but what follows its save is published again, since the node that saved it may have died
      // before doing so (all of it is idempotent).
      metrics.staleClaim();
      LOG.info("claim for image {} is stale (image {}): not analysed again", claim.imageId(),
          start.status().wireName());
      return start.stored() == null ? Future.<Void>succeededFuture() : fanOut.publish(claim, start.stored());
    });
  }

  /**
   * Takes the claim's image, or learns it is settled. While another consumer holds it (a rebalance handed
   * this claim over while its first consumer still works on it), asks again when that hold would end, at
   * most every 2 s. If the database is away the claim is analysed anyway: the save then fails and the attempt
   * is retried.
   */
  private Future<ClaimStart> start(ImageClaim claim, int attempt, boolean waited) {
    return images.start(claim.imageId(), attempt, owner, config.claimLeaseMs())
        .recover(error -> {
          LOG.debug("could not take image {}: {}", claim.imageId(), error.toString());
          return Future.succeededFuture(ClaimStart.ANALYSE);
        })
        .compose(start -> {
          if (!start.heldElsewhere()) {
            return Future.succeededFuture(start);
          }
          if (!waited) {
            metrics.claimWaited();
            LOG.info("image {} is being analysed by another consumer (held {} ms more): waiting for it",
                claim.imageId(), start.heldForMs());
          }
          return later(Math.min(2000, Math.max(100, start.heldForMs() + 50)))
              .compose(v -> start(claim, attempt, true));
        });
  }

  /** Extends the database holds of the images in flight here, so no other consumer takes them over. */
  private void renewHolds() {
    if (holding.isEmpty()) {
      return;
    }
    images.renew(owner, List.copyOf(holding.keySet()), config.claimLeaseMs())
        .onFailure(error -> LOG.warn("could not renew the hold on {} image(s): {}", holding.size(), error.toString()));
  }

  private Future<Void> analyse(ImageClaim claim) {
    holding.merge(claim.imageId(), 1, Integer::sum);
    return detectAndSave(claim)
        .onComplete(done -> holding.computeIfPresent(claim.imageId(), (id, n) -> n > 1 ? n - 1 : null));
  }

  private Future<Void> detectAndSave(ImageClaim claim) {
    EventBus bus = vertx.eventBus();
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.attemptTimeoutMs());
    return Addresses.INFERENCE_DETECT.request(bus, claim, local)
        .compose(analysis -> {
          long persistStart = System.nanoTime();
          return saves.savePrediction(claim.imageId(), analysis)
              .compose(saved -> fanOut.publish(claim, saved.result()))
              .map(published -> {
                metrics.record(NodeMetrics.Stage.PERSISTENCE, System.nanoTime() - persistStart);
                metrics.imageProcessed(analysis.processingTimeMs());
                return null;
              });
        });
  }

  /**
   * Writes the record to the dead-letter topic with the reason and marks the image failed with what its result may
   * show of it ({@link Failure#publicReason}). If the broker or the database is away, keeps trying (without
   * committing) rather than lose the record.
   */
  private Future<Void> deadLetter(KafkaConsumerRecord<String, String> record, ImageClaim claim, String reason,
                                  String publicReason, int attempts) {
    JsonObject letter = new JsonObject().put("v", 1).put("topic", record.topic()).put("partition", record.partition())
        .put("offset", record.offset()).put("key", record.key()).put("value", record.value())
        .put("reason", reason).put("attempts", attempts).put("failed_at", Instant.now().toString());
    Future<Void> marked = claim == null ? Future.succeededFuture()
        : images.fail(claim.imageId(), attempts, publicReason);
    return marked
        .compose(v -> publisher.send(config.topicDlq(), record.key(), letter))
        .recover(error -> {
          LOG.warn("could not dead-letter offset {} of {}: {}; trying again", record.offset(), record.topic(),
              error.getMessage());
          return later(Math.max(1000, config.retryBackoffMs())).compose(v -> deadLetter(record, claim, reason, publicReason, attempts));
        });
  }

  private void finished(TopicPartition partition, long offset) {
    metrics.inFlight().decrementAndGet();
    if (offsets.finished(partition, offset).isPresent()) {
      if (config.commitIntervalMs() == 0) {
        commitFinished();
      } else {
        armCommitTimer();
      }
    }
    if (paused && offsets.inFlight() <= config.maxInFlight() / 2) {
      paused = false;
      consumer.resume();
    }
  }

  private void armCommitTimer() {
    if (commitTimer == -1) {
      commitTimer = vertx.setTimer(Math.max(1, config.commitIntervalMs()), id -> {
        commitTimer = -1;
        commitFinished();
      });
    }
  }

  /** Commits every partition's position that moved since the last commit, in one request. */
  private Future<Void> commitFinished() {
    Map<TopicPartition, Long> taken = offsets.takeCommittable();
    if (taken.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
    taken.forEach((partition, next) -> positions.put(partition, new OffsetAndMetadata(next, "")));
    return consumer.commit(positions)
        .onFailure(error -> {
          LOG.warn("commit of {} failed: {}; trying again with the next commit", positions, error.getMessage());
          // Put them back (unless a later position or a revocation came meanwhile), so a partition that
          // then goes quiet does not keep its finished work uncommitted.
          offsets.restoreCommittable(taken);
          armCommitTimer();
        })
        .mapEmpty();
  }

  private Future<Void> later(long delayMs) {
    if (delayMs <= 0) {
      return Future.succeededFuture();
    }
    return Future.future(promise -> vertx.setTimer(delayMs, id -> promise.complete()));
  }

  @Override
  public Future<?> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    if (commitTimer != -1) {
      vertx.cancelTimer(commitTimer);
    }
    if (sweepTimer != -1) {
      vertx.cancelTimer(sweepTimer);
    }
    if (renewTimer != -1) {
      vertx.cancelTimer(renewTimer);
    }
    if (kafkaMetrics != null) {
      kafkaMetrics.close();
    }
    // Finished work is committed before leaving, so the group does not redo it.
    return commitFinished().transform(committed -> consumer.close());
  }
}
