package org.geohazard.inference;

import org.geohazard.inference.scene.SceneJob;
import org.geohazard.inference.scene.SceneSource;
import io.vertx.core.eventbus.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.detection.Sensor;
import org.geohazard.bus.ImageClaim;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SarComposite;
import org.geohazard.inference.scene.SceneWindow;

/**
 * One image being analysed: the requests waiting for it (a retry of a request that timed out joins the
 * work in progress instead of starting it again), where its pixels come from, and one {@link Pass} per
 * model that looks at it, each with its own windows. Windows are handed out round-robin across the
 * passes. Touched on the inference worker's event loop only.
 */
final class Scene {

  /**
   * One model's look at the scene: its view (bands, scale), the reader that makes it, its windows. A shadow
   * pass is a candidate model's look, compared with the serving model it would replace ({@code replaces}, null
   * when none serves its view); its failure never fails the scene.
   */
  record Pass(ServedModel model, ViewPlanner.Pass plan, SceneSource.Reader reader, SceneJob job, boolean shadow,
              ServedModel replaces) {
    Pass(ServedModel model, ViewPlanner.Pass plan, SceneSource.Reader reader, SceneJob job) {
      this(model, plan, reader, job, false, null);
    }
  }

  /** A window handed out, with the pass it belongs to. */
  record Work(Pass pass, SceneWindow window) {}

  final List<Message<ImageClaim>> requests = new ArrayList<>(1);
  final ImageClaim claim;
  final SceneSource source;
  /** Scratch copy of a TIFF on disk, deleted when the scene closes; null for pictures decoded from memory. */
  final Path file;
  final Optional<PixelGeolocation> georeference;
  final long startNanos;
  final List<Pass> passes;
  private int nextPass;
  long lastProgressMs;
  boolean answered;
  boolean closed;

  Scene(ImageClaim claim, SceneSource source, Path file, Optional<PixelGeolocation> georeference,
        List<Pass> passes, long startNanos) {
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("a scene needs at least one pass");
    }
    this.claim = claim;
    this.source = source;
    this.file = file;
    this.georeference = georeference;
    this.passes = List.copyOf(passes);
    this.startNanos = startNanos;
  }

  /** How scenes are cut into windows, as configured. */
  static SceneJob.Slicing slicing(AppConfig.Scenes scenes) {
    return new SceneJob.Slicing(scenes.tileAboveSide(), scenes.tileOverlap(), scenes.maxTilesPerSideUnknownScale());
  }

  /**
   * Windows read ahead of the model: enough for a running batch, a full one queued behind it and the next being
   * prepared meanwhile, and never fewer than configured.
   */
  static int windowsAhead(AppConfig config) {
    return Math.max(config.scenes().tilesInFlight(), 3 * config.batcher().maxBatch());
  }

  /** What the planner needs to know of an image: its bands, whether it is a raster, sensor and ground scale. */
  static ViewPlanner.ImageFacts factsOf(ImageClaim claim, SceneSource source) {
    OptionalDouble gsd = source.georeference()
        .map(g -> OptionalDouble.of(g.groundSampleDistanceM(source.width(), source.height())))
        .orElse(claim.gsdM() != null && claim.gsdM() > 0 ? OptionalDouble.of(claim.gsdM()) : OptionalDouble.empty());
    Optional<Sensor> sensor = claim.sensor() != null ? Optional.of(Sensor.fromWire(claim.sensor()))
        : source.raster() ? Sensor.guess(source.bandCount(), source.floatingPoint()) : Optional.empty();
    return new ViewPlanner.ImageFacts(source.bandCount(), source.raster(), sensor, claim.bands(), gsd);
  }

  /** The serving models' looks at an image, as the planner assigns them. */
  static List<Pass> servingPasses(List<ServedModel> serving, ViewPlanner.ImageFacts facts, SceneSource source,
                                  String defaultBands, SceneJob.Slicing slicing, long startNanos) throws Exception {
    List<Pass> passes = new ArrayList<>();
    for (ViewPlanner.Pass plan : ViewPlanner.plan(serving.stream().map(ServedModel::profile).toList(), facts)) {
      passes.add(pass(serving.get(plan.model()), plan, source, defaultBands, slicing, startNanos, false, null));
    }
    return passes;
  }

  /** One model's look: the reader of its bands and the windows it sees the image in at its scale. */
  static Pass pass(ServedModel model, ViewPlanner.Pass plan, SceneSource source, String defaultBands,
                   SceneJob.Slicing slicing, long startNanos, boolean shadow, ServedModel replaces) throws Exception {
    List<SceneWindow> windows = SceneJob.plan(source.width(), source.height(), plan.scale(),
        model.profile().inputSide(), slicing, source.readsDownsampled());
    SceneSource.Reader reader = source.reader(plan.bands(), defaultBands);
    if (model.profile().view().isRadar()) {
      reader = radar(reader);
    }
    return new Pass(model, plan, reader, new SceneJob(source.width(), source.height(), windows, startNanos), shadow,
        replaces);
  }

  /** The radar view of a scene alone: its VV band (read as grey) through {@link SarComposite#single}. */
  private static SceneSource.Reader radar(SceneSource.Reader vv) {
    return new SceneSource.Reader() {
      @Override
      public RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
        return SarComposite.single(vv.read(window));
      }

      @Override
      public int[] bands() {
        return vv.bands();
      }
    };
  }

  boolean hasNextWindow() {
    return passes.stream().anyMatch(p -> p.job().hasNextWindow());
  }

  Work takeNextWindow() {
    for (int i = 0; i < passes.size(); i++) {
      Pass pass = passes.get((nextPass + i) % passes.size());
      if (pass.job().hasNextWindow()) {
        nextPass = (nextPass + i + 1) % passes.size();
        return new Work(pass, pass.job().takeNextWindow());
      }
    }
    throw new IllegalStateException("no window left");
  }

  /**
   * A window that will not be done. A serving pass's: the whole scene has failed, and no pass hands out more
   * windows. A shadow pass's: that candidate's look is abandoned, and the scene goes on without it.
   */
  void windowFailed(Pass pass) {
    pass.job().windowFailed();
    passes.stream().filter(p -> !pass.shadow() || p.model() == pass.model()).forEach(p -> p.job().abandon());
  }

  /** The serving models' passes: what the result is made of. */
  List<Pass> servingPasses() {
    return passes.stream().filter(p -> !p.shadow()).toList();
  }

  /** The candidate models that looked at the scene and finished (their passes all complete). */
  List<ServedModel> completedCandidates() {
    return passes.stream().filter(Pass::shadow).map(Pass::model).distinct()
        .filter(candidate -> passes.stream().filter(p -> p.model() == candidate).allMatch(p -> p.job().complete()))
        .toList();
  }

  /** The distinct models the scene's passes use (each acquired once for the scene). */
  List<ServedModel> models() {
    return passes.stream().map(Pass::model).distinct().toList();
  }

  int windowCount() {
    return passes.stream().mapToInt(p -> p.job().windowCount()).sum();
  }

  int windowsDone() {
    return passes.stream().mapToInt(p -> p.job().windowsDone()).sum();
  }

  /** The serving passes are complete and no shadow pass has work in flight (done or abandoned). */
  boolean complete() {
    return passes.stream().allMatch(p -> p.shadow() ? p.job().settled() : p.job().complete());
  }

  /** Whether nothing of this scene is in flight any more, so its source can be closed. */
  boolean settled() {
    return passes.stream().allMatch(p -> p.job().settled());
  }
}
