package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One API key's request counts per hour, endpoint and status between two instants
 * ({@code persistence.usage.query}); the reply is the same record with {@code hours} filled.
 */
public record UsageQuery(long apiKeyId, String from, String to, List<UsageBatch.Count> hours) {

  public static final int VERSION = 1;

  public UsageQuery {
    hours = hours == null ? List.of() : List.copyOf(hours);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("api_key_id", apiKeyId).put("from", from).put("to", to)
        .put("hours", hours.stream().map(UsageBatch.Count::toJson)
            .collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static UsageQuery fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "UsageQuery");
    return new UsageQuery(json.getLong("api_key_id", 0L), json.getString("from"), json.getString("to"),
        json.getJsonArray("hours", new JsonArray()).stream().map(c -> UsageBatch.Count.fromJson((JsonObject) c))
            .toList());
  }
}
