/**
 * The node's meters: stage timers, counters and the Prometheus registry behind {@code /metrics}.
 */
package org.geohazard.metrics;
