package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Webhook subscriptions.
 */
public record WebhookList(List<Webhook> webhooks) {

  public static final int VERSION = 1;

  public WebhookList {
    webhooks = List.copyOf(webhooks);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("webhooks", webhooks.stream().map(Webhook::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static WebhookList fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "WebhookList");
    return new WebhookList(
        json.getJsonArray("webhooks", new JsonArray()).stream().map(item -> Webhook.fromJson((JsonObject) item)).toList());
  }
}
