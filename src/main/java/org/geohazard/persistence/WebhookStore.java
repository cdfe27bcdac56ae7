package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.geohazard.bus.AlertFilter;
import org.geohazard.bus.Delivery;
import org.geohazard.bus.DeliveryOutcome;
import org.geohazard.bus.Failure;
import org.geohazard.bus.Webhook;
import org.geohazard.bus.WebhookService;
import org.geohazard.bus.WebhookState;

/** SQL for webhook subscriptions (owned by API keys) and their delivery log. */
final class WebhookStore implements WebhookService {

  private static final String COLUMNS = """
      id, api_key_id, url, secret, filter, state, disabled_reason, failures,
      UNIX_TIMESTAMP(created_at) AS created_at, previous_secret,
      UNIX_TIMESTAMP(previous_secret_until) AS previous_secret_until""";

  private final Pool primary;
  private final Pool reads;

  WebhookStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  @Override
  public Future<Webhook> create(long apiKeyId, String url, String secret, AlertFilter filter) {
    String id = UUID.randomUUID().toString();
    return primary.preparedQuery("INSERT INTO webhooks (id, api_key_id, url, secret, filter) VALUES (?, ?, ?, ?, ?)")
        .execute(Tuple.of(id, apiKeyId, url, secret, filter.toJson().encode()))
        .compose(v -> primary.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?").execute(Tuple.of(id)))
        .map(rows -> webhookOf(rows.iterator().next()));
  }

  @Override
  public Future<List<Webhook>> list(Long apiKeyId) {
    // Delivery (no key given): a tenant's subscriptions stop with its last live key, so revoking a leaked key stops
    // its webhooks too (a rotation keeps them: the new key is of the same tenant).
    Future<RowSet<Row>> rows = apiKeyId == null
        ? reads.query("SELECT " + COLUMNS + " FROM webhooks WHERE state = 'active' AND EXISTS (SELECT 1 FROM"
            + " api_keys k WHERE COALESCE(k.tenant_id, k.id) = webhooks.api_key_id AND k.revoked_at IS NULL"
            + " AND (k.expires_at IS NULL OR k.expires_at > NOW(3)))").execute()
        : reads.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE api_key_id = ? ORDER BY created_at")
            .execute(Tuple.of(apiKeyId));
    return rows.map(found -> {
      List<Webhook> out = new ArrayList<>();
      for (Row row : found) {
        out.add(webhookOf(row));
      }
      return out;
    });
  }

  @Override
  public Future<Void> delete(long apiKeyId, String webhookId) {
    return primary.preparedQuery("DELETE FROM webhooks WHERE id = ? AND api_key_id = ?")
        .execute(Tuple.of(webhookId, apiKeyId))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new Failure(Failure.Code.NOT_FOUND, "no webhook " + webhookId + " of this key")));
  }

  /** The current secret becomes the previous one (assigned first: MariaDB reads its old value), for the overlap. */
  @Override
  public Future<Webhook> rotateSecret(long apiKeyId, String webhookId, String newSecret, int overlapSeconds) {
    return primary.preparedQuery("""
            UPDATE webhooks SET previous_secret = IF(? > 0, secret, NULL),
              previous_secret_until = IF(? > 0, NOW(3) + INTERVAL ? SECOND, NULL), secret = ?
            WHERE id = ? AND api_key_id = ?""")
        .execute(Tuple.of(overlapSeconds, overlapSeconds, overlapSeconds, newSecret, webhookId, apiKeyId))
        .compose(rows -> rows.rowCount() == 1
            ? primary.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE id = ?").execute(Tuple.of(webhookId))
            : Future.failedFuture(Failure.notFound("no webhook " + webhookId + " of this key")))
        .map(rows -> webhookOf(rows.iterator().next()));
  }

  @Override
  public Future<Integer> count(long apiKeyId) {
    return primary.preparedQuery("SELECT COUNT(*) AS n FROM webhooks WHERE api_key_id = ?").execute(Tuple.of(apiKeyId))
        .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  /**
   * Logs one delivery and keeps the count of failures in a row: a success resets it, a failure adds one, and
   * the failure that reaches {@code disable_after} disables the subscription, saying why.
   */
  @Override
  public Future<Void> delivered(DeliveryOutcome outcome) {
    String reason = "disabled after " + outcome.disableAfter() + " failed deliveries in a row; the last: "
        + (outcome.error() == null ? "HTTP " + outcome.httpStatus() : outcome.error());
    return Transactions.run(primary, conn -> conn.preparedQuery("""
            INSERT INTO webhook_deliveries (webhook_id, event_id, alert_id, delivered, attempts, http_status, error)
            VALUES (?, ?, ?, ?, ?, ?, ?)""")
        .execute(Tuple.of(outcome.webhookId(), outcome.eventId(), outcome.alertId(), outcome.delivered(),
            outcome.attempts(), outcome.httpStatus(), ImageStore.truncate(outcome.error(), 1000)))
        .compose(v -> outcome.delivered()
            ? conn.preparedQuery("UPDATE webhooks SET failures = 0 WHERE id = ?").execute(Tuple.of(outcome.webhookId()))
            : conn.preparedQuery("""
                    UPDATE webhooks SET failures = failures + 1,
                      state = IF(failures + 1 >= ?, 'disabled', state),
                      disabled_reason = IF(failures + 1 >= ? AND disabled_reason IS NULL, ?, disabled_reason)
                    WHERE id = ?""")
                .execute(Tuple.of(outcome.disableAfter(), outcome.disableAfter(), ImageStore.truncate(reason, 1000),
                    outcome.webhookId())))
        .mapEmpty());
  }

  @Override
  public Future<List<Delivery>> deliveries(long apiKeyId, String webhookId, int limit) {
    return reads.preparedQuery("""
            SELECT d.event_id, d.alert_id, d.delivered, d.attempts, d.http_status, d.error,
              UNIX_TIMESTAMP(d.created_at) AS created_at
            FROM webhooks w LEFT JOIN webhook_deliveries d ON d.webhook_id = w.id
            WHERE w.id = ? AND w.api_key_id = ? ORDER BY d.id DESC LIMIT ?""")
        .execute(Tuple.of(webhookId, apiKeyId, limit))
        .compose(rows -> {
          if (rows.size() == 0) {
            // Unknown, or another tenant's: the same answer.
            return Future.failedFuture(Failure.notFound("no webhook " + webhookId + " of this key"));
          }
          List<Delivery> out = new ArrayList<>();
          for (Row row : rows) {
            if (row.getString("event_id") == null) {
              continue; // a subscription with no delivery yet
            }
            out.add(new Delivery(row.getString("event_id"), row.getString("alert_id"), row.getBoolean("delivered"),
                row.getInteger("attempts"), row.getInteger("http_status"), row.getString("error"),
                Rows.instant(row, "created_at")));
          }
          return Future.succeededFuture(out);
        });
  }

  private static Webhook webhookOf(Row row) {
    return new Webhook(row.getString("id"), row.getLong("api_key_id"), row.getString("url"), row.getString("secret"),
        AlertFilter.fromJson(new JsonObject(row.getString("filter"))), WebhookState.fromWire(row.getString("state")),
        row.getString("disabled_reason"), row.getInteger("failures"), Rows.instant(row, "created_at"),
        row.getString("previous_secret"), Rows.instant(row, "previous_secret_until"));
  }
}
