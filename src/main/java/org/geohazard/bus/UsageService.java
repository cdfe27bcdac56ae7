package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** API usage per key, hour, endpoint and status (served by persistence). */
@BusService("persistence.usage")
public interface UsageService {

  /** An API node's request counts since its last batch, added to {@code api_usage}. */
  Future<Void> record(List<UsageCount> counts);

  /** One API key's requests per hour, endpoint and status in [from, to) (ISO-8601 UTC), oldest first. */
  Future<List<UsageCount>> hours(long apiKeyId, String from, String to);
}
