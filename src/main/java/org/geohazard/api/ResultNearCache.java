package org.geohazard.api;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Completed result documents kept in the API verticle's own memory, so that a repeated read costs neither a
 * Redis nor a database round trip. A completed result changes only when its image is analysed again (a model
 * upgrade): every node drops it then ({@code results.invalidated} when the image is queued again,
 * {@code results.saved} when the new analysis is stored). Least recently read entries go first beyond
 * {@code maxEntries}. One per API verticle instance, on its event loop only.
 *
 * <p>A read that started before an invalidation must not put back what it read: {@link #generation} is taken
 * when the read starts and {@link #put} is refused if any invalidation came since (conservative: any image).
 */
final class ResultNearCache {

  private final int maxEntries;
  private final Map<String, JsonObject> entries;
  private long generation;

  ResultNearCache(int maxEntries) {
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, JsonObject> eldest) {
        return size() > ResultNearCache.this.maxEntries;
      }
    };
  }

  JsonObject get(String imageId) {
    return maxEntries == 0 ? null : entries.get(imageId);
  }

  /** Taken before a read from Redis or the database; hand it back to {@link #put}. */
  long generation() {
    return generation;
  }

  /** Keeps a completed result read at {@code readGeneration}, unless something was invalidated meanwhile. */
  void put(String imageId, JsonObject result, long readGeneration) {
    if (maxEntries > 0 && readGeneration == generation && "completed".equals(result.getString("status"))) {
      entries.put(imageId, result);
    }
  }

  void invalidate(String imageId) {
    generation++;
    entries.remove(imageId);
  }

  int size() {
    return entries.size();
  }
}
