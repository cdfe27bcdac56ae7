/**
 * MySQL/MariaDB: the pools (primary and read replica), the schema, and the stores for images and predictions,
 * batches, alerts and API keys, answering the {@code persistence.*} addresses. Writes are idempotent.
 */
package org.geohazard.persistence;
