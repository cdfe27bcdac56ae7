package org.geohazard;

import org.geohazard.cli.Cli;

/**
 * The jar's entry point (the shade plugin names it): hands the command line to {@link Cli}, which starts a node
 * ({@code serve}, also without arguments) or runs a command-line tool; {@code --help} lists them.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    Cli.main(args);
  }
}
