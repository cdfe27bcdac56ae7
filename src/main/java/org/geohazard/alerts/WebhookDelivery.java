package org.geohazard.alerts;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import org.geohazard.auth.WebhookSignature;
import org.geohazard.auth.WebhookTargets;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.AlertRaised;
import org.geohazard.bus.DeliveryOutcome;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.Webhook;
import org.geohazard.bus.WebhookService;
import org.geohazard.config.AppConfig;
import org.geohazard.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each alert change to every active webhook whose filter accepts it: a JSON POST
 * ({@code event_id}, {@code created}, {@code alert}) signed with the subscription's secret
 * ({@link WebhookSignature}), to the address the target check resolved (never a second lookup). Refused or
 * failed attempts are retried with exponential backoff and jitter up to {@code maxAttempts}; the outcome is
 * logged where the owner reads it, and a subscription that keeps failing is disabled there. The list of
 * subscriptions is read at most every {@link #LIST_TTL_MS}.
 */
final class WebhookDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
  static final long LIST_TTL_MS = 5_000;

  private final Vertx vertx;
  private final AppConfig.Webhooks config;
  /** retryBaseMs doubling per attempt (up to 2^20 times), each delay between half and one and a half of that. */
  private final Backoff backoff;
  private final HttpClient http;
  private final WebhookService store;
  private Future<List<Webhook>> subscriptions;
  private long subscriptionsReadAt;

  WebhookDelivery(Vertx vertx, AppConfig.Webhooks config) {
    this.vertx = vertx;
    this.store = ServiceBus.client(vertx.eventBus(), WebhookService.class);
    this.config = config;
    this.backoff = new Backoff(config.retryBaseMs(), config.retryBaseMs() << 20, 0.5);
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeoutMs())
        .setVerifyHost(true).setTrustAll(false));
    // A rotated secret signs the very next delivery, not one after the list's TTL.
    Addresses.WEBHOOKS_CHANGED.subscribe(vertx.eventBus(), id -> forgetSubscriptions());
  }

  void deliver(AlertRaised change) {
    JsonObject body = new JsonObject().put("event_id", change.eventId()).put("created", change.created())
        .put("alert", change.alert().toJson());
    byte[] bytes = body.toBuffer().getBytes();
    active().onSuccess(webhooks -> {
      for (Webhook webhook : webhooks) {
        if (webhook.filter().accepts(change.alert())) {
          attempt(webhook, change, bytes, 1);
        }
      }
    }).onFailure(error -> LOG.warn("webhooks not delivered for {}: {}", change.eventId(), error.getMessage()));
  }

  /** A subscription changed (its secret rotated): the next delivery reads the list afresh. */
  void forgetSubscriptions() {
    subscriptions = null;
  }

  private Future<List<Webhook>> active() {
    long now = System.currentTimeMillis();
    if (subscriptions == null || now - subscriptionsReadAt > LIST_TTL_MS || subscriptions.failed()) {
      subscriptionsReadAt = now;
      subscriptions = store.list(null);
    }
    return subscriptions;
  }

  private void attempt(Webhook webhook, AlertRaised change, byte[] body, int attempt) {
    vertx.<WebhookTargets.Target>executeBlocking(() -> WebhookTargets.check(webhook.url(), config.allowPrivateTargets()), false)
        .compose(target -> post(target, webhook, body))
        .onComplete(result -> {
          Integer status = result.succeeded() ? result.result() : null;
          boolean delivered = status != null && status >= 200 && status < 300;
          boolean refused = result.failed() && result.cause() instanceof WebhookTargets.RefusedTarget;
          if (!delivered && !refused && attempt < config.maxAttempts()) {
            vertx.setTimer(backoff.delayMs(attempt), id -> attempt(webhook, change, body, attempt + 1));
            return;
          }
          String error = result.failed() ? String.valueOf(result.cause().getMessage())
              : delivered ? null : "HTTP " + status;
          store.delivered(new DeliveryOutcome(webhook.webhookId(),
                  change.eventId(), change.alert().alertId(), delivered, attempt, status, error,
                  config.disableAfterFailures()))
              .onFailure(e -> LOG.warn("delivery of {} to webhook {} not logged: {}", change.eventId(),
                  webhook.webhookId(), e.getMessage()));
        });
  }

  /** One POST to the first checked address; completes with the HTTP status. */
  private Future<Integer> post(WebhookTargets.Target target, Webhook webhook, byte[] body) {
    String path = target.url().getRawPath() == null || target.url().getRawPath().isEmpty() ? "/"
        : target.url().getRawPath();
    if (target.url().getRawQuery() != null) {
      path += "?" + target.url().getRawQuery();
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(target.port(), target.addresses().get(0).getHostAddress()))
        .setHost(target.host()).setPort(target.port()).setSsl(target.https()).setURI(path)
        .setTimeout(config.timeoutMs())
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "geohazard-webhooks")
        // During a secret rotation's overlap, signed with the old secret too (see WebhookSignature).
        .putHeader(WebhookSignature.HEADER, WebhookSignature.header(webhook.secret(),
            webhook.previousSecretAt(System.currentTimeMillis()), System.currentTimeMillis() / 1000, body));
    return http.request(options)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(WebhookDelivery::statusAfterDrainingBody);
  }

  /** The most of a subscriber's answer that is read: only its status counts, the body is drained and dropped. */
  static final long MAX_RESPONSE_BYTES = 64 * 1024;

  /**
   * The status, once the body has been read and dropped; a body over {@link #MAX_RESPONSE_BYTES} closes the
   * connection (a subscriber cannot make the node read, let alone hold, an endless answer).
   */
  private static Future<Integer> statusAfterDrainingBody(HttpClientResponse response) {
    long[] read = {0};
    Promise<Integer> done = Promise.promise();
    response.handler(chunk -> {
      read[0] += chunk.length();
      if (read[0] > MAX_RESPONSE_BYTES && done.tryComplete(response.statusCode())) {
        response.request().connection().close();
      }
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(response.statusCode()));
    return done.future();
  }

  void close() {
    http.close();
  }
}
