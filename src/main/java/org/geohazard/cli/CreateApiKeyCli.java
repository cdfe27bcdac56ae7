package org.geohazard.cli;

import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.geohazard.auth.Scope;
import org.geohazard.config.AppConfig;
import org.geohazard.persistence.ApiKeyAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code create-api-key NAME [REQUESTS_PER_WINDOW] [--scopes LIST]}: stores a new key and prints it once. */
@Command(name = "create-api-key", mixinStandardHelpOptions = true, versionProvider = GeohazardCli.Version.class,
    header = "Creates an API key and prints it once.",
    description = {"Stores the key (hashed) in the configured database and prints it once on stdout; send it as "
        + "X-API-Key."},
    footer = {"", "Exit codes: 1 the key could not be stored, 2 the command line or the configuration is wrong."})
final class CreateApiKeyCli implements Callable<Integer> {

  private final Cli.Io io;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "who the key is for (shown in the admin listing)")
  String name;

  @Parameters(index = "1", arity = "0..1", paramLabel = "REQUESTS_PER_WINDOW",
      description = "the key's own requests per rate-limit window (default: the node's limit)")
  Integer requestsPerWindow;

  Set<Scope> scopes = Scope.DEFAULT;

  CreateApiKeyCli(Cli.Io io) {
    this.io = io;
  }

  @Option(names = "--scopes", paramLabel = "LIST",
      description = "what the key may do, of read,upload,publish,operate,admin (default: read,upload)")
  void scopes(String list) {
    try {
      scopes = Scope.parse(list);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--scopes: " + e.getMessage());
    }
  }

  @Override
  public Integer call() {
    AppConfig config = Cli.configOrSayWhy(io);
    if (config == null) {
      return Cli.USAGE;
    }
    Vertx vertx = Vertx.vertx();
    try {
      String key = ApiKeyAdmin.create(vertx, config.db(), name, requestsPerWindow, scopes)
          .toCompletionStage().toCompletableFuture().get();
      io.out().println(key);
      io.err().println("API key '" + name + "' (scopes " + Scope.format(scopes)
          + ") created; it is shown only now. Send it as X-API-Key.");
      return Cli.OK;
    } catch (ExecutionException | InterruptedException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      io.err().println("geohazard: cannot create the key: " + cause.getMessage());
      return Cli.FAILED;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
