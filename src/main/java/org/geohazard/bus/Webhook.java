package org.geohazard.bus;

import java.time.Instant;

/**
 * A webhook subscription: where an API key's owner wants matching alerts delivered, signed.
 *
 * @param apiKeyId the key that owns it
 * @param secret the signing secret (only where its owner or the delivery needs it)
 * @param filter which alerts it wants
 * @param disabledReason why deliveries stopped
 * @param failures failed deliveries in a row
 * @param previousSecret during a rotation's overlap, the secret before (deliveries are signed with both)
 * @param previousSecretUntil ISO-8601 UTC, when the overlap ends (null: no overlap)
 */
public record Webhook(String webhookId, long apiKeyId, String url, String secret, AlertFilter filter, WebhookState state,
                      String disabledReason, int failures, String createdAt, String previousSecret,
                      String previousSecretUntil) {
  /** The same subscription without its secrets, as a listing shows it. */
  public Webhook withoutSecret() {
    return new Webhook(webhookId, apiKeyId, url, null, filter, state, disabledReason, failures, createdAt, null,
        previousSecretUntil);
  }

  /** The old secret if it still signs at {@code nowMillis}, else null. */
  public String previousSecretAt(long nowMillis) {
    return previousSecret == null || previousSecretUntil == null
        || Instant.parse(previousSecretUntil).toEpochMilli() <= nowMillis ? null : previousSecret;
  }
}
