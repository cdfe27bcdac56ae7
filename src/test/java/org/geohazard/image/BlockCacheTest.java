package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockCacheTest {

  private static final InvalidImageException CORRUPT =
      new InvalidImageException(InvalidImageException.Reason.INVALID_IMAGE, "corrupt block");

  @Test
  void aHeldBlockIsNotDecodedAgain() throws Exception {
    BlockCache cache = new BlockCache(1_000);
    AtomicInteger decodings = new AtomicInteger();
    byte[] first = cache.get(7, () -> new byte[] {(byte) decodings.incrementAndGet()});
    byte[] second = cache.get(7, () -> new byte[] {(byte) decodings.incrementAndGet()});
    assertThat(second).isSameAs(first);
    assertThat(decodings).hasValue(1);
    assertThat(cache.holds(7)).isTrue();
    assertThat(cache.holds(8)).isFalse();
  }

  @Test
  void leastRecentlyUsedBlocksLeaveOverTheBudgetButTheNewestStays() throws Exception {
    BlockCache cache = new BlockCache(250);
    cache.get(1, () -> new byte[100]);
    cache.get(2, () -> new byte[100]);
    cache.get(1, () -> new byte[100]); // 1 is now more recent than 2
    cache.get(3, () -> new byte[100]);
    assertThat(cache.holds(1)).isTrue();
    assertThat(cache.holds(2)).as("least recently used").isFalse();
    assertThat(cache.holds(3)).isTrue();

    cache.get(4, () -> new byte[1_000]);
    assertThat(cache.holds(4)).as("a block over the whole budget is still kept").isTrue();
    assertThat(cache.holds(1) || cache.holds(3)).isFalse();

    cache.clear();
    assertThat(cache.holds(4)).isFalse();
  }

  @Test
  void aFailedDecodingIsNotKeptAndIsTriedAgain() throws Exception {
    BlockCache cache = new BlockCache(1_000);
    assertThatThrownBy(() -> cache.get(5, () -> {
      throw CORRUPT;
    })).isSameAs(CORRUPT);
    assertThat(cache.holds(5)).isFalse();
    assertThat(cache.get(5, () -> new byte[] {42})).containsExactly(42);
  }

  /** A reader asking for a block another reader is decoding waits for that decoding, and shares its failure. */
  @Test
  void readersOfABlockBeingDecodedWaitForItAndShareItsOutcome() throws Exception {
    BlockCache cache = new BlockCache(1_000);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch decoding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger decodings = new AtomicInteger();
      Future<byte[]> first = threads.submit(() -> cache.get(1, () -> {
        decodings.incrementAndGet();
        decoding.countDown();
        await(release);
        return new byte[] {9};
      }));
      assertThat(decoding.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(cache.holds(1)).as("being decoded").isTrue();
      Future<byte[]> second = threads.submit(() -> cache.get(1, () -> {
        decodings.incrementAndGet();
        return new byte[] {0};
      }));
      release.countDown();
      assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
      assertThat(decodings).hasValue(1);

      CountDownLatch failing = new CountDownLatch(1);
      CountDownLatch fail = new CountDownLatch(1);
      Future<byte[]> failed = threads.submit(() -> cache.get(2, () -> {
        failing.countDown();
        await(fail);
        throw CORRUPT;
      }));
      assertThat(failing.await(10, TimeUnit.SECONDS)).isTrue();
      FutureTask<byte[]> waiting = new FutureTask<>(() -> cache.get(2, () -> new byte[] {1}));
      Thread waiter = new Thread(waiting);
      waiter.start();
      awaitParked(waiter); // it found the decoding in progress and waits for it
      fail.countDown();
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCause(CORRUPT);
      assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCause(CORRUPT);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Waits inside a decoder, which may throw only I/O and image failures. */
  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void awaitParked(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime()).as("%s never waited", thread).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
