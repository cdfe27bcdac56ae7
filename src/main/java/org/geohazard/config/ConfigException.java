package org.geohazard.config;

/** A configuration problem that stops the node at start-up, with a message naming the key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
