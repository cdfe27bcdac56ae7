package org.geohazard;

import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigException;
import org.geohazard.config.ConfigLoader;
import org.geohazard.node.GeohazardNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one geohazard node: reads the configuration once (defaults, optional file named by
 * {@code GEOHAZARD_CONFIG}, environment, system properties), validates it, and deploys the verticles
 * of the configured roles. A bad configuration or a missing model stops the node with a message.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    AppConfig config;
    try {
      config = ConfigLoader.fromProcess();
    } catch (ConfigException e) {
      System.err.println("geohazard: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    GeohazardNode.start(config)
        .onSuccess(node -> {
          LOG.info("geohazard node {} up with roles {} (HTTP port {})", config.node().id(), config.node().roles(),
              node.httpPort());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              node.close().toCompletionStage().toCompletableFuture().get();
            } catch (Exception e) {
              LOG.warn("shutdown: {}", e.getMessage());
            }
          }, "geohazard-shutdown"));
        })
        .onFailure(error -> {
          LOG.error("geohazard node failed to start: {}", error.getMessage(), error);
          System.exit(1);
        });
  }
}
