package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An owner still working on these images ({@code persistence.images.renew}): their leases run for another
 * {@code leaseMs}. An owner that dies stops renewing, and its images can be taken over once the lease ends.
 */
public record ClaimLeases(String owner, List<String> imageIds, long leaseMs) {

  public static final int VERSION = 1;

  public ClaimLeases {
    imageIds = List.copyOf(imageIds);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("owner", owner)
        .put("image_ids", new JsonArray(imageIds))
        .put("lease_ms", leaseMs);
  }

  public static ClaimLeases fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ClaimLeases");
    return new ClaimLeases(json.getString("owner"),
        json.getJsonArray("image_ids", new JsonArray()).stream().map(String::valueOf).toList(),
        json.getLong("lease_ms", 0L));
  }
}
