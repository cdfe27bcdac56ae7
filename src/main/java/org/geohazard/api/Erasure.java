package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.stream.Stream;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.UploadDeletion;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.retry.Backoff;
import org.geohazard.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes one upload everywhere it lives (issue 23, data lifecycle): its rows (persistence, {@code ImageService#deleteUpload}), then, when its
 * content went too, the stored objects only it used (its bytes, a pair's before scene, its flood masks) and the
 * content's cached answers in Redis, then every node's memory of it
 * ({@code uploads.deleted}: the API verticles' upload memory and result near caches, on every node, as a key
 * revocation is).
 *
 * <p>The rows go first: once they are gone nothing serves the upload, whatever happens to the rest. Each object is
 * removed with a few retries; if the store stays away it is logged as left behind (nothing refers to it any more,
 * and uploading the same bytes again stores them afresh). Redis entries that could not be dropped expire with their
 * TTL, and an upload they would answer finds no content row and is stored and analysed afresh.
 */
public final class Erasure {

  private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);
  static final int OBJECT_ATTEMPTS = 3;
  private static final Backoff PAUSE = Backoff.exact(200, 2000);

  private final Vertx vertx;
  private final ImageService images;
  private final ObjectStore objects;
  private final RedisCache cache;

  public Erasure(Vertx vertx, ObjectStore objects, RedisCache cache) {
    this.vertx = vertx;
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.objects = objects;
    this.cache = cache;
  }

  /**
   * Deletes upload {@code uploadId} (the caller has checked that the asker may); {@code NOT_FOUND} when there is no
   * such upload (any more). Completes once the rows are gone and the rest was attempted.
   */
  public Future<UploadDeletion> delete(String uploadId) {
    return images.deleteUpload(uploadId).compose(deleted -> leftovers(deleted).map(deleted));
  }

  /** What a deletion of rows leaves outside the database, removed; never fails (the retention sweep calls it too). */
  public Future<Void> leftovers(UploadDeletion deleted) {
    // Every node forgets the upload first: with its row gone, a read then finds nothing, and the content's cached
    // documents are only ever served through an upload of it (there is none left when the content goes).
    Addresses.UPLOADS_DELETED.publish(vertx.eventBus(), deleted);
    return !deleted.contentDeleted() ? Future.succeededFuture()
        : Future.join(Stream.concat(deleted.orphanedObjects().stream().map(key -> deleteObject(key, 1)),
            Stream.of(dropCached(deleted))).toList()).<Void>mapEmpty()
            .recover(error -> Future.succeededFuture());
  }

  private Future<Void> dropCached(UploadDeletion deleted) {
    List<String> keys = List.of(CacheKeys.result(deleted.imageId()), CacheKeys.analysis(deleted.sha256()),
        CacheKeys.progress(deleted.imageId()));
    return Future.join(keys.stream().map(cache::delete).toList())
        .onFailure(error -> LOG.info("cached answers of deleted content {} left to expire: {}", deleted.imageId(),
            error.getMessage()))
        .mapEmpty();
  }

  private Future<Void> deleteObject(String key, int attempt) {
    return objects.delete(key).recover(error -> {
      if (attempt >= OBJECT_ATTEMPTS) {
        LOG.warn("object {} of deleted content left in the store after {} attempts (nothing refers to it; remove it"
            + " by hand): {}", key, attempt, error.toString());
        return Future.failedFuture(error);
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(PAUSE.delayMs(attempt), id -> deleteObject(key, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }
}
