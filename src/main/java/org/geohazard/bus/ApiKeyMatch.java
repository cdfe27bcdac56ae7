package org.geohazard.bus;

/**
 * The key found for a hash, or {@code found} false.
 *
 * @param requestsPerWindow its own budget, if any
 * @param scopes what it may do, comma-separated as stored ({@code auth.Scope})
 * @param expiresAt when it stops working (ISO-8601 UTC), null when it does not expire
 * @param tenantId whom what it makes belongs to: the first key of its rotation chain ({@code auth.Tenancy})
 */
public record ApiKeyMatch(boolean found, Long id, String name, Integer requestsPerWindow, String scopes,
                          String expiresAt, Long tenantId) {}
