package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ResultNearCacheTest {

  private static JsonObject result(String status) {
    return new JsonObject().put("status", status);
  }

  @Test
  void keepsCompletedResultsOnlyAndDropsTheLeastRecentlyRead() {
    ResultNearCache cache = new ResultNearCache(2);
    cache.put("a", result("completed"), cache.generation());
    cache.put("p", result("pending"), cache.generation());
    assertThat(cache.get("p")).as("in flight: it will change").isNull();
    cache.put("b", result("completed"), cache.generation());
    assertThat(cache.get("a")).isNotNull();  // a is now the most recently read
    cache.put("c", result("completed"), cache.generation());
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void aReadThatStartedBeforeAnInvalidationDoesNotPutTheOldDocumentBack() {
    ResultNearCache cache = new ResultNearCache(10);
    long before = cache.generation();
    cache.invalidate("x");  // the image is queued again while the read is on its way
    cache.put("x", result("completed"), before);
    assertThat(cache.get("x")).isNull();
    cache.put("x", result("completed"), cache.generation());
    assertThat(cache.get("x")).isNotNull();
  }

  @Test
  void zeroEntriesKeepsNothing() {
    ResultNearCache cache = new ResultNearCache(0);
    cache.put("a", result("completed"), cache.generation());
    assertThat(cache.get("a")).isNull();
  }
}
