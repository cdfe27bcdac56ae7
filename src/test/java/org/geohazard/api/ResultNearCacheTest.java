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
    cache.put("a", "content-a", result("completed", 200), cache.generation());
    cache.put("p", "content-p", result("pending", 200), cache.generation());
    assertThat(cache.get("p")).as("in flight: it will change").isNull();
    cache.put("b", "content-b", result("completed", 200), cache.generation());
    assertThat(cache.get("a")).isNotNull();  // a is now the most recently read
    cache.put("c", "content-c", result("completed", 200), cache.generation());
    cache.put("d", "content-d", result("completed", 200), cache.generation());
    cache.put("e", "content-e", result("completed", 200), cache.generation());
    assertThat(cache.bytes()).isLessThanOrEqualTo(1000);
    assertThat(cache.get("b")).as("least recently read").isNull();
    assertThat(cache.get("a")).isNotNull();
    assertThat(cache.get("a").toJsonObject().getString("status")).isEqualTo("completed");
  }

  @Test
  void aDocumentLargerThanAQuarterOfTheCacheIsAnsweredButNotKept() {
    ResultNearCache cache = new ResultNearCache(1000);
    assertThat(cache.put("big", "content-big", result("completed", 400), cache.generation()).length()).isGreaterThan(250);
    assertThat(cache.get("big")).isNull();
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void aReadThatStartedBeforeAnInvalidationDoesNotPutTheOldDocumentBack() {
    ResultNearCache cache = new ResultNearCache(10_000);
    long before = cache.generation();
    cache.invalidate("content-x");  // the image is queued again while the read is on its way
    cache.put("x", "content-x", result("completed", 100), before);
    assertThat(cache.get("x")).isNull();
    cache.put("x", "content-x", result("completed", 100), cache.generation());
    assertThat(cache.get("x")).isNotNull();
    cache.invalidate("content-x");
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void zeroBytesKeepsNothing() {
    ResultNearCache cache = new ResultNearCache(0);
    cache.put("a", "content-a", result("completed", 50), cache.generation());
    assertThat(cache.get("a")).isNull();
  }

  @Test
  void aNewAnalysisDropsEveryUploadOfTheContentAndNoOther() {
    ResultNearCache cache = new ResultNearCache(10_000);
    cache.put("u1", "content", result("completed", 100), cache.generation());
    cache.put("u2", "content", result("completed", 100), cache.generation());
    cache.put("u3", "other", result("completed", 100), cache.generation());
    cache.invalidate("content");
    assertThat(cache.get("u1")).isNull();
    assertThat(cache.get("u2")).isNull();
    assertThat(cache.get("u3")).isNotNull();
    assertThat(cache.size()).isEqualTo(1);
    cache.invalidate("other");
    assertThat(cache.bytes()).isZero();
  }

  @Test
  void aDeletedUploadIsForgottenAloneAndAReadBegunBeforeCannotPutItBack() {
    ResultNearCache cache = new ResultNearCache(10_000);
    cache.put("mine", "shared", result("completed", 200), cache.generation());
    cache.put("theirs", "shared", result("completed", 200), cache.generation());
    long before = cache.generation();
    cache.forgetUpload("mine");
    assertThat(cache.get("mine")).isNull();
    assertThat(cache.get("theirs")).as("another upload of the same content stays").isNotNull();
    assertThat(cache.bytes()).isEqualTo(cache.get("theirs").length());
    cache.put("mine", "shared", result("completed", 200), before);
    assertThat(cache.get("mine")).as("read before the deletion").isNull();
    cache.invalidate("shared");
    assertThat(cache.size()).isZero();
    assertThat(cache.bytes()).isZero();
  }
}
