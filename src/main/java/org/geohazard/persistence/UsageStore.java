package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.UsageCount;
import org.geohazard.bus.UsageService;

/** SQL for {@code api_usage}: batches of counts in, one key's hours out. */
final class UsageStore implements UsageService {

  private final Pool primary;
  private final Pool reads;

  UsageStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  /** One row per counted group, in one batch. */
  @Override
  public Future<Void> record(List<UsageCount> counts) {
    if (counts.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = new ArrayList<>(counts.size());
    for (UsageCount c : counts) {
      rows.add(Tuple.of(c.apiKeyId(), ImageStore.truncate(c.client(), 64), ImageStore.truncate(c.endpoint(), 128),
          c.status(), (int) Math.min(Integer.MAX_VALUE, c.requests()), epoch(c.hourStart())));
    }
    return primary.preparedQuery("""
            INSERT INTO api_usage (api_key_id, client_address, endpoint, status_code, request_count, created_at)
            VALUES (?, ?, ?, ?, ?, FROM_UNIXTIME(?))""")
        .executeBatch(rows).mapEmpty();
  }

  /** The key's requests summed per hour, endpoint and status, oldest first. */
  @Override
  public Future<List<UsageCount>> hours(long apiKeyId, String from, String to) {
    return reads.preparedQuery("""
            SELECT UNIX_TIMESTAMP(created_at) DIV 3600 * 3600 AS hour_epoch, endpoint, status_code,
              SUM(request_count) AS requests
            FROM api_usage WHERE api_key_id = ? AND created_at >= FROM_UNIXTIME(?) AND created_at < FROM_UNIXTIME(?)
            GROUP BY hour_epoch, endpoint, status_code ORDER BY hour_epoch, endpoint, status_code""")
        .execute(Tuple.of(apiKeyId, epoch(from), epoch(to)))
        .map(rows -> {
          List<UsageCount> hours = new ArrayList<>();
          for (Row row : rows) {
            String hour = java.time.Instant.ofEpochSecond(((Number) row.getValue("hour_epoch")).longValue()).toString();
            hours.add(new UsageCount(hour, apiKeyId, "key:" + apiKeyId,
                row.getString("endpoint"), row.getInteger("status_code"), ((Number) row.getValue("requests")).longValue()));
          }
          return hours;
        });
  }

  /** Epoch seconds of an ISO-8601 instant: FROM_UNIXTIME / UNIX_TIMESTAMP keep the session's time zone out of it. */
  static long epoch(String iso) {
    return java.time.Instant.parse(iso).getEpochSecond();
  }
}
