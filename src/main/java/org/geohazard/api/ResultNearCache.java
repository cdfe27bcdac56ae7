package org.geohazard.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Completed result documents kept in the API verticle's own memory, encoded, so that a repeated read costs neither
 * a Redis nor a database round trip, nor encoding the document again. A completed result changes only when its
 * image is analysed again (a model upgrade): every node drops it then ({@code results.invalidated} when the image is
 * queued again, {@code results.saved} when the new analysis is stored). Bounded by the bytes it holds, not by a
 * count: a scene's document with hundreds of detections and their polygons weighs tens of kilobytes, and a count
 * of them once filled the heap. Least recently read entries go first. One per API verticle, on its event loop only.
 *
 * <p>Kept per upload, as its uploader sees it ({@code Upload#shown}: its own id, file name and point over the content's
 * shared document), so that a repeated read is sent as it was encoded, without parsing and copying the document
 * again (that cost a cached read three quarters of its rate); dropped by content, since every upload of the same
 * bytes shows the same analysis.
 *
 * <p>A read that started before an invalidation must not put back what it read: {@link #generation} is taken
 * when the read starts and {@link #put} is refused if any invalidation came since (conservative: any image).
 */
final class ResultNearCache {

  /** One upload's encoded document and the content it shows. */
  private record Entry(String imageId, Buffer encoded) {}

  private final long maxBytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Set<String>> uploadsByContent = new HashMap<>();
  private long bytes;
  private long generation;

  ResultNearCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The encoded document as upload {@code uploadId} shows it, or null. */
  Buffer get(String uploadId) {
    Entry entry = entries.get(uploadId);
    return entry == null ? null : entry.encoded();
  }

  /** Taken before a read from Redis or the database; hand it back to {@link #put}. */
  long generation() {
    return generation;
  }

  /**
   * Keeps a completed result, as upload {@code uploadId} of content {@code imageId} shows it, read at
   * {@code readGeneration}, unless something was invalidated meanwhile; answers the encoded document either way (the
   * caller sends it).
   */
  Buffer put(String uploadId, String imageId, JsonObject result, long readGeneration) {
    Buffer encoded = result.toBuffer();
    if (readGeneration == generation && "completed".equals(result.getString("status"))
        && encoded.length() <= maxBytes / 4) {
      Entry previous = entries.put(uploadId, new Entry(imageId, encoded));
      if (previous != null) {
        bytes -= previous.encoded().length();
        forget(uploadId, previous.imageId());
      }
      bytes += encoded.length();
      uploadsByContent.computeIfAbsent(imageId, id -> new HashSet<>()).add(uploadId);
      for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); bytes > maxBytes && it.hasNext(); ) {
        Map.Entry<String, Entry> eldest = it.next();
        bytes -= eldest.getValue().encoded().length();
        forget(eldest.getKey(), eldest.getValue().imageId());
        it.remove();
      }
    }
    return encoded;
  }

  /** Content {@code imageId} is analysed again: every upload of it is dropped. */
  void invalidate(String imageId) {
    generation++;
    Set<String> uploads = uploadsByContent.remove(imageId);
    if (uploads != null) {
      for (String uploadId : uploads) {
        Entry removed = entries.remove(uploadId);
        if (removed != null) {
          bytes -= removed.encoded().length();
        }
      }
    }
  }

  /** Upload {@code uploadId} is deleted: its document goes, and no read begun before may put it back. */
  void forgetUpload(String uploadId) {
    generation++;
    Entry removed = entries.remove(uploadId);
    if (removed != null) {
      bytes -= removed.encoded().length();
      forget(uploadId, removed.imageId());
    }
  }

  private void forget(String uploadId, String imageId) {
    Set<String> uploads = uploadsByContent.get(imageId);
    if (uploads != null && uploads.remove(uploadId) && uploads.isEmpty()) {
      uploadsByContent.remove(imageId);
    }
  }

  int size() {
    return entries.size();
  }

  long bytes() {
    return bytes;
  }
}
