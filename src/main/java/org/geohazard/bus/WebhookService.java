package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** Webhook subscriptions and their delivery log, as stored (served by persistence). */
@BusService("persistence.webhooks")
public interface WebhookService {

  Future<Webhook> create(long apiKeyId, String url, String secret, AlertFilter filter);

  /** One key's subscriptions in any state, or every active one (for delivery) when the key is null. */
  Future<List<Webhook>> list(Long apiKeyId);

  /** {@link Failure.Code#NOT_FOUND} when the key has no such webhook. */
  Future<Void> delete(long apiKeyId, String webhookId);

  /**
   * A new signing secret for one of the key's webhooks; the current one keeps signing for {@code overlapSeconds}
   * (0: not at all). {@link Failure.Code#NOT_FOUND} for another key's or an unknown webhook.
   */
  Future<Webhook> rotateSecret(long apiKeyId, String webhookId, String newSecret, int overlapSeconds);

  /** How many webhooks the key has, in any state. */
  Future<Integer> count(long apiKeyId);

  /** One delivery's outcome, logged; a webhook failing {@code disableAfter} times in a row is disabled. */
  Future<Void> delivered(DeliveryOutcome outcome);

  /** The newest deliveries to one of the key's webhooks, at most {@code limit} ({@link Failure.Code#NOT_FOUND} for another key's). */
  Future<List<Delivery>> deliveries(long apiKeyId, String webhookId, int limit);
}
