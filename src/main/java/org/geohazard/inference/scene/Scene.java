package org.geohazard.inference.scene;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.geohazard.bus.ImageClaim;
import org.geohazard.change.OtherSensor;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.PixelGeolocation;

/**
 * One image being analysed: where its pixels come from, and one {@link Pass} per model that looks at it, each
 * with its own windows. Windows are handed out round-robin across the passes. The scene computes its own state
 * (what is done, complete, settled, answered, closed); its owner replies to whoever asked and runs the windows.
 * Touched on the inference worker's event loop only (planning builds it on a preprocessing thread before
 * handing it over).
 *
 * @param <M> the models that look at it
 */
public final class Scene<M extends SceneModel> {

  /**
   * One model's look at the scene: its view (bands, scale), the reader that makes it, its windows. A shadow
   * pass is a candidate model's look, compared with the serving model it would replace ({@code replaces}, null
   * when none serves its view); its failure never fails the scene. A mask model's pass stitches its windows
   * into {@code mask} (null for a detector's).
   */
  public record Pass<M>(M model, ViewPlanner.Pass plan, SceneSource.Reader reader, SceneJob job, boolean shadow,
                        M replaces, SceneMaskJob mask) {

    public Pass(M model, ViewPlanner.Pass plan, SceneSource.Reader reader, SceneJob job, boolean shadow, M replaces) {
      this(model, plan, reader, job, shadow, replaces, null);
    }
  }

  /** A window handed out, with the pass it belongs to. */
  public record Work<M>(Pass<M> pass, SceneWindow window) {}

  private final ImageClaim claim;
  private final SceneSource source;
  /** Scratch copy of a TIFF on disk, deleted when the scene closes; null for pictures decoded from memory. */
  private final Path file;
  private final Optional<PixelGeolocation> georeference;
  private final long startNanos;
  private final List<Pass<M>> passes;
  private final ScenePair pair;
  private final OtherSensor.Look otherSensor;
  private int nextPass;
  private long lastProgressMs;
  private boolean answered;
  private boolean closed;

  public Scene(ImageClaim claim, SceneSource source, Path file, Optional<PixelGeolocation> georeference,
               List<Pass<M>> passes, long startNanos) {
    this(claim, source, file, georeference, passes, startNanos, null);
  }

  /** A scene with its before scene ({@code pair}; null: the scene alone). */
  public Scene(ImageClaim claim, SceneSource source, Path file, Optional<PixelGeolocation> georeference,
               List<Pass<M>> passes, long startNanos, ScenePair pair) {
    this(claim, source, file, georeference, passes, startNanos, pair, null);
  }

  /**
   * A scene with its before scene ({@code pair}; null: none) and what a scene of the same place by the other sensor
   * family saw ({@code otherSensor}; null: none).
   */
  public Scene(ImageClaim claim, SceneSource source, Path file, Optional<PixelGeolocation> georeference,
               List<Pass<M>> passes, long startNanos, ScenePair pair, OtherSensor.Look otherSensor) {
    this.pair = pair;
    this.otherSensor = otherSensor;
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

  /** The before scene's part, when the scene was uploaded with one. */
  public Optional<ScenePair> pair() {
    return Optional.ofNullable(pair);
  }

  /** What the other sensor's scene gives this one, when the scene was uploaded with one. */
  public Optional<OtherSensor.Look> otherSensor() {
    return Optional.ofNullable(otherSensor);
  }

  public ImageClaim claim() {
    return claim;
  }

  public SceneSource source() {
    return source;
  }

  /** The scratch file to delete once the scene is closed, if it has one. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  public Optional<PixelGeolocation> georeference() {
    return georeference;
  }

  public long startNanos() {
    return startNanos;
  }

  public List<Pass<M>> passes() {
    return passes;
  }

  public boolean hasNextWindow() {
    return passes.stream().anyMatch(p -> p.job().hasNextWindow());
  }

  public Work<M> takeNextWindow() {
    for (int i = 0; i < passes.size(); i++) {
      Pass<M> pass = passes.get((nextPass + i) % passes.size());
      if (pass.job().hasNextWindow()) {
        nextPass = (nextPass + i + 1) % passes.size();
        return new Work<>(pass, pass.job().takeNextWindow());
      }
    }
    throw new IllegalStateException("no window left");
  }

  /**
   * A window that will not be done. A serving pass's: the whole scene has failed, and no pass hands out more
   * windows. A shadow pass's: that candidate's look is abandoned, and the scene goes on without it.
   */
  public void windowFailed(Pass<M> pass) {
    pass.job().windowFailed();
    passes.stream().filter(p -> !pass.shadow() || p.model() == pass.model()).forEach(p -> p.job().abandon());
  }

  /** The serving models' passes: what the result is made of. */
  public List<Pass<M>> servingPasses() {
    return passes.stream().filter(p -> !p.shadow()).toList();
  }

  /** The candidate models that looked at the scene and finished (their passes all complete). */
  public List<M> completedCandidates() {
    return passes.stream().filter(Pass::shadow).map(Pass::model).distinct()
        .filter(candidate -> passes.stream().filter(p -> p.model() == candidate).allMatch(p -> p.job().complete()))
        .toList();
  }

  /** The distinct models the scene's passes use (each acquired once for the scene). */
  public List<M> models() {
    return passes.stream().map(Pass::model).distinct().toList();
  }

  public int windowCount() {
    return passes.stream().mapToInt(p -> p.job().windowCount()).sum();
  }

  public int windowsDone() {
    return passes.stream().mapToInt(p -> p.job().windowsDone()).sum();
  }

  /** The serving passes are complete and no shadow pass has work in flight (done or abandoned). */
  public boolean complete() {
    return passes.stream().allMatch(p -> p.shadow() ? p.job().settled() : p.job().complete());
  }

  /** Whether nothing of this scene is in flight any more, so its source can be closed. */
  public boolean settled() {
    return passes.stream().allMatch(p -> p.job().settled());
  }

  /**
   * Whether a sliced scene's progress is worth publishing now: at its end, or {@code intervalMs} after the last
   * time this said yes. A scene of one window has no progress to show.
   */
  public boolean progressDue(long nowMs, long intervalMs) {
    if (windowCount() <= 1 || (!complete() && nowMs - lastProgressMs < intervalMs)) {
      return false;
    }
    lastProgressMs = nowMs;
    return true;
  }

  /** True once: the scene is complete and nobody has been answered (or failed) yet; it is now. */
  public boolean answerNow() {
    if (answered || !complete()) {
      return false;
    }
    answered = true;
    return true;
  }

  /** True unless answered already: the scene has failed, and whoever asked is answered with that now. */
  public boolean failNow() {
    if (answered) {
      return false;
    }
    answered = true;
    return true;
  }

  /** True once: answered, and nothing in flight, so the models can be released and the source closed now. */
  public boolean closeNow() {
    if (closed || !answered || !settled()) {
      return false;
    }
    closed = true;
    return true;
  }
}
