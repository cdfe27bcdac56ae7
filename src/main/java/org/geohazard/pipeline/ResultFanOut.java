package org.geohazard.pipeline;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.AlertRulesService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ResultSaved;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a durable result, before the pipeline commits the record's offset: the Redis entries
 * that answer repeated uploads and reads ({@code analysis:{sha256}}, {@code result:{id}}), the
 * {@code ml.results} record, {@code results.saved}, and the result's alerts. Cache and topic are written side
 * by side; {@code ml.results} must carry every stored result, so a refusal fails the attempt (an outage, waited
 * out; the retry's insert is idempotent and cheap), while a cache write that fails is only logged (a miss
 * reads the database). The event is published, and the alerts evaluated, only once both are done; alerts not
 * raised fail the attempt too (a result's alert must not be lost with a node or a database outage).
 */
final class ResultFanOut {

  private static final Logger LOG = LoggerFactory.getLogger(ResultFanOut.class);

  private final EventBus bus;
  private final AlertRulesService rules;
  private final RedisCache cache;
  private final KafkaPublisher publisher;
  private final AppConfig.Redis redis;
  private final String resultsTopic;

  ResultFanOut(EventBus bus, RedisCache cache, KafkaPublisher publisher, AppConfig.Redis redis, String resultsTopic) {
    this.bus = bus;
    this.rules = ServiceBus.client(bus, AlertRulesService.class);
    this.cache = cache;
    this.publisher = publisher;
    this.redis = redis;
    this.resultsTopic = resultsTopic;
  }

  /** {@code result}: the image's result document as stored (status completed, with its analysis). */
  Future<Void> publish(ImageClaim claim, ImageResult result) {
    Analysis analysis = result.analysis();
    JsonObject cached = new JsonObject().put("image_id", claim.imageId()).put("analysis", analysis.toJson());
    // The cache only saves reads (a miss reads the database): Redis being away must not fail durable work.
    Future<Void> cacheWrites = Future.all(
            cache.setJson(CacheKeys.analysis(claim.sha256()), cached, redis.analysisTtlSeconds()),
            cache.setJson(CacheKeys.result(claim.imageId()), result.toJson(), redis.resultTtlSeconds()))
        .<Void>mapEmpty()
        .recover(error -> {
          LOG.warn("result of image {} not cached: {}", claim.imageId(), error.getMessage());
          return Future.succeededFuture();
        });
    ResultSaved event = new ResultSaved(claim.imageId(), claim.sha256(), claim.latitude(), claim.longitude(),
        claim.gsdM(), analysis);
    // ml.results must carry every stored result: the broker being away is an outage to wait out.
    Future<Void> sent = publisher.send(resultsTopic, claim.imageId(), event.toJson())
        .recover(error -> Future.failedFuture(new Failure(Failure.Code.UNAVAILABLE,
            "results topic unavailable: " + error.getMessage())));
    return Future.all(cacheWrites, sent).compose(v -> {
      Addresses.RESULTS_SAVED.publish(bus, event);
      // The alerts are part of what the record's offset waits for: one alerts verticle of the cluster evaluates the
      // result and answers once its alerts are stored and announced. If none answers (none running, the database
      // away), the attempt fails as an outage and the record comes again (a settled image's claim publishes what
      // follows its save again, ConsumerVerticle); saving merges, so a result evaluated twice raises one alert.
      return rules.evaluate(event).recover(error -> Future.failedFuture(new Failure(Failure.Code.UNAVAILABLE,
          "alerts of the result not raised: " + error.getMessage())));
    });
  }
}
