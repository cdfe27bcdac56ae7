/**
 * The node's meters: stage timers and counters, in the registry the node gives them (Prometheus on a node, served
 * at {@code /metrics} by vertx-micrometer's handlers: {@code node} and {@code api} wire those, not this package).
 */
package org.geohazard.metrics;
