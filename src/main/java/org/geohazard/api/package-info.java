/**
 * The HTTP API: routes bound to {@code openapi.yaml} by operationId, admission (body limit, API key, rate
 * limit), uploads through {@link org.geohazard.api.IngestService} (probe, hash, store, register, queue), reads
 * through the cache and persistence, health and metrics. Event loops only; heavy work runs on worker pools.
 */
package org.geohazard.api;
