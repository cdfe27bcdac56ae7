package org.geohazard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigException;
import org.geohazard.config.ConfigLoader;
import picocli.CommandLine;

/** Builds the {@code geohazard} command line and runs it, in this process ({@link #main}) or in a test. */
public final class Cli {

  /** Every command's exit codes: 0 done, 1 the work failed, 2 a wrong command line (as picocli's) or configuration. */
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** Where the configuration comes from; read only by a command that runs (not for {@code --help}). */
  @FunctionalInterface
  public interface ConfigSource {
    AppConfig load();
  }

  /** What the commands read and write: the configuration, the two streams, and whether stderr is a terminal. */
  public record Io(ConfigSource config, PrintStream out, PrintStream err, boolean terminal) {}

  private Cli() {}

  /**
   * The process entry: runs the command and exits with its code, except after {@code serve} started a node, whose
   * threads then keep the process up until it is stopped (its shutdown hook closes the node).
   */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("analyze")) {
      // The offline CLI writes results to stdout and progress to stderr: only warnings may join them. Set before
      // the first logger exists, which is when slf4j-simple reads its settings (no logger exists while parsing).
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    Io io = new Io(ConfigLoader::fromProcess, System.out, System.err, System.console() != null);
    ServeCli serve = new ServeCli(io);
    int exit = commandLine(io, serve).execute(args);
    if (exit == OK && serve.nodeStarted()) {
      return;
    }
    System.exit(exit);
  }

  /** Runs one command line with these streams; returns the exit code. A node started by it is left running. */
  public static int execute(Io io, String... args) {
    return commandLine(io, new ServeCli(io)).execute(args);
  }

  /** The command tree; {@code serve} is given so that the caller can see whether it started a node. */
  static CommandLine commandLine(Io io, ServeCli serve) {
    CommandLine line = new CommandLine(new GeohazardCli(serve))
        .addSubcommand(serve)
        .addSubcommand(new AnalyzeCli(io))
        .addSubcommand(new CreateApiKeyCli(io));
    // Set after the subcommands are added, so that they write to the same streams.
    line.setOut(new PrintWriter(io.out(), true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(io.err(), true, StandardCharsets.UTF_8));
    return line;
  }

  /** The configuration, or null after saying on stderr what is wrong with it (the command then exits 2). */
  static AppConfig configOrSayWhy(Io io) {
    try {
      return io.config().load();
    } catch (ConfigException e) {
      io.err().println("geohazard: configuration error: " + e.getMessage());
      return null;
    }
  }
}
