package org.geohazard.bus;

/**
 * A webhook subscription: where an API key's owner wants matching alerts delivered, signed.
 *
 * @param apiKeyId the key that owns it
 * @param secret the signing secret (only where its owner or the delivery needs it)
 * @param filter which alerts it wants
 * @param disabledReason why deliveries stopped
 * @param failures failed deliveries in a row
 */
public record Webhook(String webhookId, long apiKeyId, String url, String secret, AlertFilter filter, WebhookState state, String disabledReason, int failures, String createdAt) {
  /** The same subscription without its secret, as a listing shows it. */
  public Webhook withoutSecret() {
    return new Webhook(webhookId, apiKeyId, url, null, filter, state, disabledReason, failures, createdAt);
  }
}
