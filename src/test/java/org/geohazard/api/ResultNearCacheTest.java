package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ResultNearCacheTest {

  /** A document of about {@code size} bytes once encoded. */
  private static JsonObject result(String status, int size) {
    return new JsonObject().put("status", status).put("pad", "x".repeat(Math.max(0, size - 30)));
  }

  @Test
  void keepsCompletedResultsOnlyAndDropsTheLeastRecentlyReadBeyondItsBytes() {
    ResultNearCache cache = new ResultNearCache(1000);
    cache.put("a", result("completed", 200), cache.generation());
    cache.put("p", result("pending", 200), cache.generation());
    assertThat(cache.get("p")).as("in flight: it will change").isNull();
    cache.put("b", result("completed", 200), cache.generation());
    assertThat(cache.get("a")).isNotNull();  // a is now the most recently read
    cache.put("c", result("completed", 200), cache.generation());
    cache.put("d", result("completed", 200), cache.generation());
    cache.put("e", result("completed", 200), cache.generation());
    assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
    assertThat(cache.get("b")).as("least recently read").isNull();
    assertThat(cache.get("a")).isNotNull();
    assertThat(cache.get("a").toJsonObject().getString("status")).isEqualTo("completed");
  }

  @Test
  void aDocumentLargerThanAQuarterOfTheCacheIsAnsweredButNotKept() {
    ResultNearCache cache = new ResultNearCache(1000);
    assertThat(cache.put("big", result("completed", 400), cache.generation()).length()).isGreaterThan(250);
    assertThat(cache.get("big")).isNull();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void aReadThatStartedBeforeAnInvalidationDoesNotPutTheOldDocumentBack() {
    ResultNearCache cache = new ResultNearCache(10_000);
    long before = cache.generation();
    cache.invalidate("x");  // the image is queued again while the read is on its way
    cache.put("x", result("completed", 100), before);
    assertThat(cache.get("x")).isNull();
    cache.put("x", result("completed", 100), cache.generation());
    assertThat(cache.get("x")).isNotNull();
    cache.invalidate("x");
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void zeroBytesKeepsNothing() {
    ResultNearCache cache = new ResultNearCache(0);
    cache.put("a", result("completed", 50), cache.generation());
    assertThat(cache.get("a")).isNull();
  }
}
