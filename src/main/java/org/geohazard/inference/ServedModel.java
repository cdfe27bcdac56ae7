package org.geohazard.inference;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.geohazard.analysis.ModelEvidence;
import org.geohazard.bus.ModelSummary;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.detection.ModelProfile;
import org.geohazard.image.ContentHash;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.runtime.ModelLoader;
import org.geohazard.inference.runtime.ModelMetadata;
import org.geohazard.inference.runtime.OnnxDetector;
import org.geohazard.inference.scene.SceneModel;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.metrics.NodeMetrics.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model an inference worker serves: its ONNX Runtime session, what it sees of a scene
 * ({@link ModelProfile}), the largest batch it takes, its reusable input buffers, and how many scenes use it
 * (the {@link ModelRepository} closes a retired model when the last one is done). {@link #run} and
 * {@link #close} run on the worker's ORT thread.
 */
final class ServedModel implements SceneModel, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServedModel.class);

  private final OnnxDetector detector;
  private final ModelProfile profile;
  private final Path path;
  /** Where the session runs, as the health check and heartbeats say it: cpu, or cuda:N / tensorrt:N. */
  private final String device;
  /** The largest batch: the configured one, or less when the export fixes its batch dimension. */
  private final int batchLimit;
  /** One run's input when it holds several windows (a lone window runs on its own buffer). */
  private final FloatBuffer batchInput;
  private final ConcurrentLinkedQueue<FloatBuffer> spareInputs = new ConcurrentLinkedQueue<>();
  private final String sha256;
  /** The accuracy table of the model's card file ({@code <name>.card.json} beside it), or null. */
  private final JsonObject accuracy;
  /** What the card's real-label figures support (no card: nothing; levels above medium are then capped). */
  private final ModelEvidence evidence;
  /** A mask model's {@code mask_threshold} (0.5 when its metadata has none). */
  private final double maskThreshold;
  /** For a shadow (candidate) model, the share of images it also looks at; null while it serves. */
  private volatile Double shadowShare;
  /** Scenes planned with this model and not yet closed; guarded by {@code this}. */
  private int scenesUsing;
  /** Replaced or withdrawn: takes no new scene, and closes when the last one using it is done. */
  private boolean retired;
  private volatile boolean closed;

  private ServedModel(OnnxDetector detector, String version, Path path, String sha256, JsonObject accuracy, int deviceId,
                      int batchLimit) {
    this.detector = detector;
    this.path = path;
    this.sha256 = sha256;
    this.accuracy = accuracy;
    String provider = detector.executionProvider().name().toLowerCase(Locale.ROOT);
    this.device = detector.executionProvider().usesGpu() ? provider + ":" + deviceId : provider;
    ModelMetadata metadata = detector.metadata();
    this.profile = new ModelProfile(version, metadata.classNames(), metadata.view(), metadata.gsdM(),
        metadata.thresholds(), Math.min(detector.inputWidth(), detector.inputHeight()));
    this.evidence = ModelEvidence.fromCard(accuracy, metadata.thresholds(), sha256);
    if (accuracy != null && evidence.isEmpty()) {
      LOG.warn("{}: its card holds no real-label evidence for this very file (sha256 {}): levels above medium are "
          + "capped unless corroborated", path, sha256);
    }
    this.maskThreshold = detector.property("mask_threshold").map(Double::parseDouble).orElse(0.5);
    if (detector.masks() && !(maskThreshold > 0 && maskThreshold < 1)) {
      throw new IllegalArgumentException(path + ": mask_threshold must lie strictly between 0 and 1, is "
          + maskThreshold);
    }
    this.batchLimit = batchLimit;
    this.batchInput = detector.newInputBuffer(batchLimit);
  }

  /**
   * {@link #load}s each model in turn; if one fails, those already opened are closed before the failure is thrown.
   */
  static List<ServedModel> loadAll(AppConfig.Model model, List<Path> paths, int deviceId, AppConfig.Batcher batching)
      throws Exception {
    List<ServedModel> loaded = new ArrayList<>();
    try {
      for (Path path : paths) {
        loaded.add(load(model, path, deviceId, batching));
      }
    } catch (Exception e) {
      for (ServedModel opened : loaded) {
        try {
          opened.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
    return loaded;
  }

  /**
   * Opens the model at {@code path} and runs it once at batch 1 and once at the largest batch before the
   * first request: ONNX Runtime plans memory, and a GPU provider builds kernels or engines, on the first
   * run of each input shape, which would otherwise land on the first images a user sends. Blocking.
   */
  static ServedModel load(AppConfig.Model model, Path path, int deviceId, AppConfig.Batcher batching) throws Exception {
    String sha256 = ContentHash.sha256(path);
    JsonObject accuracy = readCard(path);
    ModelLoader.Loaded loaded = ModelLoader.open(model, path, deviceId);
    OnnxDetector detector = loaded.detector();
    try {
      int batchLimit = Math.min(batching.maxBatch(), detector.maxBatchSize());
      FloatBuffer input = detector.newInputBuffer(batchLimit);
      for (int batch : batchLimit > 1 ? new int[] {1, batchLimit} : new int[] {1}) {
        long start = System.nanoTime();
        detector.run(input, batch);
        LOG.debug("{}: warm-up run at batch {} took {} ms", loaded.modelVersion(), batch,
            (System.nanoTime() - start) / 1_000_000);
      }
      ServedModel served = new ServedModel(detector, loaded.modelVersion(), path, sha256, accuracy, deviceId,
          batchLimit);
      LOG.info("model {} loaded from {} ({}; view {}; {}input {}x{}; classes {}; batch <= {})", loaded.modelVersion(),
          path, detector.executionProvider(), served.profile.view().wireName(),
          served.profile.gsdM().isPresent() ? "trained at " + served.profile.gsdM().getAsDouble() + " m; " : "",
          detector.inputWidth(), detector.inputHeight(), detector.metadata().classNames(), batchLimit);
      detector.metadata().fallbacksUsed().forEach(note -> LOG.warn("{}: {}", path, note));
      return served;
    } catch (Exception e) {
      try {
        detector.close();
      } catch (Exception closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /**
   * The card file beside a model ({@code models/x.onnx} → {@code models/x.card.json}, written by
   * {@code training/write_model_cards.py}): the accuracy table the registry shows. A missing or unreadable card
   * is not an error (an operator's own model has none); the registry then says null, and the model has no
   * real-label evidence ({@link ModelEvidence#NONE}: its levels above medium are capped unless corroborated).
   */
  static JsonObject readCard(Path model) {
    String file = model.getFileName().toString();
    Path card = model.resolveSibling(file.replaceFirst("\\.onnx$", "") + ".card.json");
    if (!Files.isRegularFile(card)) {
      return null;
    }
    try {
      return new JsonObject(Files.readString(card));
    } catch (IOException | RuntimeException e) {
      LOG.warn("ignoring the model card {}: {}", card, e.getMessage());
      return null;
    }
  }

  static String nameOf(Path model) {
    return model.getFileName().toString().replaceFirst("\\.onnx$", "");
  }

  String sha256() {
    return sha256;
  }

  Path path() {
    return path;
  }

  /** Makes this model a shadow that looks at {@code share} of the images, or (null) a serving model. */
  void shadowShare(Double share) {
    this.shadowShare = share;
  }

  Double shadowShare() {
    return shadowShare;
  }

  boolean isShadow() {
    return shadowShare != null;
  }

  /** A scene will use this model: false once it is retired (plan again with the models now served). */
  synchronized boolean acquire() {
    if (retired) {
      return false;
    }
    scenesUsing++;
    return true;
  }

  /** A scene that used this model is closed: true when the model is retired and this was the last one. */
  synchronized boolean release() {
    scenesUsing--;
    return retired && scenesUsing == 0;
  }

  /** How many scenes use this model now (for the log of a swap). */
  synchronized int scenesUsing() {
    return scenesUsing;
  }

  /** No new scene takes this model: true when none uses it now, so it can be closed at once. */
  synchronized boolean retire() {
    retired = true;
    return scenesUsing == 0;
  }

  @Override
  public ModelProfile profile() {
    return profile;
  }

  @Override
  public ModelEvidence evidence() {
    return evidence;
  }

  @Override
  public boolean masks() {
    return detector.masks();
  }

  @Override
  public double maskThreshold() {
    return maskThreshold;
  }

  OnnxDetector detector() {
    return detector;
  }

  /** The most windows one run of this model takes (the batcher never forms a larger batch). */
  int batchLimit() {
    return batchLimit;
  }

  /** A direct input buffer for one window, reused once its run is over. */
  FloatBuffer takeInput() {
    FloatBuffer input = spareInputs.poll();
    return input != null ? input : detector.newInputBuffer(1);
  }

  /**
   * On the ORT thread: copies the batch in (unless it is one window), runs once, and decodes each window's
   * detections in that window's output pixels.
   */
  List<List<Detection>> run(List<Tile> batch, NodeMetrics metrics) throws Exception {
    List<Letterbox.Placement> placements = new ArrayList<>(batch.size());
    batch.forEach(tile -> placements.add(tile.placement()));
    long[] times = new long[2];
    OnnxDetector.RawOutput output = runBatch(batch, metrics, times);
    List<List<Detection>> detections = detector.postprocess(output, placements);
    record(batch.size(), metrics, times[0], times[1], System.nanoTime());
    return detections;
  }

  /**
   * On the ORT thread, for a mask model: one batch run, and each window's flood probabilities at the size the
   * window was read at (its letterbox placement's source size, row by row), read back through that placement
   * (nearest model pixel).
   */
  List<float[]> runMasks(List<Tile> batch, NodeMetrics metrics) throws Exception {
    long[] times = new long[2];
    OnnxDetector.RawOutput output = runBatch(batch, metrics, times);
    long[] shape = output.shape();
    int outHeight = (int) shape[shape.length - 2];
    int outWidth = (int) shape[shape.length - 1];
    int plane = outHeight * outWidth;
    List<float[]> masks = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Tile tile = batch.get(i);
      masks.add(unletterbox(output.data(), i * plane, outWidth, outHeight, tile.placement(),
          tile.placement().srcWidth(), tile.placement().srcHeight()));
    }
    record(batch.size(), metrics, times[0], times[1], System.nanoTime());
    return masks;
  }

  /** The probabilities of the {@code width × height} image a letterbox placed into a model's output plane. */
  static float[] unletterbox(float[] data, int offset, int outWidth, int outHeight, Letterbox.Placement placement,
                             int width, int height) {
    float[] mask = new float[width * height];
    double sx = (double) placement.resizedWidth() / width;
    double sy = (double) placement.resizedHeight() / height;
    int[] columns = new int[width];
    for (int x = 0; x < width; x++) {
      columns[x] = Math.min(outWidth - 1, placement.padLeft() + (int) ((x + 0.5) * sx));
    }
    for (int y = 0; y < height; y++) {
      int row = Math.min(outHeight - 1, placement.padTop() + (int) ((y + 0.5) * sy));
      int from = offset + row * outWidth;
      for (int x = 0; x < width; x++) {
        mask[y * width + x] = data[from + columns[x]];
      }
    }
    return mask;
  }

  /** Copies the batch in (unless it is one window) and runs once; {@code times} gets the run's start and end. */
  private OnnxDetector.RawOutput runBatch(List<Tile> batch, NodeMetrics metrics, long[] times) throws Exception {
    // Waited from ready (letterboxed) to this run's start: for companions, for the batch ahead, for this thread.
    long started = System.nanoTime();
    for (Tile tile : batch) {
      metrics.record(Stage.BATCH_WAIT, started - tile.enqueuedNanos());
    }
    int perImage = detector.floatsPerImage();
    FloatBuffer runInput;
    if (batch.size() == 1) {
      // A lone window (low load, or maxBatch 1) runs on its own direct buffer: no copy first.
      runInput = batch.get(0).input();
    } else {
      for (int i = 0; i < batch.size(); i++) {
        batchInput.put(i * perImage, batch.get(i).input(), 0, perImage);
      }
      runInput = batchInput;
    }
    times[0] = System.nanoTime();
    try {
      return detector.run(runInput, batch.size());
    } finally {
      // Only now: a lone window's buffer was the run's input.
      batch.forEach(tile -> spareInputs.offer(tile.input()));
      times[1] = System.nanoTime();
    }
  }

  private static void record(int windows, NodeMetrics metrics, long inferenceStart, long inferenceEnd,
                             long postprocessEnd) {
    metrics.batchRun(windows);
    for (int i = 0; i < windows; i++) {
      metrics.record(Stage.INFERENCE, (inferenceEnd - inferenceStart) / windows);
      metrics.record(Stage.POSTPROCESS, (postprocessEnd - inferenceEnd) / windows);
    }
  }

  /** What the health check says of this model. */
  ModelSummary describe() {
    Double share = shadowShare;
    return new ModelSummary(nameOf(path), profile.version(), sha256, share == null ? ModelSummary.SERVING
        : ModelSummary.SHADOW, share, path.toString(), profile.view().wireName(),
        profile.gsdM().isPresent() ? profile.gsdM().getAsDouble() : null, profile.classNames(),
        profile.thresholds().toJson(), accuracy, detector.inputWidth(), detector.inputHeight(), device);
  }

  /** Closes the session: only on the ORT thread, after the last run (closing under a run crashes the JVM). */
  @Override
  public void close() throws Exception {
    closed = true;
    detector.close();
  }

  /** Whether the session is closed: no batch may run on it any more. */
  boolean isClosed() {
    return closed;
  }
}
