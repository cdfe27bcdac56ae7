package org.geohazard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.geohazard.auth.Scope;
import org.geohazard.config.ConfigException;
import org.geohazard.inference.OfflineAnalyzer;
import org.geohazard.node.AnalyzeCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The picocli wiring, without a node, a database or a model: usage, version and exit codes, and the options parsed
 * into what the commands receive. The configuration here is wrong on purpose: a command that would act stops at
 * reading it (exit 2), so nothing is started, and the tests see which commands read it at all.
 */
class CliTest {

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static Cli.Io io(ByteArrayOutputStream out, ByteArrayOutputStream err) {
    return new Cli.Io(() -> {
      throw new ConfigException("test configuration: nothing may start here");
    }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Cli.execute(io(out, err), args);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Parses only (nothing runs) and returns the subcommand's object, as picocli filled it. */
  private static <T> T parsed(Class<T> type, String... args) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Cli.Io io = io(sink, sink);
    CommandLine.ParseResult result = Cli.commandLine(io, new ServeCli(io)).parseArgs(args);
    return type.cast(result.subcommand().commandSpec().userObject());
  }

  @Test
  void helpListsTheCommandsOnStandardOutputAndExits0WithoutReadingTheConfiguration() {
    for (String help : List.of("--help", "-h")) {
      Run run = run(help);
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("Usage: geohazard").contains("serve", "analyze", "create-api-key",
          "--version");
      assertThat(run.err()).isEmpty();
    }
  }

  @Test
  void everySubcommandAnswersHelp() {
    Run analyze = run("analyze", "--help");
    assertThat(analyze.exit()).isZero();
    assertThat(analyze.out()).contains("Usage: geohazard analyze").contains("FILE|DIR", "--out", "--format",
        "--bands", "--sensor", "--gsd", "--lat", "--lon", "--models", "Exit codes");
    Run key = run("create-api-key", "--help");
    assertThat(key.exit()).isZero();
    assertThat(key.out()).contains("Usage: geohazard create-api-key").contains("NAME", "REQUESTS_PER_WINDOW",
        "--scopes");
    Run serve = run("serve", "--help");
    assertThat(serve.exit()).isZero();
    assertThat(serve.out()).contains("Usage: geohazard serve").contains("GEOHAZARD_CONFIG");
  }

  @Test
  void versionIsOneLineOnStandardOutput() {
    Run run = run("--version");
    assertThat(run.exit()).isZero();
    // Outside the jar there is no manifest: the line says so instead of a number (the jar's check prints it).
    assertThat(run.out()).startsWith("geohazard ").hasLineCount(1);
  }

  @Test
  void aWrongCommandLineExits2WithTheUsageOnStandardError() {
    Run unknown = run("--no-such-option");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--no-such-option'", "Usage: geohazard");
    assertThat(unknown.out()).isEmpty();

    Run analyze = run("analyze", dir.toString(), "--frmat", "csv");
    assertThat(analyze.exit()).isEqualTo(2);
    assertThat(analyze.err()).contains("--frmat", "Usage: geohazard analyze");

    Run noName = run("create-api-key");
    assertThat(noName.exit()).isEqualTo(2);
    assertThat(noName.err()).contains("Missing required parameter: 'NAME'", "Usage: geohazard create-api-key");
    assertThat(run("create-api-key", "ops", "many").exit()).isEqualTo(2);
    assertThat(run("create-api-key", "ops", "10", "extra").exit()).isEqualTo(2);
    Run scope = run("create-api-key", "ops", "--scopes", "read,fly");
    assertThat(scope.exit()).isEqualTo(2);
    assertThat(scope.err()).contains("unknown scope 'fly'");
    assertThat(run("create-api-key", "ops", "--scopes").exit()).isEqualTo(2);
  }

  @Test
  void analyzeOptionsAreParsedIntoWhatTheCommandReceives() {
    AnalyzeCli cli = parsed(AnalyzeCli.class, "analyze", "a.tif", "scenes", "--out", "r.csv", "--format", "csv",
        "--lat", "38.1", "--lon", "-0.76", "--gsd", "10", "--bands", "4,3,2", "--sensor", "sentinel-2",
        "--models", "m1.onnx, m2.onnx,");
    assertThat(cli.options()).isEqualTo(new AnalyzeCommand.Options(List.of(Path.of("a.tif"), Path.of("scenes")),
        Path.of("r.csv"), "csv", List.of(Path.of("m1.onnx"), Path.of("m2.onnx")),
        new OfflineAnalyzer.Hints(38.1, -0.76, 10.0, "4,3,2", "sentinel-2")));

    AnalyzeCli defaults = parsed(AnalyzeCli.class, "analyze", "--latitude", "-5", "x.png", "--longitude", "120");
    assertThat(defaults.options()).isEqualTo(new AnalyzeCommand.Options(List.of(Path.of("x.png")), null, "geojson",
        null, new OfflineAnalyzer.Hints(-5.0, 120.0, null, null, null)));

    AnalyzeCli pair = parsed(AnalyzeCli.class, "analyze", "after.tif", "--before", "before.tif");
    assertThat(pair.options().before()).isEqualTo(Path.of("before.tif"));
    assertThat(pair.options().inputs()).containsExactly(Path.of("after.tif"));
    AnalyzeCli pairWithReference = parsed(AnalyzeCli.class, "analyze", "after.tif", "--before", "before.tif",
        "--reference", "s3://b/k.tif");
    assertThatThrownBy(pairWithReference::options).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--before compares one image file");

    AnalyzeCli fused = parsed(AnalyzeCli.class, "analyze", "s2.tif", "--other-sensor", "s1.tif", "--before",
        "s2-before.tif");
    assertThat(fused.options().otherSensor()).isEqualTo(Path.of("s1.tif"));
    assertThat(fused.options().before()).isEqualTo(Path.of("s2-before.tif"));
    AnalyzeCli fusedTwice = parsed(AnalyzeCli.class, "analyze", "a.tif", "b.tif", "--other-sensor", "s1.tif");
    assertThatThrownBy(fusedTwice::options).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--other-sensor goes with one image file");
  }

  @Test
  void createApiKeyArgumentsAreParsedAsBefore() {
    CreateApiKeyCli plain = parsed(CreateApiKeyCli.class, "create-api-key", "field-team");
    assertThat(plain.name).isEqualTo("field-team");
    assertThat(plain.requestsPerWindow).isNull();
    assertThat(plain.scopes).isEqualTo(Scope.DEFAULT);

    CreateApiKeyCli scoped = parsed(CreateApiKeyCli.class, "create-api-key", "--scopes", "read, operate", "ops",
        "600");
    assertThat(scoped.name).isEqualTo("ops");
    assertThat(scoped.requestsPerWindow).isEqualTo(600);
    assertThat(scoped.scopes).isEqualTo(EnumSet.of(Scope.READ, Scope.OPERATE));
  }

  @Test
  void commandsThatActReadTheConfigurationFirstAndStopWith2WhenItIsWrong() throws Exception {
    // The bare command line is `serve`: both stop at the configuration, before any node is started.
    for (String[] serve : List.of(new String[0], new String[] {"serve"})) {
      Run run = run(serve);
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).contains("geohazard: configuration error: test configuration");
    }
    Path image = Files.write(dir.resolve("photo.png"), new byte[] {1, 2, 3});
    Run analyze = run("analyze", image.toString());
    assertThat(analyze.exit()).isEqualTo(2);
    assertThat(analyze.err()).contains("configuration error");
    Run key = run("create-api-key", "ops");
    assertThat(key.exit()).isEqualTo(2);
    assertThat(key.err()).contains("configuration error");
  }
}
