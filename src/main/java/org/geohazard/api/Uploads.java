package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.geohazard.auth.Scope;
import org.geohazard.auth.Tenancy;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.Upload;

/**
 * The one place where what a caller reaches by id (an upload and what hangs off it: result, GeoJSON, analyses,
 * re-analysis; a batch) is checked against who asks ({@link Tenancy}): what another tenant made is answered as
 * not found, with the same message as an id that never existed.
 *
 * <p>Uploads never change once made, so this node remembers the ones it has read (bounded): a result read by its
 * owner costs no more database round trips than before tenants. A deleted one is forgotten by every node
 * ({@code uploads.deleted}).
 */
final class Uploads {

  private static final int REMEMBERED = 20_000;

  private final ImageService images;
  private final ConcurrentHashMap<String, Upload> remembered = new ConcurrentHashMap<>();
  /** Deletions heard so far. */
  private final AtomicLong deletions = new AtomicLong();

  Uploads(Vertx vertx) {
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    // A deleted upload is forgotten on every node at once (the broadcast of api.Erasure).
    Addresses.UPLOADS_DELETED.subscribe(vertx.eventBus(), deleted -> {
      deletions.incrementAndGet();
      remembered.remove(deleted.uploadId());
    });
  }

  /** The upload {@code uploadId} if the caller may see it; {@link Failure.Code#NOT_FOUND} otherwise. */
  Future<Upload> visible(RoutingContext ctx, String uploadId) {
    Upload known = remembered.get(uploadId);
    // A lookup that began before a deletion must not put back what it read (conservative: any deletion).
    long before = deletions.get();
    Future<Upload> upload = known != null ? Future.succeededFuture(known) : images.upload(uploadId).onSuccess(found -> {
      if (remembered.size() >= REMEMBERED) {
        remembered.clear();
      }
      if (deletions.get() == before) {
        remembered.put(uploadId, found);
      }
    });
    return upload.map(found -> visible(ctx, found.ownerId(), found, "no image with id " + uploadId));
  }

  /** {@code value} if the caller may see what {@code ownerId} made; else {@link Failure.Code#NOT_FOUND}. */
  static <T> T visible(RoutingContext ctx, Long ownerId, T value, String notFound) {
    if (!Tenancy.maySee(ownerId, viewer(ctx))) {
      throw Failure.notFound(notFound);
    }
    return value;
  }

  /** Who asks: the tenant of the request's key (none without one) and whether it is an operator. */
  static Tenancy.Viewer viewer(RoutingContext ctx) {
    Set<Scope> scopes = ctx.get(ApiVerticle.API_KEY_SCOPES);
    return Tenancy.Viewer.of(owner(ctx), scopes);
  }

  /** Whom what this request makes will belong to: its key's tenant, or null (anonymous). */
  static Long owner(RoutingContext ctx) {
    return ctx.get(ApiVerticle.API_KEY_TENANT);
  }
}
