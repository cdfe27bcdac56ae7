package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.storage.ObjectStore;

/**
 * {@code GET /api/v1/results/{image_id}/mask}: the flood mask GeoTIFF of a result, from the object store where the
 * inference worker put it before the result was saved. Who may see it is the result's rule ({@link Uploads}). The
 * analysis is read from the database, not the caches: a download is rare, and the mask is named by the analysis.
 */
final class MaskHandlers {

  private final ImageService images;
  private final Uploads uploads;
  private final ObjectStore objectStore;

  MaskHandlers(Vertx vertx, Uploads uploads, ObjectStore objectStore) {
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.uploads = uploads;
    this.objectStore = objectStore;
  }

  void mask(RoutingContext ctx) {
    String uploadId = QueryHandlers.uuidPathParameter(ctx, "image_id");
    uploads.visible(ctx, uploadId)
        .compose(upload -> images.result(upload.imageId(), null))
        .compose(result -> {
          AnalysisExtent extent = result.analysis() == null ? null : result.analysis().floodExtent().orElse(null);
          if (extent == null || extent.maskKey() == null) {
            return Future.failedFuture(Failure.notFound("image " + uploadId + " has no flood extent (status "
                + result.status().wireName() + "): no mask model looked at it (a georeferenced scene of a view a "
                + "mask model serves) or it was analysed before mask models were served"));
          }
          return objectStore.get(extent.maskKey()).recover(error -> Future.failedFuture(
              error instanceof ObjectStore.MissingObjectException
                  ? Failure.notFound("the flood mask of image " + uploadId + " is no longer stored")
                  : new Failure(Failure.Code.UNAVAILABLE, "cannot read the flood mask: " + error.getMessage())));
        })
        .onSuccess(tiff -> ctx.response().setStatusCode(200)
            .putHeader("Content-Type", "image/tiff")
            .putHeader("Content-Disposition", "attachment; filename=\"" + uploadId + "-flood-mask.tif\"")
            .end(tiff))
        .onFailure(ctx::fail);
  }
}
