/**
 * Alerts: {@link org.geohazard.alerts.AlertRules} turns a durable result into alert drafts (hazard, severity,
 * place, radius, expiry); {@link org.geohazard.alerts.AlertsVerticle} stores or merges them through persistence,
 * sends {@code alerts.critical} and publishes {@code alerts.raised} to every node, and delivers webhooks. An alert
 * from an upload without the right to publish is stored {@code unverified} and announced nowhere until an operator
 * confirms it ({@code auth.Publication}).
 */
package org.geohazard.alerts;
