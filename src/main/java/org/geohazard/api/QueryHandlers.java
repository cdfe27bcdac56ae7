package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.geohazard.analysis.ResultGeoJson;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.BatchService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.metrics.NodeMetrics;

/** Read endpoints: results, batch progress and active alerts, through the cache where it helps. */
final class QueryHandlers {

  private static final Pattern UUID_TEXT = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  static final double DEFAULT_RADIUS_KM = 50;
  static final int DEFAULT_ALERT_LIMIT = 100;

  private final Vertx vertx;
  private final RedisCache cache;
  private final int alertsTtlSeconds;

  private final NodeMetrics metrics;

  private final ResultNearCache nearCache;
  private final ImageService images;
  private final Uploads uploads;

  QueryHandlers(Vertx vertx, Uploads uploads, RedisCache cache, int alertsTtlSeconds, NodeMetrics metrics,
                long nearCacheBytes) {
    this.metrics = metrics;
    this.nearCache = new ResultNearCache(nearCacheBytes);
    Addresses.RESULTS_SAVED.subscribe(vertx.eventBus(), saved -> nearCache.invalidate(saved.imageId()));
    Addresses.RESULTS_INVALIDATED.subscribe(vertx.eventBus(), nearCache::invalidate);
    Addresses.UPLOADS_DELETED.subscribe(vertx.eventBus(), deleted -> {
      nearCache.forgetUpload(deleted.uploadId());
      if (deleted.contentDeleted()) {
        nearCache.invalidate(deleted.imageId());
      }
    });
    this.vertx = vertx;
    this.uploads = uploads;
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.cache = cache;
    this.alertsTtlSeconds = alertsTtlSeconds;
  }

  /** How a result is answered: the document, or its detections as GeoJSON with one media type or the other. */
  private enum ResultView {
    DOCUMENT, GEOJSON_AS_JSON, GEOJSON;

    boolean geoJson() {
      return this != DOCUMENT;
    }
  }

  /**
   * {@code GET /api/v1/results/{image_id}}: the result document. {@code Accept: application/geo+json}, or the
   * seed's {@code format=geojson}, gets the GeoJSON view as {@code application/geo+json}, a media type the
   * contract cannot declare, so JSON clients (the SDKs) always get the one schema the contract names.
   */
  void result(RoutingContext ctx) {
    boolean geoJson = "geojson".equals(ctx.request().getParam("format"))
        || prefersGeoJson(ctx.request().getHeader("Accept"));
    serveResult(ctx, geoJson ? ResultView.GEOJSON : ResultView.DOCUMENT);
  }

  /** {@code GET /api/v1/results/{image_id}/geojson}: the detections as a FeatureCollection. */
  void resultGeoJson(RoutingContext ctx) {
    serveResult(ctx, prefersGeoJson(ctx.request().getHeader("Accept")) ? ResultView.GEOJSON : ResultView.GEOJSON_AS_JSON);
  }

  /**
   * The result of an upload the caller may see: its content's document (the near cache, Redis and the database
   * hold it by content, shared by every upload of the same bytes) shown as that upload.
   */
  private void serveResult(RoutingContext ctx, ResultView view) {
    String uploadId = uuidPathParameter(ctx, "image_id");
    // The cached document holds the newest analysis; an earlier model's is read from the database.
    String modelVersion = ctx.request().getParam("model_version");
    uploads.visible(ctx, uploadId)
        .onSuccess(upload -> {
          Buffer near = modelVersion == null ? nearCache.get(uploadId) : null;
          if (near != null) {
            metrics.cacheLookup("result_near", true);
            if (view.geoJson()) {
              answerResult(ctx, new JsonObject(near), view);
            } else {
              ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(near);
            }
            return;
          }
          long generation = nearCache.generation();
          contentDocument(upload.imageId(), modelVersion)
              .map(upload::shown)
              .onSuccess(body -> {
                if (modelVersion == null && !view.geoJson()) {
                  // Encoded once, for this answer and (when completed) for the near cache.
                  ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                      .end(nearCache.put(uploadId, upload.imageId(), body, generation));
                } else {
                  answerResult(ctx, body, view);
                }
              })
              .onFailure(ctx::fail);
        })
        .onFailure(ctx::fail);
  }

  /** The content's result document from Redis or, failing that, the database, with batch progress where pending. */
  private Future<JsonObject> contentDocument(String imageId, String modelVersion) {
    Future<Optional<JsonObject>> cached = modelVersion == null ? cache.getJson(CacheKeys.result(imageId))
        : Future.succeededFuture(Optional.empty());
    return cached
        .onSuccess(hit -> {
          if (modelVersion == null) {
            metrics.cacheLookup("result", hit.isPresent());
          }
        })
        .compose(hit -> hit.<Future<JsonObject>>map(Future::succeededFuture).orElseGet(() ->
            images.result(imageId, modelVersion)
                .map(ImageResult::toJson)))
        .compose(this::withProgress);
  }

  private static void answerResult(RoutingContext ctx, JsonObject body, ResultView view) {
    if (view.geoJson()) {
      ctx.response().setStatusCode(200)
          .putHeader("Content-Type", view == ResultView.GEOJSON ? "application/geo+json" : "application/json")
          .end(ResultGeoJson.of(body).encode());
    } else {
      json(ctx, 200, body);
    }
  }

  /** {@code GET /api/v1/results/{image_id}/analyses}: every analysis stored for the upload's content, newest first. */
  void analyses(RoutingContext ctx) {
    String uploadId = uuidPathParameter(ctx, "image_id");
    uploads.visible(ctx, uploadId)
        .compose(upload -> images.analyses(upload.imageId()))
        .onSuccess(history -> json(ctx, 200, history.toApiJson().put("image_id", uploadId)))
        .onFailure(ctx::fail);
  }

  /** While a tiled scene is being analysed, its tiles done / total (published by the inference verticle). */
  private Future<JsonObject> withProgress(JsonObject result) {
    String status = result.getString("status");
    if (!ImageStatus.fromWire(status).inFlight()) {
      return Future.succeededFuture(result);
    }
    return cache.getJson(CacheKeys.progress(result.getString("image_id")))
        .map(progress -> progress.map(p -> result.copy().put("progress", p)).orElse(result));
  }

  /** Whether an Accept header asks for GeoJSON before plain JSON (RFC 7946's application/geo+json). */
  static boolean prefersGeoJson(String accept) {
    if (accept == null) {
      return false;
    }
    int geo = accept.indexOf("application/geo+json");
    int plain = accept.indexOf("application/json");
    return geo >= 0 && (plain < 0 || geo < plain);
  }

  void batch(RoutingContext ctx) {
    String batchId = uuidPathParameter(ctx, "batch_id");
    ServiceBus.client(vertx.eventBus(), BatchService.class).progress(batchId)
        .map(progress -> Uploads.visible(ctx, progress.ownerId(), progress, "no batch with id " + batchId))
        .onSuccess(progress -> json(ctx, 200, progress.toJson()))
        .onFailure(ctx::fail);
  }

  void activeAlerts(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    Map<String, RequestParameter> query = request.getQuery();
    // The seed's clients say lat / lon / radius; both spellings of one value would be ambiguous.
    double latitude = either(query, "latitude", "lat", Double.NaN);
    double longitude = either(query, "longitude", "lon", Double.NaN);
    if (Double.isNaN(latitude) || Double.isNaN(longitude)) {
      throw Failure.invalidRequest("give the query point as latitude and longitude (or the seed's lat and lon)");
    }
    double radiusKm = either(query, "radius_km", "radius", DEFAULT_RADIUS_KM);
    int limit = (int) number(query, "limit", DEFAULT_ALERT_LIMIT);
    boolean geoJson = "geojson".equals(ctx.request().getParam("format"))
        || prefersGeoJson(ctx.request().getHeader("Accept"));
    JsonObject echo = new JsonObject().put("latitude", latitude).put("longitude", longitude).put("radius_km", radiusKm);
    // The generation counter is bumped by every new alert, so a cached answer is never older than the
    // newest alert; when Redis is away the query goes straight to the database.
    cache.readCounter(CacheKeys.ALERTS_GENERATION)
        .compose(generation -> {
          String key = CacheKeys.activeAlerts(generation, latitude, longitude, radiusKm, limit);
          return cache.getJson(key).compose(hit -> hit.<Future<JsonObject>>map(Future::succeededFuture)
              .orElseGet(() -> queryAlerts(latitude, longitude, radiusKm, limit)
                  .compose(fresh -> cache
                      .setJson(key, fresh, alertsTtlSeconds).map(fresh))));
        }, error -> queryAlerts(latitude, longitude, radiusKm, limit))
        .onSuccess(found -> {
          if (geoJson) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/geo+json")
                .end(AlertGeoJson.of(found.getJsonArray("alerts")).encode());
            return;
          }
          json(ctx, 200, new JsonObject().put("alerts", found.getJsonArray("alerts"))
              .put("count", found.getJsonArray("alerts").size()).put("query", echo));
        })
        .onFailure(ctx::fail);
  }

  /** The value of {@code name} or of its seed alias, refusing a request that gives both. */
  private static double either(Map<String, RequestParameter> query, String name, String alias, double fallback) {
    double value = number(query, name, Double.NaN);
    double aliased = number(query, alias, Double.NaN);
    if (!Double.isNaN(value) && !Double.isNaN(aliased)) {
      throw Failure.invalidRequest("give '" + name + "' or '" + alias + "', not both");
    }
    return !Double.isNaN(value) ? value : !Double.isNaN(aliased) ? aliased : fallback;
  }

  /** The version of the active-alert lists cached in Redis (the cache is shared by every node). */
  private static final int ALERT_LIST_VERSION = 2;

  private Future<JsonObject> queryAlerts(double latitude, double longitude, double radiusKm, int limit) {
    return ServiceBus.client(vertx.eventBus(), AlertService.class).active(latitude, longitude, radiusKm, limit)
        .map(alerts -> new JsonObject().put("v", ALERT_LIST_VERSION).put("alerts", Alert.toJson(alerts)));
  }

  static double number(Map<String, RequestParameter> query, String name, double fallback) {
    RequestParameter parameter = query.get(name);
    if (parameter == null || parameter.isNull()) {
      return fallback;
    }
    Object value = parameter.get();
    return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
  }

  static String uuidPathParameter(RoutingContext ctx, String name) {
    String value = ctx.pathParam(name);
    if (value == null || !UUID_TEXT.matcher(value).matches()) {
      throw Failure.invalidRequest("'" + name + "' must be a UUID, got '" + value + "'");
    }
    return value.toLowerCase();
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
