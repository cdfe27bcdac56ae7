package org.geohazard.bus;

/**
 * How one delivery of one change to one webhook ended ({@code persistence.webhooks.delivered}): logged; a failure counts towards disabling the webhook, a success resets the count.
 *
 * @param disableAfter failed deliveries in a row that disable it
 */
public record DeliveryOutcome(String webhookId, String eventId, String alertId, boolean delivered, int attempts, Integer httpStatus, String error, int disableAfter) {}
