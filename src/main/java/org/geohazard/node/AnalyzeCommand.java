package org.geohazard.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.ChangeSection;
import org.geohazard.analysis.ResultGeoJson;
import org.geohazard.bus.Failure;
import org.geohazard.config.AppConfig;
import org.geohazard.image.InvalidImageException;
import org.geohazard.inference.OfflineAnalyzer;

/**
 * {@code java -jar geohazard.jar analyze FILE|DIR... [options]} (parsed by {@code org.geohazard.cli.AnalyzeCli}):
 * the detector on files, without servers; with {@code --before FILE}, one scene against an earlier one of the same
 * place (a before/after pair, as an upload with {@code before_image_id}); with {@code --other-sensor FILE}, one scene
 * with a scene of the same place by the other sensor family (as {@code other_sensor_image_id}). Each image
 * goes through the same models, planning and risk rules as on a node ({@link OfflineAnalyzer}); the results are
 * written as one GeoJSON FeatureCollection (default), CSV (a row per detection) or JSON (the analyses), to a file
 * or to standard output. Progress goes to standard error: a bar on a terminal, a line per image otherwise.
 *
 * <p>Exit codes: 0 every image analysed; 1 some could not be (each is named on standard error and listed under
 * {@code failures} in GeoJSON/JSON output); 2 the command line, the configuration or a model is wrong.
 */
public final class AnalyzeCommand {

  public static final int OK = 0;
  public static final int SOME_FAILED = 1;
  public static final int USAGE = 2;

  private static final Set<String> IMAGE_SUFFIXES = Set.of("jpg", "jpeg", "png", "tif", "tiff", "webp");

  /**
   * What the command line asked for (parsed and checked by {@code org.geohazard.cli.AnalyzeCli}); {@code before}: an
   * earlier scene of the same place the one input file is compared with (a before/after pair; null: none); {@code
   * otherSensor}: a scene of the same place by the other sensor family it is looked at with (null: none).
   */
  public record Options(List<Path> inputs, Path out, String format, List<Path> models, OfflineAnalyzer.Hints hints,
                        List<String> references, List<String> stacItems, Path before, Path otherSensor) {
    public Options {
      references = references == null ? List.of() : List.copyOf(references);
      stacItems = stacItems == null ? List.of() : List.copyOf(stacItems);
    }

    /** Without another sensor's scene. */
    public Options(List<Path> inputs, Path out, String format, List<Path> models, OfflineAnalyzer.Hints hints,
                   List<String> references, List<String> stacItems, Path before) {
      this(inputs, out, format, models, hints, references, stacItems, before, null);
    }

    /** Without a before scene. */
    public Options(List<Path> inputs, Path out, String format, List<Path> models, OfflineAnalyzer.Hints hints,
                   List<String> references, List<String> stacItems) {
      this(inputs, out, format, models, hints, references, stacItems, null);
    }

    /** Files only, as before references. */
    public Options(List<Path> inputs, Path out, String format, List<Path> models, OfflineAnalyzer.Hints hints) {
      this(inputs, out, format, models, hints, List.of(), List.of());
    }
  }

  /** One thing to analyse: a file, a GeoTIFF by reference, or a STAC Item (a file or a URL). */
  private record Input(String label, Path file, String reference, boolean stac) {}

  /**
   * A relative model path is looked for in the working directory, then beside the jar and in the folder above it
   * (the jar is built into target/, the models live in models/ of the checkout), so that the command works from
   * any directory.
   */
  static Path findModel(Path model) {
    if (model.isAbsolute() || Files.exists(model)) {
      return model;
    }
    try {
      Path jar = Path.of(AnalyzeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = jar.getParent(); dir != null && dir.getNameCount() >= jar.getNameCount() - 2;
           dir = dir.getParent()) {
        if (Files.exists(dir.resolve(model))) {
          return dir.resolve(model);
        }
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // No location to look beside: the path stays as given, and loading says it is missing.
    }
    return model;
  }

  private AnalyzeCommand() {
  }

  /**
   * Analyses {@code files} (the images found in the options' inputs, {@link #imagesIn}); returns the exit code.
   * {@code stdout} gets the results when no {@code --out} is given.
   */
  public static int run(Options options, List<Path> files, AppConfig config, PrintStream stdout, PrintStream stderr,
                        boolean terminal) {
    boolean withAnother = options.before() != null || options.otherSensor() != null;
    if (withAnother && (files.size() != 1 || !options.references().isEmpty() || !options.stacItems().isEmpty())) {
      stderr.println("geohazard analyze: " + (options.before() != null ? "--before" : "--other-sensor")
          + " goes with one image file, got " + files.size() + " file(s), " + options.references().size()
          + " reference(s) and " + options.stacItems().size() + " STAC item(s)");
      return USAGE;
    }
    List<Path> models = options.models() != null ? options.models() : config.model().paths();
    OfflineAnalyzer analyzer;
    try {
      analyzer = OfflineAnalyzer.load(config, models.stream().map(AnalyzeCommand::findModel).toList());
    } catch (Exception e) {
      stderr.println("geohazard analyze: cannot load the models " + models + ": " + e);
      return USAGE;
    }
    List<Input> inputs = new ArrayList<>();
    files.forEach(file -> inputs.add(new Input(file.toString(), file, null, false)));
    options.references().forEach(reference -> inputs.add(new Input(reference, null, reference, false)));
    options.stacItems().forEach(item -> inputs.add(new Input(item, null, item, true)));
    ProgressBar progress = new ProgressBar(stderr, terminal, inputs.size());
    List<Done> analysed = new ArrayList<>();
    List<Failed> failed = new ArrayList<>();
    long started = System.nanoTime();
    try (analyzer; OfflineReferences references = new OfflineReferences(config)) {
      for (Input input : inputs) {
        progress.startFile(input.label());
        long fileStart = System.nanoTime();
        try {
          Path mask = besideOutput(options, input.label(), ".flood-mask.tif");
          Analysis analysis = input.file() == null
              ? analyzer.analyzeReference(references.scenes(), references.spec(input.reference(), input.stac()),
                  options.hints(), progress::windows, mask)
              : withAnother ? analyzer.analyzeWith(input.file(), options.before(), options.otherSensor(),
                  options.hints(), progress::windows, mask)
              : analyzer.analyze(input.file(), options.hints(), progress::windows, mask);
          analysed.add(new Done(input.label(), analysis));
          String extent = analysis.floodExtent().map(e -> writeExtent(e, besideOutput(options, input.label(),
              ".flood-extent.geojson"), mask)).orElse("");
          String change = analysis.change() == null ? "" : writeChange(analysis.change(),
              besideOutput(options, input.label(), ".change.geojson"));
          progress.finishFile(input.label(), String.format(Locale.ROOT, "risk %s, %d detection(s)%s%s, %.0f ms",
              analysis.riskLevel().wireName(), analysis.detections().size(), extent, change,
              (System.nanoTime() - fileStart) / 1e6));
        } catch (InvalidImageException e) {
          failed.add(new Failed(input.label(), e.code(), e.getMessage()));
          progress.failFile(input.label(), e.code() + ": " + e.getMessage());
        } catch (Failure e) {
          failed.add(new Failed(input.label(), e.code().wireName(), e.getMessage()));
          progress.failFile(input.label(), e.code().wireName() + ": " + e.getMessage());
        } catch (Exception e) {
          failed.add(new Failed(input.label(), "analysis_failed", String.valueOf(e.getMessage())));
          progress.failFile(input.label(), "analysis failed: " + e);
        }
      }
    } catch (Exception closing) {
      stderr.println("geohazard analyze: closing the models: " + closing.getMessage());
    }
    progress.end(String.format(Locale.ROOT, "%d analysed, %d failed in %.1f s", analysed.size(), failed.size(),
        (System.nanoTime() - started) / 1e9));
    try {
      write(options, analysed, failed, stdout);
    } catch (IOException | UncheckedIOException e) {
      stderr.println("geohazard analyze: cannot write " + options.out() + ": " + e.getMessage());
      return USAGE;
    }
    return failed.isEmpty() ? OK : SOME_FAILED;
  }

  /**
   * Where an input's flood extent files go: beside the output ({@code --out}'s folder; the working directory when
   * results go to standard output), named after the image (a reference's last path segment).
   */
  static Path besideOutput(Options options, String input, String suffix) {
    Path folder = options.out() == null ? Path.of("") : options.out().toAbsolutePath().getParent();
    String name = input.substring(Math.max(input.lastIndexOf('/'), input.lastIndexOf(File.separatorChar)) + 1);
    int dot = name.lastIndexOf('.');
    return folder.resolve((dot > 0 ? name.substring(0, dot) : name) + suffix);
  }

  /** The extent's polygons as a FeatureCollection (the mask GeoTIFF is already written); what to say of them. */
  private static String writeExtent(AnalysisExtent extent, Path geoJson, Path mask) {
    JsonArray features = new JsonArray();
    for (AnalysisExtent.Region region : extent.polygons()) {
      features.add(new JsonObject().put("type", "Feature").put("geometry", region.geometry())
          .put("properties", new JsonObject().put("kind", "flood_extent").put("area_km2", region.areaKm2())
              .put("mean_probability", region.meanProbability())));
    }
    JsonObject collection = new JsonObject().put("type", "FeatureCollection").put("features", features)
        .put("extent", extent.toJson().put("polygons", new JsonArray()));
    try {
      Files.writeString(geoJson, collection.encode() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.format(Locale.ROOT, ", flood extent %.3f km² (%s, %s)", extent.floodedKm2(), geoJson, mask);
  }

  /**
   * A pair's change layers as a FeatureCollection of their polygons ({@code kind: change}, as the results' GeoJSON
   * has them), with the change section's figures (polygons left out) as a foreign member; what to say of them.
   */
  private static String writeChange(ChangeSection change, Path geoJson) {
    JsonArray features = new JsonArray();
    ResultGeoJson.changeFeatures(change).forEach(features::add);
    JsonObject section = change.toJson();
    section.getJsonArray("layers").forEach(layer -> ((JsonObject) layer).put("polygons", new JsonArray()));
    JsonObject collection = new JsonObject().put("type", "FeatureCollection").put("features", features)
        .put("change", section);
    try {
      Files.writeString(geoJson, collection.encode() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String layers = change.layers().stream().filter(l -> !l.polygons().isEmpty())
        .map(l -> String.format(Locale.ROOT, "%s %.3f km²", l.kind(), l.areaKm2())).reduce((a, b) -> a + ", " + b)
        .orElse("none");
    return String.format(Locale.ROOT, ", change %s (%s)", layers, geoJson);
  }

  record Done(String file, Analysis analysis) {}

  record Failed(String file, String code, String message) {}

  /** Files named are taken as they are; folders give their image files (by suffix), sorted. */
  public static List<Path> imagesIn(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          walk.filter(Files::isRegularFile).filter(AnalyzeCommand::looksLikeImage).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read the folder " + input + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new IllegalArgumentException("no such file or folder: " + input);
      }
    }
    return files;
  }

  private static boolean looksLikeImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return !name.startsWith(".") && dot > 0 && IMAGE_SUFFIXES.contains(name.substring(dot + 1));
  }

  private static void write(Options options, List<Done> analysed, List<Failed> failed, PrintStream stdout)
      throws IOException {
    String text = switch (options.format()) {
      case "csv" -> csv(analysed);
      case "json" -> json(analysed, failed).encodePrettily() + "\n";
      default -> geoJson(analysed, failed).encode() + "\n";
    };
    if (options.out() == null) {
      stdout.print(text);
      stdout.flush();
    } else {
      Files.writeString(options.out(), text, StandardCharsets.UTF_8);
    }
  }

  /** Every image's detections in one FeatureCollection; each feature names its file. */
  static JsonObject geoJson(List<Done> analysed, List<Failed> failed) {
    JsonArray features = new JsonArray();
    JsonArray images = new JsonArray();
    for (Done done : analysed) {
      JsonObject single = ResultGeoJson.of(new JsonObject().put("status", "completed")
          .put("analysis", done.analysis().toJson()));
      for (Object feature : single.getJsonArray("features")) {
        ((JsonObject) feature).getJsonObject("properties").put("file", done.file().toString());
        features.add(feature);
      }
      images.add(summary(done));
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features)
        .put("images", images).put("failures", failures(failed));
  }

  static JsonObject json(List<Done> analysed, List<Failed> failed) {
    JsonArray images = new JsonArray();
    analysed.forEach(done -> images.add(new JsonObject().put("file", done.file().toString())
        .put("analysis", done.analysis().toJson())));
    return new JsonObject().put("images", images).put("failures", failures(failed));
  }

  private static JsonObject summary(Done done) {
    Analysis a = done.analysis();
    return new JsonObject().put("file", done.file().toString()).put("risk_level", a.riskLevel().wireName())
        .put("flood_probability", a.floodProbability()).put("landslide_probability", a.landslideProbability())
        .put("detections", a.detections().size()).put("georeference", a.georeference().wireName())
        .put("model_version", a.modelVersion());
  }

  private static JsonArray failures(List<Failed> failed) {
    JsonArray list = new JsonArray();
    failed.forEach(f -> list.add(new JsonObject().put("file", f.file().toString()).put("code", f.code())
        .put("message", f.message())));
    return list;
  }

  /** A row per detection (an image without any has one row with the detection columns empty). */
  static String csv(List<Done> analysed) {
    StringBuilder out = new StringBuilder(
        "file,risk_level,class_name,confidence,x1,y1,x2,y2,footprint_longitude,footprint_latitude\n");
    for (Done done : analysed) {
      String prefix = csvField(done.file().toString()) + "," + done.analysis().riskLevel().wireName() + ",";
      if (done.analysis().detections().isEmpty()) {
        out.append(prefix).append(",,,,,,,\n");
        continue;
      }
      for (AnalyzedDetection d : done.analysis().detections()) {
        out.append(prefix).append(csvField(d.className())).append(',')
            .append(String.format(Locale.ROOT, "%.4f,%.1f,%.1f,%.1f,%.1f,", d.confidence(), d.x1(), d.y1(), d.x2(),
                d.y2()));
        if (d.footprint() != null) {
          out.append(String.format(Locale.ROOT, "%.6f,%.6f", d.footprint().centroid().lon(),
              d.footprint().centroid().lat()));
        } else {
          out.append(',');
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String csvField(String value) {
    return value.contains(",") || value.contains("\"") || value.contains("\n")
        ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  /** A bar redrawn in place on a terminal; a line per image otherwise (logs, CI). */
  static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private final int files;
    private int fileIndex;
    private String name = "";

    ProgressBar(PrintStream err, boolean terminal, int files) {
      this.err = err;
      this.terminal = terminal;
      this.files = files;
    }

    void startFile(String file) {
      fileIndex++;
      name = file.substring(file.lastIndexOf('/') + 1);
      windows(0, 1);
    }

    void windows(int done, int total) {
      if (!terminal) {
        return;
      }
      double share = (fileIndex - 1 + (total == 0 ? 1.0 : (double) done / total)) / files;
      int filled = (int) Math.round(share * WIDTH);
      err.printf(Locale.ROOT, "\r[%s%s] %3.0f%%  image %d/%d  window %d/%d  %-30.30s", "#".repeat(filled),
          "-".repeat(WIDTH - filled), share * 100, fileIndex, files, done, total, name);
      err.flush();
    }

    void finishFile(String file, String outcome) {
      line(String.format(Locale.ROOT, "%d/%d %s: %s", fileIndex, files, file, outcome));
    }

    void failFile(String file, String why) {
      line(String.format(Locale.ROOT, "%d/%d %s: FAILED %s", fileIndex, files, file, why));
    }

    void end(String summary) {
      line(summary);
    }

    private void line(String text) {
      if (terminal) {
        err.print("\r\033[K");
      }
      err.println(text);
      err.flush();
    }
  }
}
