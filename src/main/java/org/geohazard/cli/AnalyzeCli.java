package org.geohazard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.geohazard.config.AppConfig;
import org.geohazard.inference.OfflineAnalyzer;
import org.geohazard.node.AnalyzeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code analyze FILE|DIR... [options]}: parses and checks the command line, then hands over to
 * {@link AnalyzeCommand}, which analyses, reports progress and writes the results.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, versionProvider = GeohazardCli.Version.class,
    sortOptions = false,
    header = "Runs the detector on image files, without servers.",
    description = "The same models, planning and risk rules as a node. Writes one GeoJSON FeatureCollection "
        + "(default), CSV or JSON; progress goes to stderr. With --before, one scene against an earlier one; with "
        + "--other-sensor, one scene with a scene of the same place by the other sensor family.",
    footer = {"", "A folder is searched for .jpg .jpeg .png .tif .tiff .webp files, recursively. The models are "
        + "those of the configuration (GEOHAZARD_MODEL_PATHS or conf/application.yaml's model.paths, relative to "
        + "the working directory).", "",
        "Exit codes: 0 every image analysed; 1 some could not be (named on stderr and under 'failures'); 2 the "
        + "command line, the configuration or a model is wrong."})
final class AnalyzeCli implements Callable<Integer> {

  private final Cli.Io io;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "image files or folders")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--reference", paramLabel = "URL", description = "a GeoTIFF analysed where it lies, read by "
      + "range requests: s3://BUCKET/KEY in the configured store's bucket, or https://... when the configuration's "
      + "references.httpsEnabled allows the host (repeatable)")
  List<String> references = new ArrayList<>();

  @Option(names = "--stac", paramLabel = "ITEM", description = "a STAC Item (a .json file, or an s3:// or https:// "
      + "URL read under the same rules) whose single-band GeoTIFF assets are analysed by reference (repeatable)")
  List<String> stacItems = new ArrayList<>();

  @Option(names = "--before", paramLabel = "FILE", description = "an earlier GeoTIFF of the same place: the one "
      + "image file is analysed against it (a before/after pair, as an upload's before_image_id): its change layers "
      + "go into the results and beside them as <image>.change.geojson")
  Path before;

  @Option(names = "--other-sensor", paramLabel = "FILE", description = "a GeoTIFF of the same place by the other "
      + "sensor family (Sentinel-1 radar for a Sentinel-2 or Landsat stack, or the reverse; any CRS): analysed "
      + "first, its boxes corroborate the one image file's where they overlap (as an upload's other_sensor_image_id)")
  Path otherSensor;

  @Option(names = "--out", paramLabel = "PATH", description = "write the results there (default: standard output)")
  Path out;

  String format = "geojson";
  Double latitude;
  Double longitude;
  Double gsd;

  @Option(names = "--bands", paramLabel = "B",
      description = "band order for multi-band rasters, 1-based, e.g. 12,8,3 (as the upload's `bands`)")
  String bands;

  @Option(names = "--sensor", paramLabel = "S",
      description = "the sensor of a raster's bands (as the upload's `sensor`)")
  String sensor;

  List<Path> models;

  AnalyzeCli(Cli.Io io) {
    this.io = io;
  }

  @Option(names = "--format", paramLabel = "F", description = "geojson (default) | csv | json")
  void format(String value) {
    if (!List.of("geojson", "csv", "json").contains(value)) {
      throw wrong("--format is geojson, csv or json, not '" + value + "'");
    }
    format = value;
  }

  @Option(names = {"--lat", "--latitude"}, paramLabel = "D",
      description = "the image centre's latitude, with --lon: an approximate ground position for plain images")
  void latitude(String value) {
    latitude = number("--lat", value, -90, 90);
  }

  @Option(names = {"--lon", "--longitude"}, paramLabel = "D", description = "the image centre's longitude, with --lat")
  void longitude(String value) {
    longitude = number("--lon", value, -180, 180);
  }

  @Option(names = "--gsd", paramLabel = "M",
      description = "ground sample distance in metres per pixel (places plain images with --lat/--lon)")
  void gsd(String value) {
    gsd = number("--gsd", value, 0.01, 10_000);
  }

  @Option(names = "--models", paramLabel = "A,B", description = "the model files (default: the configuration's "
      + "model.paths)")
  void models(String value) {
    models = Arrays.stream(value.split(",")).map(String::trim).filter(m -> !m.isEmpty()).map(Path::of).toList();
  }

  /** What the command line asked for, checked as a whole; a {@link ParameterException} (exit 2) otherwise. */
  AnalyzeCommand.Options options() {
    if ((latitude == null) != (longitude == null)) {
      throw wrong("--lat and --lon go together");
    }
    if (before != null && (inputs.size() != 1 || !references.isEmpty() || !stacItems.isEmpty())) {
      throw wrong("--before compares one image file with it: name exactly one FILE, no --reference or --stac");
    }
    if (otherSensor != null && (inputs.size() != 1 || !references.isEmpty() || !stacItems.isEmpty())) {
      throw wrong("--other-sensor goes with one image file: name exactly one FILE, no --reference or --stac");
    }
    return new AnalyzeCommand.Options(List.copyOf(inputs), out, format, models,
        new OfflineAnalyzer.Hints(latitude, longitude, gsd, bands, sensor), references, stacItems, before,
        otherSensor);
  }

  @Override
  public Integer call() {
    AnalyzeCommand.Options options = options();
    List<Path> files;
    try {
      files = AnalyzeCommand.imagesIn(options.inputs());
    } catch (IllegalArgumentException e) {
      throw wrong(e.getMessage());
    }
    if (files.isEmpty() && options.references().isEmpty() && options.stacItems().isEmpty()) {
      throw wrong(options.inputs().isEmpty() ? "name image files or folders, a --reference or a --stac item"
          : "no image files in " + options.inputs());
    }
    if (options.before() != null && files.size() != 1) {
      throw wrong("--before compares one image file with it, not the " + files.size() + " in " + options.inputs());
    }
    if (options.before() != null && !Files.isRegularFile(options.before())) {
      throw wrong("--before: no such file: " + options.before());
    }
    if (options.otherSensor() != null && files.size() != 1) {
      throw wrong("--other-sensor goes with one image file, not the " + files.size() + " in " + options.inputs());
    }
    if (options.otherSensor() != null && !Files.isRegularFile(options.otherSensor())) {
      throw wrong("--other-sensor: no such file: " + options.otherSensor());
    }
    AppConfig config = Cli.configOrSayWhy(io);
    if (config == null) {
      return Cli.USAGE;
    }
    return AnalyzeCommand.run(options, files, config, io.out(), io.err(), io.terminal());
  }

  private double number(String option, String value, double min, double max) {
    double parsed;
    try {
      parsed = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw wrong(option + " takes a number, not '" + value + "'");
    }
    if (!(parsed >= min && parsed <= max)) {
      throw wrong(option + " must be within " + min + " .. " + max + ", not " + value);
    }
    return parsed;
  }

  private ParameterException wrong(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
