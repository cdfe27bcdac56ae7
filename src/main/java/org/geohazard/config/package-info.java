/**
 * The node's configuration: {@code conf/application.yaml} defaults, then a file, environment variables and
 * system properties; validated into records at start-up, naming the key of any bad value.
 */
package org.geohazard.config;
