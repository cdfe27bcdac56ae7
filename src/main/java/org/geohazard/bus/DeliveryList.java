package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Logged deliveries, newest first.
 */
public record DeliveryList(List<Delivery> deliveries) {

  public static final int VERSION = 1;

  public DeliveryList {
    deliveries = List.copyOf(deliveries);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("deliveries", deliveries.stream().map(Delivery::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static DeliveryList fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "DeliveryList");
    return new DeliveryList(
        json.getJsonArray("deliveries", new JsonArray()).stream().map(item -> Delivery.fromJson((JsonObject) item)).toList());
  }
}
