package org.geohazard.bus;

/**
 * An API key as stored, without the key itself.
 *
 * @param keyHash the SHA-256 the key is looked up by: for dropping it from the nodes' caches, never shown
 */
public record ApiKeyRow(long id, String name, String scopes, Integer requestsPerWindow, String createdAt,
                        String expiresAt, String revokedAt, String keyHash) {}
