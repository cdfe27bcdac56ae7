package org.geohazard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** The top command: without a subcommand it serves, so that a bare {@code java -jar geohazard.jar} starts a node. */
@Command(name = "geohazard", mixinStandardHelpOptions = true, versionProvider = GeohazardCli.Version.class,
    header = "Finds landslides and floods in satellite images and raises alerts.",
    description = "Without a command: the same as 'serve' (starts a node with the configuration of the "
        + "environment).",
    footer = {"", "Run 'java -jar geohazard.jar COMMAND --help' for a command's options."})
final class GeohazardCli implements Callable<Integer> {

  private final ServeCli serve;

  GeohazardCli(ServeCli serve) {
    this.serve = serve;
  }

  @Override
  public Integer call() {
    return serve.call();
  }

  /** The version the jar's manifest carries (Implementation-Version, the Maven project version). */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = GeohazardCli.class.getPackage().getImplementationVersion();
      return new String[] {"geohazard " + (version != null ? version : "(version unknown: not run from the jar)")};
    }
  }
}
