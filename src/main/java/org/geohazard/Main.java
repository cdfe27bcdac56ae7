package org.geohazard;

import io.vertx.core.Vertx;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigException;
import org.geohazard.config.ConfigLoader;
import org.geohazard.node.AnalyzeCommand;
import org.geohazard.node.GeohazardNode;
import org.geohazard.persistence.ApiKeyAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one geohazard node: reads the configuration once (defaults, optional file named by
 * {@code GEOHAZARD_CONFIG}, environment, system properties), validates it, and deploys the verticles
 * of the configured roles. A bad configuration or a missing model stops the node with a message.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    boolean analyze = args.length > 0 && args[0].equals("analyze");
    if (analyze) {
      // The offline CLI writes results to stdout and progress to stderr: only warnings may join them. Set before
      // the first logger exists, which is when slf4j-simple reads its settings.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Logger log = LoggerFactory.getLogger(Main.class);
    AppConfig config;
    try {
      config = ConfigLoader.fromProcess();
    } catch (ConfigException e) {
      System.err.println("geohazard: configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (analyze) {
      System.exit(AnalyzeCommand.run(args, config, System.out, System.err, System.console() != null));
      return;
    }
    if (args.length > 0 && args[0].equals("create-api-key")) {
      createApiKey(config, args);
      return;
    }
    GeohazardNode.start(config)
        .onSuccess(node -> {
          log.info("geohazard node {} up with roles {} (HTTP port {})", config.node().id(), config.node().roles(),
              node.httpPort());
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
              node.close().toCompletionStage().toCompletableFuture().get();
            } catch (Exception e) {
              log.warn("shutdown: {}", e.getMessage());
            }
          }, "geohazard-shutdown"));
        })
        .onFailure(error -> {
          log.error("geohazard node failed to start: {}", error.getMessage(), error);
          System.exit(1);
        });
  }

  /**
   * {@code create-api-key NAME [REQUESTS_PER_WINDOW] [--scopes read,upload,publish,operate,admin]}: prints the new
   * key once. Without {@code --scopes} the key may read and upload.
   */
  private static void createApiKey(AppConfig config, String[] args) {
    String usage = "usage: java -jar geohazard.jar create-api-key NAME [REQUESTS_PER_WINDOW]"
        + " [--scopes read,upload,publish,operate,admin]";
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args).subList(1, args.length));
    java.util.Set<org.geohazard.auth.Scope> scopes = org.geohazard.auth.Scope.DEFAULT;
    int flag = rest.indexOf("--scopes");
    Integer budget = null;
    try {
      if (flag >= 0) {
        if (flag + 1 >= rest.size()) {
          throw new IllegalArgumentException("--scopes needs a list, e.g. --scopes read,upload,operate");
        }
        scopes = org.geohazard.auth.Scope.parse(rest.get(flag + 1));
        rest.subList(flag, flag + 2).clear();
      }
      if (rest.isEmpty() || rest.size() > 2) {
        throw new IllegalArgumentException("a name, and optionally the requests per window");
      }
      budget = rest.size() == 2 ? Integer.valueOf(rest.get(1)) : null;
    } catch (IllegalArgumentException e) {
      System.err.println("geohazard: " + e.getMessage() + "\n" + usage);
      System.exit(2);
      return;
    }
    String name = rest.get(0);
    java.util.Set<org.geohazard.auth.Scope> granted = scopes;
    Vertx vertx = Vertx.vertx();
    ApiKeyAdmin.create(vertx, config.db(), name, budget, granted).onComplete(result -> {
      int status = 0;
      if (result.succeeded()) {
        System.out.println(result.result());
        System.err.println("API key '" + name + "' (scopes " + org.geohazard.auth.Scope.format(granted)
            + ") created; it is shown only now. Send it as X-API-Key.");
      } else {
        System.err.println("geohazard: cannot create the key: " + result.cause().getMessage());
        status = 1;
      }
      int exit = status;
      vertx.close().onComplete(closed -> System.exit(exit));
    });
  }
}
