package org.geohazard.bus;

/**
 * Requests of one client to one endpoint with one status in one hour.
 *
 * @param hourStart the hour, ISO-8601 UTC ({@code 2026-12-01T20:00:00Z})
 * @param apiKeyId the key the requests came with; null for anonymous clients
 * @param client {@code key:<id>} or the client's address
 * @param endpoint the contract's operation id ({@code analyzeSingle}), or {@code unmatched}
 */
public record UsageCount(String hourStart, Long apiKeyId, String client, String endpoint, int status, long requests) {}
