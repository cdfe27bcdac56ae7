package org.geohazard.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/** Where uploaded images live, addressed by key. All methods are non-blocking. */
public interface ObjectStore extends AutoCloseable {

  /** Key of an image's bytes: content-addressed, so storing the same content twice is harmless. */
  /**
   * Whether {@code key} is an object the service stores for itself (uploaded contents, flood masks): what a tenant's
   * scene reference may not name, since a content's hash would otherwise read another tenant's stored image, and
   * deleting a content's last upload does not count references as readers of it.
   */
  static boolean isServiceObject(String key) {
    return key.startsWith("images/") || key.startsWith("masks/");
  }

  static String imageKey(String sha256) {
    return "images/sha256/" + sha256;
  }

  /**
   * Key of a content's flood mask by one mask model: one per content and model, like its analysis, under the
   * content's own prefix ({@link #isMaskOf}), so deleting the content finds exactly its masks.
   */
  static String maskKey(String sha256, String modelVersion) {
    return maskPrefix(sha256) + modelVersion.replaceAll("[^A-Za-z0-9._-]", "_") + ".tif";
  }

  /** Whether {@code key} is a mask of content {@code sha256} (made by {@link #maskKey} for it). */
  static boolean isMaskOf(String key, String sha256) {
    return key.startsWith(maskPrefix(sha256));
  }

  private static String maskPrefix(String sha256) {
    return "masks/" + sha256 + "/";
  }

  /** The object asked for is not in the store (as opposed to the store being away). */
  final class MissingObjectException extends RuntimeException {
    public MissingObjectException(String key) {
      super("no object " + key + " in the store");
    }
  }

  /** The store could not answer (unreachable, or an error of its own): retrying later may succeed. */
  final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Creates the bucket when it does not exist yet. */
  Future<Void> ensureBucket();

  Future<Void> put(String key, Path file, String contentType);

  /** The object's bytes; fails with {@link MissingObjectException} when there is no such object. */
  Future<Buffer> get(String key);

  /**
   * The object's bytes as an array the caller may keep (no other holder writes it); fails like {@link #get}. For
   * callers that need an array anyway: a store that has one need not copy it into a buffer and out again.
   */
  default Future<byte[]> getBytes(String key) {
    return get(key).map(Buffer::getBytes);
  }

  /**
   * Writes the object to {@code target} (replaced if present): large scenes are read from disk, not memory. Fails
   * with {@link MissingObjectException} when there is no such object.
   */
  Future<Void> download(String key, Path target);

  /**
   * The object for ranged reads (a scene's header without the scene). Blocking: call from a worker thread.
   *
   * @throws MissingObjectException when there is no such object
   * @throws StoreUnavailableException when the store cannot answer (reads through the reader then fail with an
   *     {@link java.io.IOException})
   */
  RangeReader openRange(String key);

  /**
   * Removes the object; removing one that is not there succeeds (a deletion repeated, or run by two nodes, is
   * harmless). In a bucket with versioning on, this adds a delete marker and the older versions stay until the
   * bucket's lifecycle rule expires them (see README, backups).
   */
  Future<Void> delete(String key);

  /** A cheap round trip for health checks. */
  Future<Void> ping();

  @Override
  void close();
}
