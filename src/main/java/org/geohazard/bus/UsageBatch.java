package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Request counts of one API node since its last batch ({@code persistence.usage.record}). */
public record UsageBatch(List<Count> counts) {

  public static final int VERSION = 1;

  /**
   * Requests of one client to one endpoint with one status in one hour.
   *
   * @param hourStart the hour, ISO-8601 UTC ({@code 2026-12-01T20:00:00Z})
   * @param apiKeyId the key the requests came with; null for anonymous clients
   * @param client {@code key:<id>} or the client's address
   * @param endpoint the contract's operation id ({@code analyzeSingle}), or {@code unmatched}
   */
  public record Count(String hourStart, Long apiKeyId, String client, String endpoint, int status, long requests) {
    JsonObject toJson() {
      return new JsonObject().put("hour_start", hourStart).put("api_key_id", apiKeyId).put("client", client)
          .put("endpoint", endpoint).put("status", status).put("requests", requests);
    }

    static Count fromJson(JsonObject json) {
      return new Count(json.getString("hour_start"), json.getLong("api_key_id"), json.getString("client"),
          json.getString("endpoint"), json.getInteger("status", 0), json.getLong("requests", 0L));
    }
  }

  public UsageBatch {
    counts = List.copyOf(counts);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION)
        .put("counts", counts.stream().map(Count::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static UsageBatch fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "UsageBatch");
    return new UsageBatch(json.getJsonArray("counts", new JsonArray()).stream()
        .map(c -> Count.fromJson((JsonObject) c)).toList());
  }
}
