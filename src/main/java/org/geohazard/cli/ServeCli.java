package org.geohazard.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.geohazard.config.AppConfig;
import org.geohazard.node.GeohazardNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * {@code serve}: starts one node with the configuration of the process (defaults, the file named by
 * {@code GEOHAZARD_CONFIG}, environment, system properties) and the verticles of its roles. Returns once the node
 * is up; its threads keep the process alive.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = GeohazardCli.Version.class,
    header = "Starts a node (also what the bare command does).",
    description = {"Deploys the verticles of the configured roles (GEOHAZARD_NODE_ROLES). The configuration is "
        + "conf/application.yaml's defaults, then the file named by GEOHAZARD_CONFIG, GEOHAZARD_* variables and "
        + "-D system properties."},
    footer = {"", "Exit codes: 1 the node failed to start, 2 the command line or the configuration is wrong."})
final class ServeCli implements Callable<Integer> {

  private final Cli.Io io;
  private volatile boolean nodeStarted;

  ServeCli(Cli.Io io) {
    this.io = io;
  }

  /** Whether {@link #call} started a node (the process must then not exit). */
  boolean nodeStarted() {
    return nodeStarted;
  }

  @Override
  public Integer call() {
    AppConfig config = Cli.configOrSayWhy(io);
    if (config == null) {
      return Cli.USAGE;
    }
    // Not a static field: the logger is made only here, after the analyze command could quiet the logging.
    Logger log = LoggerFactory.getLogger(ServeCli.class);
    GeohazardNode node;
    try {
      node = GeohazardNode.start(config).toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException | InterruptedException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      log.error("geohazard node failed to start: {}", cause.getMessage(), cause);
      return Cli.FAILED;
    }
    log.info("geohazard node {} up with roles {} (HTTP port {})", config.node().id(), config.node().roles(),
        node.httpPort());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception e) {
        log.warn("shutdown: {}", e.getMessage());
      }
    }, "geohazard-shutdown"));
    nodeStarted = true;
    return Cli.OK;
  }
}
