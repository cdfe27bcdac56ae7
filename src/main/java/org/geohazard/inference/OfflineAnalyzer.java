package org.geohazard.inference;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.ImageClaim;
import org.geohazard.change.CoRegistration;
import org.geohazard.change.OtherSensor;
import org.geohazard.change.PairPlan;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.image.ContentHash;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.inference.scene.Scene;
import org.geohazard.inference.scene.SceneAssembler;
import org.geohazard.inference.scene.SceneExtent;
import org.geohazard.inference.scene.ScenePair;
import org.geohazard.inference.scene.ScenePlanner;
import org.geohazard.inference.scene.SceneSource;
import org.geohazard.metrics.NodeMetrics;

/**
 * The inference pipeline without the service around it: the configured models, loaded once, analyse image files
 * one after another with the same planning (view per model, scale, windows), batching of windows, seam merging and
 * risk rules as a node; the calling thread runs the models while a small pool reads the next windows. The offline
 * CLI ({@code geohazard.jar analyze}) runs on it; no database, broker, cache or store is involved. Not thread-safe:
 * one analysis at a time.
 */
public final class OfflineAnalyzer implements AutoCloseable {

  /** What a caller may say about an image, as an upload's form fields do. All optional. */
  public record Hints(Double latitude, Double longitude, Double gsdM, String bands, String sensor) {
    public static final Hints NONE = new Hints(null, null, null, null, null);
  }

  private final AppConfig config;
  private final List<ServedModel> models;
  private final ImageLimits limits;
  private final ScenePlanner planner;
  private final SceneAssembler assembler = new SceneAssembler();
  /** Windows read ahead of the model: a running batch, a full one behind it and the next being read, as on a node. */
  private final int windowsAhead;
  // ServedModel records its stage timers; nobody scrapes them here.
  private final NodeMetrics metrics = new NodeMetrics(new SimpleMeterRegistry());

  private OfflineAnalyzer(AppConfig config, List<ServedModel> models) {
    this.config = config;
    this.models = List.copyOf(models);
    this.limits = ImageLimits.of(config.limits());
    this.planner = new ScenePlanner(config.scenes());
    this.windowsAhead = SceneRunner.windowsAhead(config);
  }

  private static final ThreadFactory PREPARING_THREADS = task -> {
    Thread thread = new Thread(task, "geohazard-analyze-read");
    thread.setDaemon(true);
    return thread;
  };

  /** Loads and warms up each model file, as an inference node does (blocking, seconds). */
  public static OfflineAnalyzer load(AppConfig config, List<Path> modelPaths) throws Exception {
    return new OfflineAnalyzer(config, ServedModel.loadAll(config.model(), modelPaths, 0, config.batcher()));
  }

  /** The versions of the models loaded, in the order of {@code model.paths}. */
  public List<String> modelVersions() {
    return models.stream().map(m -> m.profile().version()).toList();
  }

  /** Told after each batch how many of the image's windows (over every model's look) are done. */
  @FunctionalInterface
  public interface Progress {
    void windows(int done, int total);
  }

  /**
   * Analyses one file (JPEG, PNG, WebP, TIFF/GeoTIFF; a large GeoTIFF is read window by window, never whole).
   *
   * @throws InvalidImageException what an upload of the file would be refused with
   */
  public Analysis analyze(Path file, Hints hints, Progress progress) throws Exception {
    return analyze(file, hints, progress, null);
  }

  /**
   * {@link #analyze}, and where a mask model drew a flood extent, its mask GeoTIFF written to {@code maskFile}
   * (replaced; not written when there is no extent, or when {@code maskFile} is null) and named by the extent's
   * {@code mask_key}.
   */
  public Analysis analyze(Path file, Hints hints, Progress progress, Path maskFile) throws Exception {
    long start = System.nanoTime();
    ImageClaim claim = claimFor(file.toString(), hints);
    try (SceneSource source = SceneSource.open(file, limits)) {
      return analyze(claim, source, null, null, progress, start, maskFile, () -> ContentHash.sha256(file));
    }
  }

  /**
   * Analyses {@code file} against {@code before}, an earlier scene of the same place, as a node analyses an upload
   * with {@code before_image_id}: the change rules run on the pair ({@link ScenePair}), the analysis gets its {@code
   * change} section, the radar model sees its pair form and a change region corroborates the boxes it overlaps.
   *
   * @throws InvalidImageException ({@code invalid_image}) when the two cannot be compared (the reasons an upload of
   *     the pair would be refused with: not two georeferenced GeoTIFFs in one CRS, overlapping by half, of one sensor
   *     family), or what an upload of either file would be refused with
   */
  public Analysis analyzePair(Path file, Path before, Hints hints, Progress progress, Path maskFile)
      throws Exception {
    return analyzeWith(file, before, null, hints, progress, maskFile);
  }

  /**
   * Analyses {@code file} as a node analyses an upload with {@code before_image_id} ({@code before}; null: none, see
   * {@link #analyzePair}) and {@code other_sensor_image_id} ({@code other}; null: none): the other sensor's scene is
   * analysed first by the same models (its sensor read from its layout: a 1- or 2-band float raster is Sentinel-1,
   * a 13-band stack Sentinel-2), then its boxes corroborate this scene's where they overlap
   * ({@link org.geohazard.change.OtherSensor}) and the analysis gets its {@code other_sensor} section.
   *
   * @throws InvalidImageException ({@code invalid_image}) when the scenes cannot be looked at together, for the
   *     reasons an upload would be refused with
   */
  public Analysis analyzeWith(Path file, Path before, Path other, Hints hints, Progress progress, Path maskFile)
      throws Exception {
    ImageClaim alone = claimFor(file.toString(), hints);
    ImageClaim claim = before == null ? alone : new ImageClaim(alone.imageId(), alone.sha256(), alone.objectKey(),
        alone.contentType(), alone.priority(), alone.latitude(), alone.longitude(), alone.gsdM(), alone.bands(),
        alone.sensor(), alone.enqueuedAtMs(), alone.model(), before.toString());
    try (SceneSource source = SceneSource.open(file, limits)) {
      // The other sensor's scene is checked on both headers before any model looks at it.
      SceneRunner.OtherScene seen = other == null ? null : seenByOtherSensor(other, claim, source);
      long start = System.nanoTime();
      ScenePair pair = null;
      if (before != null) {
        try (GeoTiffRaster earlier = GeoTiffRaster.open(before)) {
          pair = ScenePair.read(claim, source, earlier, ContentHash.sha256(before), start);
        } catch (CoRegistration.Refused refused) {
          throw new InvalidImageException(InvalidImageException.Reason.INVALID_IMAGE,
              "before/after pair refused: " + refused.getMessage());
        } catch (InvalidImageException notARaster) {
          throw new InvalidImageException(InvalidImageException.Reason.INVALID_IMAGE,
              "before/after pair refused: a pair needs two GeoTIFFs the window reader takes: "
                  + notARaster.getMessage(), notARaster);
        }
      }
      OtherSensor.Look look = seen == null ? null : SceneRunner.lookWith(claim, source, seen);
      return analyze(claim, source, pair, look, progress, start, maskFile, () -> ContentHash.sha256(file));
    }
  }

  /**
   * The other sensor's scene, checked against the scene ({@code claim}, {@code source}) on both headers, then
   * analysed alone as a node looks at it first. Its sensor is read from its layout (a 1- or 2-band float raster is
   * Sentinel-1, a 13-band stack Sentinel-2): an 8-bit radar rendering or a Landsat stack cannot be named here.
   */
  private SceneRunner.OtherScene seenByOtherSensor(Path other, ImageClaim claim, SceneSource scene) throws Exception {
    ImageClaim otherClaim = claimFor(other.toString(), Hints.NONE);
    try (SceneSource source = SceneSource.open(other, limits)) {
      PairPlan.SceneFacts facts = SceneRunner.factsOf(otherClaim, source);
      try {
        OtherSensor.check(SceneRunner.factsOf(claim, scene), facts);
      } catch (CoRegistration.Refused refused) {
        throw new InvalidImageException(InvalidImageException.Reason.INVALID_IMAGE,
            "other sensor's scene refused: " + refused.getMessage());
      }
      // Looked at for this scene, as a node does: its detectors' boxes, no flood extent.
      long start = System.nanoTime();
      String defaultBands = config.scenes().defaultBands();
      Scene<ServedModel> look = new Scene<>(otherClaim, source, null, source.georeference(),
          ScenePlanner.detectorsWherePossible(planner.servingPasses(models, ScenePlanner.factsOf(otherClaim, source), source,
              defaultBands, start, null)), start);
      runPipelined(look, (done, total) -> { });
      return new SceneRunner.OtherScene(ContentHash.sha256(other), facts, assembler.assemble(look));
    }
  }

  /**
   * Analyses a scene where it lies, read by ranged requests as a node reads it ({@link ReferenceScenes}): {@code
   * spec} is a recorded reference ({@code reference.SceneSpec#text}: a GeoTIFF's URL, or a STAC Item's bands).
   *
   * @throws org.geohazard.bus.Failure when the reference is refused, missing or cannot be read
   */
  public Analysis analyzeReference(ReferenceScenes references, String spec, Hints hints, Progress progress)
      throws Exception {
    return analyzeReference(references, spec, hints, progress, null);
  }

  /** {@link #analyzeReference}, with a flood extent's mask written to {@code maskFile} as {@link #analyze} does. */
  public Analysis analyzeReference(ReferenceScenes references, String spec, Hints hints, Progress progress,
                                   Path maskFile) throws Exception {
    long start = System.nanoTime();
    ReferenceScenes.Opened opened = references.open(claimFor(spec, hints),
        models.stream().map(ServedModel::profile).toList());
    try (SceneSource source = opened.source()) {
      return analyze(opened.claim(), source, null, null, progress, start, maskFile,
          () -> ContentHash.sha256(spec.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /**
   * The models the claim names (a STAC stack's one model), or all of them; where a mask model drew a flood extent,
   * its mask written to {@code maskFile} (none when null), named after {@code contentName} as a node names it.
   */
  private Analysis analyze(ImageClaim claim, SceneSource source, ScenePair pair, OtherSensor.Look otherSensor,
                           Progress progress, long start, Path maskFile, Callable<String> contentName)
      throws Exception {
    List<ServedModel> looking = claim.model() == null ? models
        : models.stream().filter(m -> m.profile().version().equals(claim.model())).toList();
    String defaultBands = claim.bands() != null ? claim.bands() : config.scenes().defaultBands();
    Scene<ServedModel> scene = new Scene<>(claim, source, null, source.georeference(),
        planner.servingPasses(looking, ScenePlanner.factsOf(claim, source), source, defaultBands, start, pair), start,
        pair, otherSensor);
    runPipelined(scene, progress);
    Analysis analysis = assembler.assemble(scene);
    Scene.Pass<ServedModel> masked = scene.servingPasses().stream().filter(p -> p.mask() != null).findFirst()
        .orElse(null);
    if (masked == null) {
      return analysis;
    }
    Path scratch = maskFile != null ? maskFile.toAbsolutePath().getParent()
        : Path.of(System.getProperty("java.io.tmpdir"));
    SceneExtent.Made made = SceneExtent.make(masked.mask(), masked.model().profile().version(), contentName.call(),
        scratch, SceneExtent.landLayer(), SceneExtent.waterBefore(scene.pair(), source.width(), source.height(),
            masked.mask().grid()));
    if (maskFile == null) {
      Files.deleteIfExists(made.maskFile());
      return analysis.withExtent(made.extent().withMaskKey(null));
    }
    Files.move(made.maskFile(), maskFile, StandardCopyOption.REPLACE_EXISTING);
    return analysis.withExtent(made.extent().withMaskKey(maskFile.toString()));
  }

  /** The claim a node would make of an upload of {@code source}; its hash only names the image here, so any valid one does. */
  static ImageClaim claimFor(String source, Hints hints) {
    return new ImageClaim(UUID.randomUUID().toString(), "0".repeat(64), source, null, null, hints.latitude(),
        hints.longitude(), hints.gsdM(), hints.bands(), hints.sensor(), System.currentTimeMillis(), null);
  }

  /**
   * Windows are read and letterboxed on {@code batcher.preprocessThreads} threads, up to {@code windowsAhead} ahead
   * and in plan order, while this thread runs the model on those already prepared: decoding a large scene overlaps
   * inference instead of alternating with it, as on a node.
   */
  private void runPipelined(Scene<ServedModel> scene, Progress progress) throws Exception {
    int planned = scene.windowCount();
    int maxBatch = config.batcher().maxBatch();
    List<Pending> prepared = new ArrayList<>();
    ExecutorService preparing = Executors.newFixedThreadPool(config.batcher().preprocessThreads(), PREPARING_THREADS);
    try {
      int done = 0;
      while (true) {
        while (prepared.size() < windowsAhead && scene.hasNextWindow()) {
          Scene.Work<ServedModel> work = scene.takeNextWindow();
          prepared.add(new Pending(work, preparing.submit(() -> Tile.prepare(scene, work))));
        }
        if (prepared.isEmpty()) {
          return;
        }
        // The oldest window's model runs on up to a batch of its windows: the runs a node's batcher makes under
        // load (the plan hands windows out round-robin across models, so they are picked out, in order).
        ServedModel model = prepared.get(0).work().pass().model();
        List<Tile> batch = new ArrayList<>(maxBatch);
        for (Iterator<Pending> pending = prepared.iterator(); pending.hasNext() && batch.size() < maxBatch; ) {
          Pending next = pending.next();
          if (next.work().pass().model() == model) {
            batch.add(ready(next.tile()));
            pending.remove();
          }
        }
        run(model, batch);
        done += batch.size();
        progress.windows(done, planned);
      }
    } finally {
      // A failure leaves windows being read: they finish (or are never started) before the source closes.
      preparing.shutdownNow();
      if (!preparing.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("window reads did not stop within a minute");
      }
    }
  }

  /** A window handed to the reading pool. */
  private record Pending(Scene.Work<ServedModel> work, Future<Tile> tile) {}

  private static Tile ready(Future<Tile> preparing) throws Exception {
    try {
      return preparing.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Milliseconds spent inside ONNX Runtime's session runs so far, over every analysis: the floor under what
   * {@link #analyze} costs (the benchmark compares the two in one run).
   */
  public double sessionRunMillis() {
    var timer = metrics.registry().find("geohazard.stage").tag("stage", "inference").timer();
    return timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS);
  }

  private void run(ServedModel model, List<Tile> batch) throws Exception {
    if (model.masks()) {
      List<float[]> masks = model.runMasks(batch, metrics);
      for (int i = 0; i < batch.size(); i++) {
        Tile tile = batch.get(i);
        tile.pass().mask().add(tile.window(), tile.placement().srcWidth(), tile.placement().srcHeight(), masks.get(i));
        tile.pass().job().windowDone(tile.window(), List.of());
      }
      return;
    }
    List<List<Detection>> found = model.run(batch, metrics);
    for (int i = 0; i < batch.size(); i++) {
      Tile tile = batch.get(i);
      tile.pass().job().windowDone(tile.window(), found.get(i));
    }
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (ServedModel model : models) {
      try {
        model.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
