package org.geohazard.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.geohazard.auth.Access;
import org.geohazard.bus.Failure;
import org.geohazard.bus.Membership;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.UsageCount;
import org.geohazard.bus.UsageService;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ImageLimits;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the HTTP server. Routes come from {@code openapi.yaml} by operationId; the contract validates
 * every request except the multipart uploads (see {@link MultipartForm}). Event loops only: anything
 * heavy (hashing, header probing) runs on worker pools in the services this verticle calls.
 */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  static final String API_KEY_ID = "geohazard.apiKeyId";
  static final String API_KEY_NAME = "geohazard.apiKeyName";
  /** The {@code Set<auth.Scope>} of the request's key; absent for an anonymous request. */
  static final String API_KEY_SCOPES = "geohazard.apiKeyScopes";
  /** The tenant the caller's key belongs to (absent without a key): what it makes is kept apart by it. */
  static final String API_KEY_TENANT = "geohazard.apiKeyTenant";
  static final String API_KEY_HEADER = "X-API-Key";

  private final AppConfig config;
  private final RedisCache cache;
  private final ObjectStore objectStore;
  private final KafkaPublisher publisher;
  private final NodeMetrics metrics;
  private final PrometheusMeterRegistry registry;
  private final Membership membership;
  private final OpenAPIContract contract;
  private final String contractText;
  private HttpServer server;
  /** Requests counted per client, operation, status and hour; written to api_usage every few seconds. */
  private final UsageCounter usage = new UsageCounter();
  /** Often enough that usage is near current, rarely enough to be one small batch write per node. */
  private static final long USAGE_FLUSH_MS = 10_000;
  private long usageTimer = -1;
  private RateLimiter limiter;
  private ApiKeys apiKeys;
  /** The contract's scopes enforced: the first handler of every operation (see {@link ContractSecurity}). */
  private Handler<RoutingContext> authorize;
  private AlertStream stream;
  /** Made at start; its pending "claim queued" marks are flushed at stop. */
  private IngestService ingest;

  /**
   * @param cache answers, rate-limit counters and progress
   * @param objectStore where uploads are stored
   * @param publisher queues the claims of uploads
   * @param metrics request counters
   * @param registry every meter of the node, served at {@code /metrics} by vertx-micrometer's scraping handler
   * @param membership the cluster's members, for {@code GET /api/v1/cluster}
   */
  public ApiVerticle(AppConfig config, RedisCache cache, ObjectStore objectStore, KafkaPublisher publisher,
                     NodeMetrics metrics, PrometheusMeterRegistry registry, Membership membership,
                     OpenAPIContract contract, String contractText) {
    this.config = config;
    this.cache = cache;
    this.objectStore = objectStore;
    this.publisher = publisher;
    this.metrics = metrics;
    this.registry = registry;
    this.membership = membership;
    this.contract = contract;
    this.contractText = contractText;
  }

  @Override
  public Future<?> start() {
    ClusterView clusterView = new ClusterView(vertx, membership);
    ingest = new IngestService(vertx, config, cache, objectStore, publisher, clusterView, metrics);
    Uploads visibleUploads = new Uploads(vertx);
    UploadHandlers uploads = new UploadHandlers(vertx, ingest, visibleUploads, contract, config.limits().maxBatchFiles(),
        new Erasure(vertx, objectStore, cache));
    QueryHandlers queries = new QueryHandlers(vertx, visibleUploads, cache, config.redis().alertsTtlSeconds(), metrics,
        config.redis().nearCacheBytes());
    MaskHandlers masks = new MaskHandlers(vertx, visibleUploads, objectStore);
    HealthHandlers health = new HealthHandlers(vertx, config, cache, objectStore, publisher, metrics);
    ClusterHandlers cluster = new ClusterHandlers(clusterView);
    ModelHandlers models = new ModelHandlers(vertx, clusterView);
    AlertHandlers alerts = new AlertHandlers(vertx, new CapWriter(config.alerts().capSender()));
    stream = new AlertStream(vertx, StreamCaps.of(vertx, config.rateLimit().streamsPerClient()));
    WebhookHandlers webhooks = new WebhookHandlers(vertx, config.alerts().webhooks(),
        config.rateLimit().webhooksPerKey());
    limiter = new RateLimiter(cache, config.rateLimit().windowSeconds(), Clock.systemUTC());
    limiter.start(vertx, config.rateLimit().syncMs());
    apiKeys = new ApiKeys(vertx);
    Admission admission = new Admission(config, metrics, limiter, apiKeys, usage,
        Admission.failedKeyThrottle(vertx, config));
    KeyHandlers keyAdmin = new KeyHandlers(vertx);
    usageTimer = vertx.setPeriodic(USAGE_FLUSH_MS, id -> flushUsage());

    RouterBuilder builder = routerBuilder(vertx, contract, List.of(SecurityHeaders::add, RequestIds::assign, admission::admit));
    authorize = ContractSecurity.authorizer(
        new Access(config.security().anonymousScopes(), config.http().adminToken()));

    String uploadsDir = config.http().uploadsDir().isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "geohazard-uploads").toString()
        : config.http().uploadsDir();
    BodyHandler body = BodyHandler.create(uploadsDir)
        .setBodyLimit(config.http().maxBodyBytes())
        .setDeleteUploadedFilesOnEnd(true)
        .setHandleFileUploads(true)
        .setMergeFormAttributes(true);
    bindWithBody(builder, UploadHandlers.SINGLE, uploads::single, body);
    bindWithBody(builder, UploadHandlers.BATCH, uploads::batch, body);
    ReferenceSources referenceSources =
        objectStore instanceof S3ObjectStore s3 ? ReferenceSources.of(vertx, s3, config.references()) : null;
    bindWithBody(builder, ReferenceHandlers.OPERATION, new ReferenceHandlers(vertx, ingest, referenceSources,
            ImageLimits.of(config.limits()), contract)::analyze,
        BodyHandler.create(false).setBodyLimit(ReferenceHandlers.MAX_BODY_BYTES));
    bind(builder, "getResult", queries::result);
    bind(builder, "getResultGeoJson", queries::resultGeoJson);
    bind(builder, "getResultMask", masks::mask);
    bind(builder, "getUsage", this::usage);
    bind(builder, "getResultAnalyses", queries::analyses);
    bind(builder, "reanalyzeImage", uploads::reanalyse);
    bind(builder, "deleteResult", uploads::delete);
    bind(builder, "listModels", models::models);
    bind(builder, "getShadowReport", models::shadowReport);
    bindWithBody(builder, "changeModels", models::install,
        BodyHandler.create(false).setBodyLimit(ModelHandlers.MAX_BODY_BYTES));
    bind(builder, "getBatch", queries::batch);
    bind(builder, "getActiveAlerts", queries::activeAlerts);
    bind(builder, "getAlert", alerts::alert);
    bind(builder, "acknowledgeAlert", alerts::acknowledge);
    bind(builder, "resolveAlert", alerts::resolve);
    bind(builder, "confirmAlert", alerts::confirm);
    bind(builder, "listUnverifiedAlerts", alerts::unverified);
    bind(builder, "getAlertHistory", alerts::history);
    bind(builder, "getAlertFeed", alerts::feed);
    bind(builder, "streamAlerts", stream::open);
    bindWithBody(builder, "createWebhook", webhooks::create,
        BodyHandler.create(false).setBodyLimit(WebhookHandlers.MAX_BODY_BYTES));
    bind(builder, "listWebhooks", webhooks::list);
    bindWithBody(builder, "createApiKey", keyAdmin::create,
        BodyHandler.create(false).setBodyLimit(KeyHandlers.MAX_BODY_BYTES));
    bind(builder, "listApiKeys", keyAdmin::list);
    bind(builder, "revokeApiKey", keyAdmin::revoke);
    bindWithBody(builder, "rotateApiKey", keyAdmin::rotate,
        BodyHandler.create(false).setBodyLimit(KeyHandlers.MAX_BODY_BYTES));
    bind(builder, "deleteWebhook", webhooks::delete);
    bind(builder, "getWebhookDeliveries", webhooks::deliveries);
    bindWithBody(builder, "rotateWebhookSecret", webhooks::rotateSecret,
        BodyHandler.create(false).setBodyLimit(WebhookHandlers.MAX_BODY_BYTES));
    bind(builder, "getHealth", health::health);
    bind(builder, "getLiveness", health::live);
    bind(builder, "getReadiness", health::ready);
    bind(builder, "getCluster", cluster::cluster);
    bind(builder, "getMetrics", PrometheusScrapingHandler.create(registry));
    OgcHandlers ogc = new OgcHandlers(vertx, visibleUploads);
    bind(builder, "getOgcLanding", ogc::landing);
    bind(builder, "getOgcConformance", ogc::conformance);
    bind(builder, "getOgcCollections", ogc::collections);
    bind(builder, "getOgcCollection", ogc::collection);
    bind(builder, "getOgcItems", ogc::items);
    bind(builder, "getOgcFeature", ogc::feature);
    bind(builder, "getResultStac", new StacHandlers(vertx, visibleUploads, objectStore, referenceSources,
        ImageLimits.of(config.limits()))::item);
    bind(builder, "getContract", ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(contractText));
    for (OpenAPIRoute route : builder.getRoutes()) {
      route.addFailureHandler(ErrorResponses::handleFailure);
    }

    Router router = createRouter(vertx, contract, builder);
    serveDashboard(router);
    router.route().failureHandler(ErrorResponses::handleFailure);
    router.errorHandler(404, ctx -> ErrorResponses.send(ctx, Failure.notFound("no such resource: " + ctx.request().path())));
    router.errorHandler(405, ctx -> ErrorResponses.send(ctx,
        new Failure(Failure.Code.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(500, ErrorResponses::handleFailure);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setCompressionSupported(true)
        .setIdleTimeout(120);
    ServerTls.apply(options, config.http().tls());
    return apiKeys.listening().compose(v -> vertx.createHttpServer(options)
        .requestHandler(router)
        .listen())
        .onSuccess(s -> {
          server = s;
          LOG.info("HTTP API listening on {}:{} ({})", config.http().host(), s.actualPort(),
              config.http().tls().enabled() ? "https" : "plain http");
        });
  }

  /**
   * The router builder as the node uses it, with {@code rootHandlers} first: validators built once per schema
   * ({@link CachedValidators}), query values decoded once and strings handed to validation as JSON literals
   * ({@link ValidationParameters}), the contract's security schemes bound ({@link ContractSecurity}). The contract
   * tests build theirs here too.
   */
  static RouterBuilder routerBuilder(Vertx vertx, OpenAPIContract contract,
                                     List<Handler<RoutingContext>> rootHandlers) {
    RouterBuilder builder = RouterBuilder.create(vertx, CachedValidators.of(contract), new ValidationParameters());
    rootHandlers.forEach(builder::rootHandler);
    ContractSecurity.bind(builder);
    return builder;
  }

  /**
   * The router from a builder of {@link #routerBuilder} whose routes are all bound, requests without a body validated
   * on their event loop ({@link InlineValidation}). The contract tests make theirs here too.
   */
  static Router createRouter(Vertx vertx, OpenAPIContract contract, RouterBuilder builder) {
    return new InlineValidation(vertx, CachedValidators.of(contract), new ValidationParameters()).createRouter(builder);
  }

  /**
   * The dashboard at {@code /} and the API docs at {@code /docs/}: static files that the build bundled into the
   * jar's {@code webroot/} (web/, see its README). Behind every API route, so they never shadow one, and outside
   * admission: loading the page costs no quota. Revalidated by Last-Modified on each load, as the file names carry
   * no content hash.
   */
  private static void serveDashboard(Router router) {
    // Vert.x matches "/docs" and "/docs/" alike: only the bare one is sent on (the page's links are relative).
    router.get("/docs").handler(ctx -> {
      if (ctx.request().path().equals("/docs")) {
        ctx.redirect("/docs/");
      } else {
        ctx.next();
      }
    });
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(StaticHandler.create("webroot").setMaxAgeSeconds(0)
            .setDefaultContentEncoding("UTF-8"));
  }

  /**
   * An operation whose body a {@link BodyHandler} reads and whose handler checks it, with the contract's validation
   * off: uploads (the validator cannot take repeated or binary parts, see the head of openapi.yaml) and the JSON
   * bodies of model changes and webhooks (admission pauses the request while it looks the key up, so the contract's
   * own body reading would find the body consumed). The body handler runs after the contract's security handler,
   * wrapped as an ordinary handler: Vert.x refuses a {@code BodyHandler} behind an authentication handler, and ours
   * never needs the body to authenticate (the credential is a header) - a refused caller does not get to upload first.
   */
  private void bindWithBody(RouterBuilder builder, String operationId,
                            Handler<RoutingContext> handler, BodyHandler body) {
    // After the scope check (handler 0), before the operation: a caller without the scope uploads nothing.
    bind(builder, operationId, handler).setDoValidation(false).getHandlers().add(1, body::handle);
  }

  /** Every operation's route: the contract's scope check first, then the operation's handler. */
  private OpenAPIRoute bind(RouterBuilder builder, String operationId, Handler<RoutingContext> handler) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("openapi.yaml has no operation '" + operationId + "'");
    }
    return route.addHandler(authorize).addHandler(handler);
  }

  /** The port the server is bound to (useful with port 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Writes the request counts gathered since the last flush; what cannot be written waits for the next. */
  private Future<Void> flushUsage() {
    List<UsageCount> counts = usage.drain();
    if (counts.isEmpty()) {
      return Future.succeededFuture();
    }
    return ServiceBus.client(vertx.eventBus(), UsageService.class).record(counts)
        .onFailure(error -> {
          usage.restore(counts);
          LOG.debug("usage counts not written yet: {}", error.getMessage());
        });
  }

  /** {@code GET /api/v1/usage}: the calling key's own requests per hour, endpoint and status. */
  private void usage(RoutingContext ctx) {
    Long keyId = ctx.get(API_KEY_ID);
    if (keyId == null) {
      throw new Failure(Failure.Code.API_KEY_REQUIRED, "usage is shown to the owner of a key: send it in " + API_KEY_HEADER);
    }
    Instant to;
    Instant from;
    try {
      String toParam = ctx.request().getParam("to");
      String fromParam = ctx.request().getParam("from");
      to = toParam == null ? Instant.now() : Instant.parse(toParam);
      from = fromParam == null ? to.minus(Duration.ofDays(1)) : Instant.parse(fromParam);
    } catch (DateTimeParseException e) {
      throw Failure.invalidRequest("from and to are ISO-8601 instants, e.g. 2026-12-01T00:00:00Z");
    }
    if (!from.isBefore(to) || Duration.between(from, to).toDays() > 92) {
      throw Failure.invalidRequest("from must be before to, at most 92 days apart");
    }
    // What this node counted and has not written yet is included: a caller sees its requests of a moment ago.
    flushUsage().recover(error -> Future.succeededFuture())
        .compose(v -> ServiceBus.client(vertx.eventBus(), UsageService.class).hours(keyId, from.toString(),
            to.toString()))
        .onSuccess(found -> {
          JsonArray hours = new JsonArray();
          found.forEach(h -> hours.add(new JsonObject().put("hour", h.hourStart())
              .put("endpoint", h.endpoint()).put("status", h.status()).put("requests", h.requests())));
          QueryHandlers.json(ctx, 200, new JsonObject().put("api_key_id", keyId)
              .put("from", from.toString()).put("to", to.toString()).put("hours", hours));
        })
        .onFailure(ctx::fail);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(usageTimer);
    if (limiter != null) {
      limiter.stop(vertx);
    }
    if (apiKeys != null) {
      apiKeys.close();
    }
    Future<Void> flushed = flushUsage().recover(error -> Future.succeededFuture());
    return flushed.compose(v -> server == null ? Future.succeededFuture() : server.close())
        // The claims sent meanwhile are marked now rather than left to the lost-claim sweep.
        .onComplete(closed -> {
          if (ingest != null) {
            ingest.flushQueuedMarks();
          }
        });
  }
}
