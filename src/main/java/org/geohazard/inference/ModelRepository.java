package org.geohazard.inference;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.geohazard.bus.Failure;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;
import org.geohazard.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models one inference worker holds, and their lives: loaded and warmed ({@link ServedModel#load}), serving,
 * in shadow (a candidate that looks at a share of the images, only compared), and retired. A model swapped out or
 * withdrawn is retired: it takes no new scene, finishes the scenes that hold it ({@link #acquire}), and is closed
 * when the last one lets go ({@link #release}). Closing runs on the ORT thread, behind any batch queued there, so
 * a batch never runs on a closed session (closing one under a run would crash the JVM).
 *
 * <p>Changes and releases happen on the worker's event loop; the serving and shadow lists are replaced whole,
 * never changed in place, so that scene planning on preprocessing threads reads them without a lock.
 */
final class ModelRepository {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor ortThread;
  private final AppConfig config;
  private final int deviceId;
  /** Told of each model closed (its batcher is dropped). */
  private final Consumer<ServedModel> onClosed;
  private volatile List<ServedModel> serving = List.of();
  private volatile List<ServedModel> shadows = List.of();
  /** Replaced or withdrawn models still used by scenes in flight; closed when the last one is done. */
  private final List<ServedModel> retiring = new ArrayList<>();
  /** Model changes one at a time. */
  private Future<?> installs = Future.succeededFuture();

  /**
   * @param context the worker's event loop, where changes and releases happen
   * @param ortThread the one thread that runs batches, and closes sessions after them
   */
  ModelRepository(Vertx vertx, Context context, WorkerExecutor ortThread, AppConfig config, int deviceId,
                  Consumer<ServedModel> onClosed) {
    this.vertx = vertx;
    this.context = context;
    this.ortThread = ortThread;
    this.config = config;
    this.deviceId = deviceId;
    this.onClosed = onClosed;
  }

  /** Loads and warms the configured models ({@code model.paths}) on the ORT thread; they serve from then on. */
  Future<List<ServedModel>> loadConfigured() {
    AppConfig.Model model = config.model();
    return ortThread.executeBlocking(() -> ServedModel.loadAll(model, model.paths(), deviceId, config.batcher()),
        false).onSuccess(loaded -> serving = List.copyOf(loaded));
  }

  /** The models whose looks make results; any thread. */
  List<ServedModel> serving() {
    return serving;
  }

  /** The candidates in shadow; any thread. */
  List<ServedModel> shadows() {
    return shadows;
  }

  /** The models a claim is analysed by: those served, or the one a re-analysis named ({@code version}). */
  List<ServedModel> servingFor(String version) {
    List<ServedModel> all = serving;
    if (version == null) {
      return all;
    }
    List<ServedModel> named = all.stream().filter(m -> m.profile().version().equals(version)).toList();
    if (named.isEmpty()) {
      throw new Failure(Failure.Code.INVALID_IMAGE, "model " + version + " is not served by this worker ("
          + all.stream().map(m -> m.profile().version()).toList() + ")");
    }
    return named;
  }

  /**
   * Takes every one of {@code models} for a scene, or none: false when one was retired meanwhile (plan again with
   * the models served now). Any thread.
   */
  boolean acquire(List<ServedModel> models) {
    List<ServedModel> acquired = new ArrayList<>();
    for (ServedModel model : models) {
      if (!model.acquire()) {
        // Give back what was taken; a model retired meanwhile and used by nothing else is closed on the event loop.
        for (ServedModel taken : acquired) {
          if (taken.release()) {
            context.runOnContext(v -> close(taken));
          }
        }
        return false;
      }
      acquired.add(model);
    }
    return true;
  }

  /** A scene that held {@code model} is closed; the last one of a retired model closes it. Event loop. */
  void release(ServedModel model) {
    if (model.release()) {
      close(model);
    }
  }

  /** What the health check says: the serving models, then the candidates. */
  InferenceStatus status() {
    List<ModelSummary> all = new ArrayList<>();
    serving.forEach(m -> all.add(m.describe()));
    shadows.forEach(m -> all.add(m.describe()));
    return new InferenceStatus(all);
  }

  /** An admin's change: serve, shadow or withdraw a model file. Changes run one after another. Event loop. */
  Future<InferenceStatus> install(ModelInstall change) {
    Future<InferenceStatus> done = installs.transform(ignored -> apply(change));
    installs = done;
    return done;
  }

  private Future<InferenceStatus> apply(ModelInstall change) {
    Path path;
    try {
      path = ModelFiles.resolve(change.path(), config.model().paths());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Failure(Failure.Code.INVALID_REQUEST, e.getMessage()));
    }
    ServedModel shadow = find(shadows, path);
    if (ModelInstall.WITHDRAW.equals(change.mode())) {
      if (shadow == null) {
        return Future.failedFuture(new Failure(find(serving, path) != null ? Failure.Code.CONFLICT
            : Failure.Code.NOT_FOUND, "no shadow model " + path + " to withdraw (a serving model is replaced by serving"
            + " another of its view)"));
      }
      shadows = without(shadows, shadow);
      retire(shadow);
      return Future.succeededFuture(status());
    }
    if (ModelInstall.SERVE.equals(change.mode()) && shadow != null) {
      // The candidate proved itself: promoted without loading it again.
      shadows = without(shadows, shadow);
      shadow.shadowShare(null);
      serve(shadow);
      return Future.succeededFuture(status());
    }
    if (ModelInstall.SHADOW.equals(change.mode()) && shadow != null) {
      shadow.shadowShare(change.shadowShare());
      return Future.succeededFuture(status());
    }
    return vertx.executeBlocking(() -> ServedModel.load(config.model(), path, deviceId, config.batcher()), false)
        .recover(error -> Future.failedFuture(new Failure(Failure.Code.INVALID_REQUEST,
            "cannot load model " + path + ": " + error.getMessage())))
        .map(loaded -> {
          if (ModelInstall.SHADOW.equals(change.mode())) {
            shadow(loaded, change.shadowShare());
          } else {
            serve(loaded);
          }
          return status();
        });
  }

  /** {@code candidate} looks at {@code share} of the images from now on; one candidate per view replaces the old. */
  private void shadow(ServedModel candidate, Double share) {
    candidate.shadowShare(share);
    List<ServedModel> kept = new ArrayList<>();
    List<ServedModel> replaced = new ArrayList<>();
    for (ServedModel other : shadows) {
      (sameRole(other, candidate) ? replaced : kept).add(other);
    }
    kept.add(candidate);
    // Out of the list before retired, so that a scene being planned never finds it again.
    shadows = List.copyOf(kept);
    replaced.forEach(this::retire);
    LOG.info("model {} ({}) runs in shadow on {} of images", candidate.profile().version(), candidate.path(), share);
  }

  /**
   * {@code model} serves from now on in place of the serving model of its view (added when none has it). New
   * scenes plan with it at once; the replaced model finishes the scenes that use it and is closed after them.
   */
  private void serve(ServedModel model) {
    List<ServedModel> next = new ArrayList<>();
    ServedModel replaced = null;
    for (ServedModel current : serving) {
      if (replaced == null && sameRole(current, model)) {
        replaced = current;
        next.add(model);
      } else {
        next.add(current);
      }
    }
    if (replaced == null) {
      next.add(model);
    }
    serving = List.copyOf(next);
    int inFlight = replaced == null ? 0 : replaced.scenesUsing();
    if (replaced != null) {
      retire(replaced);
    }
    LOG.info("model {} ({}) serves now{}", model.profile().version(), model.path(), replaced == null ? ""
        : " in place of " + replaced.profile().version() + ", which finishes the " + inFlight
            + " image(s) it has begun before it is closed");
  }

  /** Whether {@code a} and {@code b} do the same job: the same view, both detectors or both mask models. */
  private static boolean sameRole(ServedModel a, ServedModel b) {
    return a.profile().view() == b.profile().view() && a.masks() == b.masks();
  }

  private void retire(ServedModel model) {
    if (model.retire()) {
      close(model);
    } else {
      retiring.add(model);
    }
  }

  /**
   * Closes a model no scene uses any more, on the ORT thread: after any batch queued there (none of them is this
   * model's, as every scene that used it is closed).
   */
  private void close(ServedModel model) {
    retiring.remove(model);
    onClosed.accept(model);
    ortThread.executeBlocking(() -> {
      model.close();
      return null;
    }, false).onSuccess(v -> LOG.info("model {} ({}) closed", model.profile().version(), model.path()))
        .onFailure(error -> LOG.warn("closing model {} failed: {}", model.path(), error.getMessage()));
  }

  /** Closes every model, in use or not, on the ORT thread after any run still in flight there: the worker stops. */
  Future<Void> closeAll() {
    List<ServedModel> open = new ArrayList<>(serving);
    open.addAll(shadows);
    open.addAll(retiring);
    return ortThread.executeBlocking(() -> {
      for (ServedModel model : open) {
        model.close();
      }
      return null;
    }, false);
  }

  private static ServedModel find(List<ServedModel> list, Path path) {
    return list.stream().filter(m -> m.path().toAbsolutePath().normalize().equals(path)).findFirst().orElse(null);
  }

  private static List<ServedModel> without(List<ServedModel> list, ServedModel model) {
    return list.stream().filter(m -> m != model).toList();
  }
}
