package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.geohazard.auth.WebhookSignature;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Webhooks against a real receiver on this machine: a subscription's deliveries are signed with its secret, a
 * receiver that fails twice gets the delivery on the third attempt (and the log says so), a receiver that keeps
 * failing gets its subscription disabled with the reason; subscriptions need a key; private, loopback and
 * metadata targets are refused unless the operator allows them.
 */
class WebhookIT {

  private record Received(String signature, byte[] body) {}

  @Test
  void signedDeliveriesRetriedUntilTheReceiverRecoversAndFailingOnesDisabled() throws Exception {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_ALERTS_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
        "GEOHAZARD_ALERTS_WEBHOOKS_RETRY_BASE_MS", "50", "GEOHAZARD_ALERTS_WEBHOOKS_MAX_ATTEMPTS", "3",
        "GEOHAZARD_ALERTS_WEBHOOKS_DISABLE_AFTER_FAILURES", "1"))) {
      List<Received> received = new CopyOnWriteArrayList<>();
      AtomicInteger flakyCalls = new AtomicInteger();
      AtomicInteger brokenCalls = new AtomicInteger();
      HttpServer receiver = TestNode.await(node.vertx().createHttpServer().requestHandler(request ->
          request.body().onSuccess(body -> {
            if (request.path().equals("/broken")) {
              brokenCalls.incrementAndGet();
              request.response().setStatusCode(503).end();
            } else if (flakyCalls.incrementAndGet() <= 2) {
              request.response().setStatusCode(500).end();
            } else {
              received.add(new Received(request.getHeader(WebhookSignature.HEADER), body.getBytes()));
              request.response().setStatusCode(204).end();
            }
          })).listen(0, "127.0.0.1"));
      String base = "http://127.0.0.1:" + receiver.actualPort();
      double latitude = -40 + new Random().nextDouble() * 80;
      double longitude = -160 + new Random().nextDouble() * 320;

      String key = node.createKey("webhook-it", "operate");
      assertThat(TestNode.await(node.client.post("/api/v1/webhooks").sendJsonObject(new JsonObject()
          .put("url", base + "/hook"))).statusCode()).isEqualTo(401);
      // A key that may upload and publish but not operate subscribes nothing.
      String publisher = node.createKey("webhook-it-publisher", "read,upload,publish");
      HttpResponse<Buffer> notAnOperator = TestNode.await(node.client.post("/api/v1/webhooks")
          .putHeader("X-API-Key", publisher).sendJsonObject(new JsonObject().put("url", base + "/hook")));
      assertThat(node.checked("createWebhook", notAnOperator).getString("code")).isEqualTo("insufficient_scope");
      JsonObject flaky = node.checked("createWebhook", TestNode.await(node.client.post("/api/v1/webhooks")
          .putHeader("X-API-Key", key).sendJsonObject(new JsonObject().put("url", base + "/hook?tenant=a")
              .put("latitude", latitude).put("longitude", longitude).put("radius_km", 20).put("type", "flood"))));
      String secret = flaky.getString("secret");
      assertThat(secret).startsWith("whsec_");
      JsonObject broken = node.checked("createWebhook", TestNode.await(node.client.post("/api/v1/webhooks")
          .putHeader("X-API-Key", key).sendJsonObject(new JsonObject().put("url", base + "/broken")
              .put("latitude", latitude).put("longitude", longitude).put("radius_km", 20))));

      // First a stranger's upload at the same place: its alert is held unverified and delivered to no one. Were it
      // delivered, it would take the flaky receiver's first calls and be the first delivery received below.
      JsonObject anonymous = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude))));
      node.awaitFinished(anonymous.getString("image_id"));
      node.pollUntil(() -> node.client.get("/api/v1/alerts/unverified").putHeader("X-API-Key", key).send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("alerts").stream().map(JsonObject.class::cast)
              .anyMatch(a -> a.getString("image_id").equals(anonymous.getString("image_id"))), Duration.ofSeconds(30));

      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
          publisher));
      node.awaitFinished(accepted.getString("image_id"));

      node.pollUntil(() -> Future.succeededFuture(received.size()), n -> n >= 1, Duration.ofSeconds(30));
      Received delivery = received.get(0);
      long now = System.currentTimeMillis() / 1000;
      assertThat(WebhookSignature.verify(secret, delivery.signature(), delivery.body(), now, 300)).isTrue();
      assertThat(WebhookSignature.verify("whsec_wrong", delivery.signature(), delivery.body(), now, 300)).isFalse();
      JsonObject event = new JsonObject(Buffer.buffer(delivery.body()));
      assertThat(event.getJsonObject("alert").getString("alert_type")).isEqualTo("flood");
      // A webhook is public: the alert names no upload. An operator reads which one raised it.
      assertThat(event.getJsonObject("alert").containsKey("image_id")).isFalse();
      assertThat(node.checked("getAlert", node.get("/api/v1/alerts/" + event.getJsonObject("alert").getString("alert_id"),
          node.operatorKey())).getString("image_id")).as("the published upload's alert, not the stranger's")
          .isEqualTo(accepted.getString("image_id"));
      assertThat(event.getBoolean("created")).isTrue();

      JsonObject log = node.checked("getWebhookDeliveries", node.pollUntil(() -> node.client
              .get("/api/v1/webhooks/" + flaky.getString("webhook_id") + "/deliveries").putHeader("X-API-Key", key).send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("count") >= 1, Duration.ofSeconds(30)));
      JsonObject logged = log.getJsonArray("deliveries").getJsonObject(0);
      assertThat(logged.getBoolean("delivered")).isTrue();
      assertThat(logged.getInteger("attempts")).isEqualTo(3);

      // Three attempts refused, one failed delivery, and this node disables after one.
      HttpResponse<Buffer> listed = node.pollUntil(() -> node.client.get("/api/v1/webhooks").putHeader("X-API-Key", key)
          .send(), r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("webhooks").stream()
          .map(JsonObject.class::cast).anyMatch(w -> w.getString("state").equals("disabled")), Duration.ofSeconds(30));
      JsonObject disabled = node.checked("listWebhooks", listed).getJsonArray("webhooks").stream()
          .map(JsonObject.class::cast).filter(w -> w.getString("webhook_id").equals(broken.getString("webhook_id")))
          .findFirst().orElseThrow();
      assertThat(disabled.getString("disabled_reason")).contains("HTTP 503");
      assertThat(disabled.containsKey("secret")).isFalse();
      assertThat(brokenCalls.get()).isEqualTo(3);

      assertThat(TestNode.await(node.client.delete("/api/v1/webhooks/" + broken.getString("webhook_id"))
          .putHeader("X-API-Key", key).send()).statusCode()).isEqualTo(204);
      TestNode.await(receiver.close());
    }
  }

  /**
   * A receiver that answers 200 and then never ends its body: the node reads at most 64 KiB of it and counts the
   * delivery by its status (were the body read to its end, the attempt would run into its timeout, again and
   * again, and the delivery would fail).
   */
  @Test
  void aReceiversEndlessAnswerIsCutShort() {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_ALERTS_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
        "GEOHAZARD_ALERTS_WEBHOOKS_MAX_ATTEMPTS", "1", "GEOHAZARD_ALERTS_WEBHOOKS_TIMEOUT_MS", "3000"))) {
      AtomicInteger closed = new AtomicInteger();
      HttpServer receiver = TestNode.await(node.vertx().createHttpServer().requestHandler(request ->
          request.body().onSuccess(body -> {
            request.response().setChunked(true).setStatusCode(200);
            Buffer chunk = Buffer.buffer(new byte[8192]);
            long timer = node.vertx().setPeriodic(5, id -> {
              if (!request.response().ended() && !request.response().closed()) {
                request.response().write(chunk);
              }
            });
            request.response().closeHandler(v -> {
              node.vertx().cancelTimer(timer);
              closed.incrementAndGet();
            });
          })).listen(0, "127.0.0.1"));
      double latitude = -40 + new Random().nextDouble() * 80;
      double longitude = -160 + new Random().nextDouble() * 320;
      String key = node.createKey("webhook-endless-it", "operate");
      JsonObject hook = node.checked("createWebhook", TestNode.await(node.client.post("/api/v1/webhooks")
          .putHeader("X-API-Key", key).sendJsonObject(new JsonObject().put("url", "http://127.0.0.1:"
              + receiver.actualPort() + "/endless").put("latitude", latitude).put("longitude", longitude)
              .put("radius_km", 20))));
      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
          node.publisherKey()));
      node.awaitFinished(accepted.getString("image_id"));
      JsonObject log = node.checked("getWebhookDeliveries", node.pollUntil(() -> node.client
              .get("/api/v1/webhooks/" + hook.getString("webhook_id") + "/deliveries").putHeader("X-API-Key", key).send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("count") >= 1, Duration.ofSeconds(30)));
      JsonObject logged = log.getJsonArray("deliveries").getJsonObject(0);
      assertThat(logged.getBoolean("delivered")).as(logged.encode()).isTrue();
      assertThat(logged.getInteger("attempts")).isEqualTo(1);
      node.pollUntil(() -> Future.succeededFuture(closed.get()), n -> n >= 1, Duration.ofSeconds(10));
      TestNode.await(receiver.close());
    }
  }

  @Test
  void privateLoopbackAndMetadataTargetsAreRefused() {
    try (TestNode node = TestNode.start(Map.of())) {
      String key = node.createKey("webhook-ssrf-it", "operate");
      for (String url : List.of("http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data/",
          "http://10.1.2.3/hook", "http://192.168.0.10/", "http://[::1]/hook", "ftp://example.org/hook",
          "http://localhost/hook", "http://[64:ff9b::7f00:1]/hook", "http://[2002:7f00:1::1]/hook",
          "http://198.18.0.1/hook", "http://240.0.0.1/hook")) {
        HttpResponse<Buffer> refused = TestNode.await(node.client.post("/api/v1/webhooks").putHeader("X-API-Key", key)
            .sendJsonObject(new JsonObject().put("url", url)));
        assertThat(refused.statusCode()).as(url + ": " + refused.bodyAsString()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("code")).as(url)
            .isIn("webhook_target_refused", "invalid_request");
      }
    }
  }
}
