/**
 * The Kafka consumer of the {@code inference} group: each claim through inference and persistence, then what
 * follows a durable result (caches, {@code ml.results}, {@code results.saved}); offsets committed only after it;
 * retries and dead letters.
 */
package org.geohazard.pipeline;
