/**
 * The node's configuration: {@code conf/application.yaml} defaults, then a file, environment variables and
 * system properties; validated into records at start-up, naming the key of any bad value. In
 * {@code node.mode: production}, {@link org.geohazard.config.ProductionReadiness} also refuses the local stack's
 * credentials, a missing admin token, plain HTTP and anonymous publication, naming every such key at once.
 */
package org.geohazard.config;
