package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.auth.Tenancy;
import org.geohazard.bus.AlertFeatureQuery;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.DetectionFeature;
import org.geohazard.bus.DetectionFeatureQuery;
import org.geohazard.bus.ExtentFeature;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.ServiceBus;
import org.geohazard.ogc.ItemsQuery;
import org.geohazard.ogc.OgcCollection;
import org.geohazard.ogc.OgcDocuments;

/**
 * OGC API - Features at {@code /ogc}: the documents come from {@code ogc.OgcDocuments}, the features from the
 * persistence services (filtered and paged in SQL). Alerts are the published ones, as on every public list; the
 * detections and flood extent polygons are those of results the caller may see ({@link Tenancy}): an operator every
 * upload's, a key its tenant's, an anonymous caller none (an anonymous upload's id is its capability, so it is never
 * listed to anyone without the operate scope; see docs/DECISIONS.md).
 */
final class OgcHandlers {

  private static final Pattern UUID_TEXT = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern DETECTION_ID = Pattern.compile("(" + UUID_TEXT.pattern() + ")\\.([1-9][0-9]{0,5})");

  private final AlertService alerts;
  private final ImageService images;
  private final Uploads uploads;

  OgcHandlers(Vertx vertx, Uploads uploads) {
    this.alerts = ServiceBus.client(vertx.eventBus(), AlertService.class);
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.uploads = uploads;
  }

  void landing(RoutingContext ctx) {
    QueryHandlers.json(ctx, 200, OgcDocuments.landing(base(ctx)));
  }

  void conformance(RoutingContext ctx) {
    QueryHandlers.json(ctx, 200, OgcDocuments.conformance());
  }

  void collections(RoutingContext ctx) {
    QueryHandlers.json(ctx, 200, OgcDocuments.collections(base(ctx)));
  }

  void collection(RoutingContext ctx) {
    QueryHandlers.json(ctx, 200, OgcDocuments.collection(base(ctx), collectionOf(ctx)));
  }

  void items(RoutingContext ctx) {
    OgcCollection collection = collectionOf(ctx);
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    Map<String, RequestParameter> parameters = request.getQuery();
    ItemsQuery query;
    try {
      query = ItemsQuery.parse(collection, name -> {
        RequestParameter parameter = parameters.get(name);
        return parameter == null || parameter.isNull() ? null : parameter.get().toString();
      });
    } catch (IllegalArgumentException e) {
      throw Failure.invalidRequest(e.getMessage());
    }
    double[] bbox = query.bbox() == null ? null : query.bbox().toArray();
    String from = query.time() == null || query.time().start() == null ? null : query.time().start().toString();
    String to = query.time() == null || query.time().end() == null ? null : query.time().end().toString();
    Future<JsonObject> page;
    if (collection == OgcCollection.ALERTS) {
      page = alerts.features(new AlertFeatureQuery(bbox, from, to, query.type(), query.severity(), query.limit(),
              query.offset()))
          .map(found -> {
            JsonArray features = new JsonArray();
            found.alerts().forEach(alert -> features.add(OgcFeatures.alert(alert)));
            return OgcDocuments.page(base(ctx), query, features, found.matched(), Instant.now());
          });
    } else {
      Tenancy.Viewer viewer = Uploads.viewer(ctx);
      DetectionFeatureQuery visible = new DetectionFeatureQuery(bbox, from, to, viewer.tenantId(), viewer.operator(),
          query.limit(), query.offset());
      page = collection == OgcCollection.DETECTIONS
          ? images.detections(visible).map(found -> {
            JsonArray features = new JsonArray();
            found.features().forEach(feature -> features.add(OgcFeatures.detection(feature)));
            return OgcDocuments.page(base(ctx), query, features, found.matched(), Instant.now());
          })
          : images.floodExtents(visible).map(found -> {
            JsonArray features = new JsonArray();
            found.features().forEach(feature -> features.add(OgcFeatures.floodExtent(feature)));
            return OgcDocuments.page(base(ctx), query, features, found.matched(), Instant.now());
          });
    }
    page.onSuccess(body -> sendFeatures(ctx, body)).onFailure(ctx::fail);
  }

  void feature(RoutingContext ctx) {
    OgcCollection collection = collectionOf(ctx);
    String featureId = ctx.pathParam("featureId");
    Failure unknown = Failure.notFound("no feature " + featureId + " in " + collection.id());
    Future<JsonObject> feature;
    if (collection == OgcCollection.ALERTS) {
      if (!UUID_TEXT.matcher(featureId).matches()) {
        throw unknown;
      }
      // An alert held for an operator is on no public list, so it is no feature either.
      feature = alerts.get(featureId).map(alert -> {
        if (!alert.state().isPublic()) {
          throw unknown;
        }
        return OgcFeatures.alert(alert);
      });
    } else {
      Matcher id = DETECTION_ID.matcher(featureId);
      if (!id.matches()) {
        throw unknown;
      }
      int number = Integer.parseInt(id.group(2));
      Future<ImageResult> completed = uploads.visible(ctx, id.group(1))
          .compose(upload -> images.result(upload.imageId(), null));
      feature = collection == OgcCollection.FLOOD_EXTENTS ? completed.map(result -> {
        AnalysisExtent extent = result.status() != ImageStatus.COMPLETED || result.analysis() == null ? null
            : result.analysis().floodExtent().orElse(null);
        JsonArray polygons = extent == null ? new JsonArray() : extent.toJson().getJsonArray("polygons");
        if (number > polygons.size()) {
          throw unknown;
        }
        return OgcFeatures.floodExtent(new ExtentFeature(id.group(1), number, result.completedAt(), extent.model(),
            extent.floodedKm2(), polygons.getJsonObject(number - 1)));
      }) : completed.map(result -> {
            JsonArray detections = result.status() != ImageStatus.COMPLETED || result.analysis() == null
                ? new JsonArray() : result.analysis().toJson().getJsonArray("detections");
            if (number > detections.size() || detections.getJsonObject(number - 1).getJsonObject("geometry") == null) {
              throw unknown;
            }
            return OgcFeatures.detection(new DetectionFeature(id.group(1), number, result.completedAt(),
                result.analysis().modelVersion(), detections.getJsonObject(number - 1)));
          });
    }
    feature.recover(error -> Future.failedFuture(error instanceof Failure failure
            && failure.code() == Failure.Code.NOT_FOUND ? unknown : error))
        .onSuccess(found -> sendFeatures(ctx, OgcDocuments.feature(base(ctx), collection, found)))
        .onFailure(ctx::fail);
  }

  private static OgcCollection collectionOf(RoutingContext ctx) {
    String id = ctx.pathParam("collectionId");
    return OgcCollection.byId(id).orElseThrow(() -> Failure.notFound("no collection " + id + " (collections: "
        + String.join(", ", Arrays.stream(OgcCollection.values()).map(OgcCollection::id).toList()) + ")"));
  }

  /** GeoJSON as {@code application/geo+json} (OGC's media type), unless the client's Accept prefers plain JSON. */
  private static void sendFeatures(RoutingContext ctx, JsonObject body) {
    String accept = ctx.request().getHeader("Accept");
    boolean plain = accept != null && accept.contains(OgcDocuments.JSON) && !QueryHandlers.prefersGeoJson(accept);
    ctx.response().setStatusCode(200).putHeader("Content-Type", plain ? OgcDocuments.JSON : OgcDocuments.GEO_JSON)
        .end(body.encode());
  }

  /** The node as the client reached it, for absolute links: scheme and the Host it sent. */
  static String base(RoutingContext ctx) {
    String host = ctx.request().getHeader("Host");
    if (host == null || host.isBlank()) {
      host = ctx.request().localAddress().hostAddress() + ":" + ctx.request().localAddress().port();
    }
    return ctx.request().scheme() + "://" + host;
  }
}
