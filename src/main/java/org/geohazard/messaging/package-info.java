/**
 * The node's Kafka producer (claims, results, alerts, dead letters); consuming is the pipeline's.
 */
package org.geohazard.messaging;
