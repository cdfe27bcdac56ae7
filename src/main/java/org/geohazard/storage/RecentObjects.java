package org.geohazard.storage;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of the objects this node stored most recently, up to a total size, oldest out first. An
 * image is usually analysed on the node that accepted it moments before; keeping its bytes saves
 * fetching them back from the object store. A copy is handed out once and then forgotten: the analysis
 * reads an image once, and copies that outlive their use would fill the old generation of the heap
 * with bytes the collector then has to move and free (a retry, rare, fetches from the store). Objects
 * are immutable (content-addressed keys), so a remembered copy can never be stale. Thread-safe.
 */
public final class RecentObjects {

  private final long maxTotalBytes;
  private final int maxObjectBytes;
  private final LinkedHashMap<String, byte[]> objects = new LinkedHashMap<>();
  private long totalBytes;

  /**
   * @param maxTotalBytes memory the copies may take together; 0 keeps nothing
   * @param maxObjectBytes larger objects are not kept (large scenes are read from disk anyway)
   */
  public RecentObjects(long maxTotalBytes, int maxObjectBytes) {
    if (maxTotalBytes < 0 || maxObjectBytes < 0) {
      throw new IllegalArgumentException("sizes must be >= 0");
    }
    this.maxTotalBytes = maxTotalBytes;
    this.maxObjectBytes = maxObjectBytes;
  }

  /** Whether an object of this size would be kept. */
  public boolean keeps(long size) {
    return size <= maxObjectBytes && size <= maxTotalBytes;
  }

  public synchronized void remember(String key, byte[] bytes) {
    if (!keeps(bytes.length)) {
      return;
    }
    // Removed first so that a key stored again counts as new for "oldest out first".
    byte[] previous = objects.remove(key);
    objects.put(key, bytes);
    totalBytes += bytes.length - (previous == null ? 0 : previous.length);
    Iterator<Map.Entry<String, byte[]>> oldestFirst = objects.entrySet().iterator();
    while (totalBytes > maxTotalBytes && oldestFirst.hasNext()) {
      totalBytes -= oldestFirst.next().getValue().length;
      oldestFirst.remove();
    }
  }

  /** The copy of {@code key}, if this node still holds it; it is forgotten as it is handed out. */
  public synchronized Optional<byte[]> take(String key) {
    byte[] bytes = objects.remove(key);
    if (bytes != null) {
      totalBytes -= bytes.length;
    }
    return Optional.ofNullable(bytes);
  }

  synchronized long totalBytes() {
    return totalBytes;
  }
}
