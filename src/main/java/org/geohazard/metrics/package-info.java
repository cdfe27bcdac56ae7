/**
 * The node's meters: stage timers and counters ({@link org.geohazard.metrics.NodeMetrics}), and the HTTP server's
 * request meters ({@link org.geohazard.metrics.RouteMeters}, plugged into vertx-micrometer by
 * {@link org.geohazard.metrics.NodeMetricsFactory}), in the registry the node gives them (Prometheus on a node,
 * served at {@code /metrics} by vertx-micrometer's handler, which {@code api} wires).
 */
package org.geohazard.metrics;
