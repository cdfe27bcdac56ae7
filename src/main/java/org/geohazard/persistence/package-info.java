/**
 * MySQL/MariaDB: the pools (primary and read replica), the schema's migrations (Flyway), and the stores for images and predictions
 * (with each upload's scene footprint, looked up for automatic before/after pairing),
 * batches, alerts (whether one is published or held unverified follows its image's uploader) and API keys
 * (lookup, and an administrator's create, list, revoke, rotate), answering the {@code persistence.*} addresses. Writes are idempotent.
 */
package org.geohazard.persistence;
