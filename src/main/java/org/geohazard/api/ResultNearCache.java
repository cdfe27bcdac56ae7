package org.geohazard.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Completed result documents kept in the API verticle's own memory, encoded, so that a repeated read costs neither
 * a Redis nor a database round trip, nor encoding the document again. A completed result changes only when its
 * image is analysed again (a model upgrade): every node drops it then ({@code results.invalidated} when the image is
 * queued again, {@code results.saved} when the new analysis is stored). Bounded by the bytes it holds, not by a
 * count: a scene's document with hundreds of detections and their polygons weighs tens of kilobytes, and a count
 * of them once filled the heap. Least recently read entries go first. One per API verticle, on its event loop only.
 *
 * <p>A read that started before an invalidation must not put back what it read: {@link #generation} is taken
 * when the read starts and {@link #put} is refused if any invalidation came since (conservative: any image).
 */
final class ResultNearCache {

  private final long maxBytes;
  private final LinkedHashMap<String, Buffer> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long generation;

  ResultNearCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The encoded document, or null. */
  Buffer get(String imageId) {
    return entries.get(imageId);
  }

  /** Taken before a read from Redis or the database; hand it back to {@link #put}. */
  long generation() {
    return generation;
  }

  /**
   * Keeps a completed result read at {@code readGeneration}, unless something was invalidated meanwhile; answers
   * the encoded document either way (the caller sends it).
   */
  Buffer put(String imageId, JsonObject result, long readGeneration) {
    Buffer encoded = result.toBuffer();
    if (readGeneration == generation && "completed".equals(result.getString("status"))
        && encoded.length() <= maxBytes / 4) {
      Buffer previous = entries.put(imageId, encoded);
      bytes += encoded.length() - (previous == null ? 0 : previous.length());
      for (Iterator<Map.Entry<String, Buffer>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
        bytes -= it.next().getValue().length();
        it.remove();
      }
    }
    return encoded;
  }

  void invalidate(String imageId) {
    generation++;
    Buffer removed = entries.remove(imageId);
    if (removed != null) {
      bytes -= removed.length();
    }
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }
}
