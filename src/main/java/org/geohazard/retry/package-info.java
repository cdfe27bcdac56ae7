/**
 * How long to wait before trying again: the one backoff that the pipeline's record retries, the persistence
 * stores' deadlock retries and the webhook deliveries share. Plain logic, no Vert.x: each caller sets its own timer.
 */
package org.geohazard.retry;
