package org.geohazard.bus;

/**
 * Alerts raised in a time window, optionally near a point ({@code persistence.alerts.history}): the public ones in any
 * state, or only those held unverified; newest first.
 *
 * @param from ISO-8601 UTC, inclusive
 * @param to ISO-8601 UTC, exclusive
 * @param activeOnly only alerts still active now
 * @param unverifiedOnly only alerts held for an operator's confirmation (otherwise only public ones)
 */
public record AlertsHistoryQuery(String from, String to, Double latitude, Double longitude, Double radiusKm, boolean activeOnly, boolean unverifiedOnly, int limit) {}
