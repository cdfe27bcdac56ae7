package org.geohazard.storage;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of the objects this node stored most recently, up to a total size, least recently used
 * out first. An image is usually analysed on the node that accepted it moments before; keeping its
 * bytes saves fetching them back from the object store. Objects are immutable (content-addressed
 * keys), so a remembered copy can never be stale. Thread-safe.
 */
public final class RecentObjects {

  private final long maxTotalBytes;
  private final int maxObjectBytes;
  private final LinkedHashMap<String, byte[]> objects = new LinkedHashMap<>(64, 0.75f, true);
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
    byte[] previous = objects.put(key, bytes);
    totalBytes += bytes.length - (previous == null ? 0 : previous.length);
    Iterator<Map.Entry<String, byte[]>> oldestFirst = objects.entrySet().iterator();
    while (totalBytes > maxTotalBytes && oldestFirst.hasNext()) {
      totalBytes -= oldestFirst.next().getValue().length;
      oldestFirst.remove();
    }
  }

  public synchronized Optional<byte[]> recall(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  synchronized long totalBytes() {
    return totalBytes;
  }
}
