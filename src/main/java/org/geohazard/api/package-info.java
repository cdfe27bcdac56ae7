/**
 * The HTTP API: routes bound to {@code openapi.yaml} by operationId, security headers on every answer,
 * admission (canonical path, body limit, API key, failed-key budget, rate limit per key or client address),
 * the contract's scopes enforced once per operation ({@link org.geohazard.api.ContractSecurity}), uploads through
 * {@link org.geohazard.api.IngestService} (probe, hash, store, register, queue), reads through the cache and
 * persistence, alerts (public ones to everyone, unverified ones to operators), key management, health and metrics.
 * Event loops only; heavy work runs on worker pools.
 */
package org.geohazard.api;
