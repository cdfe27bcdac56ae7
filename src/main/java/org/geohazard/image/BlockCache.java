package org.geohazard.image;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Least recently used decoded blocks of one raster up to a byte budget; always keeps the newest. Shared by threads
 * reading windows of the same scene at once: the lock covers only the bookkeeping, and a missing block is decoded by
 * the first thread that asks for it, outside the lock, while others asking for the same block meanwhile wait for
 * that decoding instead of repeating it (neighbouring windows overlap, so two readers often want one block).
 */
final class BlockCache {

  /** Decodes one block; what the cache calls when a block is not held. */
  @FunctionalInterface
  interface Decoder {
    byte[] decode() throws IOException, InvalidImageException;
  }

  private final long budget;
  private long held;
  private final LinkedHashMap<Integer, byte[]> blocks = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<Integer, CompletableFuture<byte[]>> decoding = new HashMap<>();

  BlockCache(long budget) {
    this.budget = budget;
  }

  /** The block held under {@code index}, or the one {@code decoder} makes (once, whatever the number of callers). */
  byte[] get(int index, Decoder decoder) throws IOException, InvalidImageException {
    CompletableFuture<byte[]> pending;
    synchronized (this) {
      byte[] cached = blocks.get(index);
      if (cached != null) {
        return cached;
      }
      pending = decoding.get(index);
      if (pending == null) {
        decoding.put(index, new CompletableFuture<>());
      }
    }
    if (pending != null) {
      return awaitDecoding(pending);
    }
    byte[] block;
    try {
      block = decoder.decode();
    } catch (IOException | InvalidImageException | RuntimeException | Error e) {
      finishDecoding(index).completeExceptionally(e);
      throw e;
    }
    CompletableFuture<byte[]> finished;
    synchronized (this) {
      finished = decoding.remove(index);
      put(index, block);
    }
    finished.complete(block);
    return block;
  }

  /** Whether the block is held or being decoded (a read of it now would not decode it again). */
  synchronized boolean holds(int index) {
    return blocks.containsKey(index) || decoding.containsKey(index);
  }

  private synchronized CompletableFuture<byte[]> finishDecoding(int index) {
    return decoding.remove(index);
  }

  /** Another reader's decoding of the block; its failure is this reader's too (the block is corrupt for both). */
  private static byte[] awaitDecoding(CompletableFuture<byte[]> pending) throws IOException, InvalidImageException {
    try {
      return pending.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof InvalidImageException invalid) {
        throw invalid;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void put(int index, byte[] block) {
    blocks.put(index, block);
    held += block.length;
    var eldest = blocks.entrySet().iterator();
    while (held > budget && blocks.size() > 1) {
      Map.Entry<Integer, byte[]> entry = eldest.next();
      held -= entry.getValue().length;
      eldest.remove();
    }
  }

  synchronized void clear() {
    blocks.clear();
    held = 0;
  }
}
