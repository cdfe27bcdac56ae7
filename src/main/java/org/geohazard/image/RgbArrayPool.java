package org.geohazard.image;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * Pixel arrays of decoded pictures, kept for the next picture of the same size instead of being left to the
 * collector. A decoded picture is 3 bytes a pixel (0.7 MB at 512², 2.8 MB at 1280 × 720), over half a G1 region at
 * the node's usual heaps, so each one is a humongous object: allocating them at the pipeline's rate set off a
 * concurrent marking cycle every few seconds (flight recording of the pipeline benchmark, issue 26), GC threads'
 * CPU on the same cores as ONNX Runtime. An array given back here is handed out again to a decode of exactly the same
 * length, filled with zeros first, so the decoder starts from the same array a fresh allocation would give it.
 *
 * <p>Bounded: at most {@code maxBytes} in at most {@link #MAX_ARRAYS} arrays are kept, the longest-unused dropped
 * first; an array taken out is an ordinary heap object again (nothing tracks it, and one never given back is simply
 * collected). Whoever gives an array back must not read or write it afterwards. Thread-safe.
 */
public final class RgbArrayPool {

  /** At most this many arrays are kept, however small: a take looks through them under the lock. */
  static final int MAX_ARRAYS = 256;

  private final long maxBytes;
  /** Most recently given back first. */
  private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
  private long keptBytes;
  private long taken;
  private long reused;

  /** @param maxBytes what the kept arrays may hold together; 0 keeps nothing */
  public RgbArrayPool(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0");
    }
    this.maxBytes = maxBytes;
  }

  /** An array of exactly {@code length} bytes, all zero: a kept one when there is one, else a new one. */
  public byte[] take(int length) {
    byte[] array = takeKept(length);
    if (array == null) {
      return new byte[length];
    }
    Arrays.fill(array, (byte) 0);
    return array;
  }

  private synchronized byte[] takeKept(int length) {
    taken++;
    for (Iterator<byte[]> it = kept.iterator(); it.hasNext(); ) {
      byte[] array = it.next();
      if (array.length == length) {
        it.remove();
        keptBytes -= length;
        reused++;
        return array;
      }
    }
    return null;
  }

  /** Keeps {@code array} for a later {@link #take}, unless it alone is over the bound; the oldest go first. */
  public synchronized void giveBack(byte[] array) {
    if (array == null || array.length == 0 || array.length > maxBytes) {
      return;
    }
    for (byte[] held : kept) {
      if (held == array) {
        return; // given back twice: keeping it twice would hand it to two decodes at once
      }
    }
    kept.addFirst(array);
    keptBytes += array.length;
    while (keptBytes > maxBytes || kept.size() > MAX_ARRAYS) {
      keptBytes -= kept.removeLast().length;
    }
  }

  /** Bytes kept now. */
  public synchronized long keptBytes() {
    return keptBytes;
  }

  /** Of the arrays asked for so far, how many were kept ones (for tests and diagnostics). */
  public synchronized long reused() {
    return reused;
  }

  /** Arrays asked for so far. */
  public synchronized long taken() {
    return taken;
  }
}
