package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.ModelUse;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.Upload;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.reference.ReferenceRefused;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.reference.SceneSpec;
import org.geohazard.reference.StacItemBuilder;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.RangeReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/results/{image_id}/stac}: a completed result as a STAC Item ({@link StacItemBuilder}), for
 * catalogues. Who may read it is who may read the result ({@link Uploads}). The footprint is the scene's own: the
 * stored GeoTIFF's header is read by ranged requests (a few KB, never the pixels) on a worker thread; an image
 * without georeferencing has a null geometry (the caller's approximate point is not a footprint). A result with a
 * flood extent has its mask as an asset; a scene analysed by reference links to it ({@code derived_from}).
 */
final class StacHandlers {

  private static final Logger LOG = LoggerFactory.getLogger(StacHandlers.class);
  /** The header probe decodes no pixels: a small decoded-block cache is enough. */
  private static final long HEADER_CACHE_BYTES = 1 << 20;

  private final Vertx vertx;
  private final Uploads uploads;
  private final ImageService images;
  private final ObjectStore objectStore;
  /** How a scene analysed by reference is read (null: this node's store reads none). */
  private final ReferenceSources references;
  private final ImageLimits limits;

  StacHandlers(Vertx vertx, Uploads uploads, ObjectStore objectStore, ReferenceSources references,
               ImageLimits limits) {
    this.vertx = vertx;
    this.uploads = uploads;
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.objectStore = objectStore;
    this.references = references;
    this.limits = limits;
  }

  void item(RoutingContext ctx) {
    String uploadId = QueryHandlers.uuidPathParameter(ctx, "image_id");
    String base = OgcHandlers.base(ctx);
    uploads.visible(ctx, uploadId)
        .compose(upload -> images.result(upload.imageId(), null).compose(result -> {
          if (result.status() != ImageStatus.COMPLETED || result.analysis() == null) {
            return Future.failedFuture(Failure.notFound("image " + uploadId + " has no completed result yet"));
          }
          return images.content(upload.imageId()).compose(content -> footprint(result, content.objectKey())
              .map(footprint -> item(base, upload, result, footprint.orElse(null),
                  source(upload.imageId(), content.objectKey()).orElse(null))));
        }))
        .onSuccess(item -> ctx.response().setStatusCode(200).putHeader("Content-Type", StacItemBuilder.MEDIA_TYPE)
            .end(item.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * @param footprint the scene's corners; null: none
   * @param source the reference the scene was analysed from ({@link SceneSpec#source}); null: an upload
   */
  static JsonObject item(String base, Upload upload, ImageResult result, List<LonLat> footprint, String source) {
    String href = base + "/api/v1/results/" + upload.uploadId();
    Analysis analysis = result.analysis();
    StacItemBuilder builder = new StacItemBuilder(upload.uploadId())
        // When the scene was taken is not known to the node: the Item's datetime is when it was received.
        .datetime(Instant.parse(upload.createdAt()))
        .processed(result.completedAt() == null ? null : Instant.parse(result.completedAt()))
        .detectionCount(analysis.detections().size())
        .selfHref(href + "/stac")
        .resultHref(href)
        .detectionsHref(href + "/geojson");
    // The mask is served only where the extent names one (GET /results/{id}/mask answers 404 otherwise).
    if (analysis.floodExtent().map(extent -> extent.maskKey() != null).orElse(false)) {
      builder.maskHref(href + "/mask");
    }
    if (source != null) {
      builder.sourceHref(source);
    }
    if (footprint != null) {
      builder.footprint(footprint);
    }
    for (ModelUse model : analysis.models()) {
      builder.model(new StacItemBuilder.ModelUsed(model.version(), model.version(),
          model.view() == null ? "default" : model.view()));
    }
    return builder.build();
  }

  /**
   * The reference an image was analysed from (its object key is one: {@link SceneSpec#isReference}), for the
   * Item's {@code derived_from} link; empty for uploaded bytes, and for a recorded reference that cannot be read
   * (the Item is still worth serving without the link).
   */
  private static Optional<String> source(String imageId, String objectKey) {
    if (!SceneSpec.isReference(objectKey)) {
      return Optional.empty();
    }
    try {
      return SceneSpec.parse(objectKey).source();
    } catch (ReferenceRefused unreadable) {
      LOG.warn("no derived_from link for the STAC Item of {}: {}", imageId, unreadable.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The scene's corners from its GeoTIFF header: the stored bytes, or for a scene analysed by reference its (first)
   * referenced file, read under the node's reference rules; empty for an image without its own georeferencing.
   */
  private Future<Optional<List<LonLat>>> footprint(ImageResult result, String objectKey) {
    if (result.analysis().georeference() != Analysis.Georeference.EXACT) {
      return Future.succeededFuture(Optional.empty());
    }
    return vertx.executeBlocking(() -> {
      RangeReader header;
      if (SceneSpec.isReference(objectKey)) {
        if (references == null) {
          return Optional.<List<LonLat>>empty();
        }
        // A STAC stack's band files share the scene's extent: the first one's corners are the scene's.
        header = references.open(SceneSpec.parse(objectKey).references().get(0));
      } else {
        // This scene's own bytes: a pair's or a look's content hash is of all its scenes, no object's key.
        header = objectStore.openRange(objectKey);
      }
      try (GeoTiffRaster raster = GeoTiffRaster.open(header, limits, HEADER_CACHE_BYTES)) {
        Optional<GeoReference> reference = GeoReference.from(raster.geoTags());
        return reference.map(r -> StacItemBuilder.footprint(r, raster.width(), raster.height()));
      }
    }, false).recover(error -> {
      // The Item is still worth serving without a footprint; the cause is for the operator's log.
      LOG.warn("no footprint for the STAC Item of {}: {}", result.imageId(), error.toString());
      return Future.succeededFuture(Optional.empty());
    });
  }
}
