package org.geohazard.inference;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.config.AppConfig;
import org.geohazard.ingest.ImageDecoder;
import org.geohazard.ingest.ImageLimits;
import org.geohazard.ingest.InvalidImageException;
import org.geohazard.ingest.RgbImage;
import org.geohazard.node.NodeMetrics;
import org.geohazard.node.NodeMetrics.Stage;
import org.geohazard.node.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's one ONNX Runtime session. Requests on {@code inference.detect} are fetched from the
 * object store and decoded + letterboxed on a preprocessing pool, then wait in a {@link DynamicBatcher}
 * (state kept on this verticle's event loop); one batch at a time runs on a single ORT thread while the
 * next batch is being decoded. Each request is answered with its analysis JSON.
 */
public final class InferenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  /** One decoded image waiting for a batch: its letterboxed input, placement and the request to answer. */
  private record Pending(Message<JsonObject> request, ImageClaim claim, FloatBuffer input, Letterbox.Placement placement,
                         long startNanos, long enqueuedNanos) {}

  private final NodeServices services;
  private final AppConfig config;
  private final ConcurrentLinkedQueue<FloatBuffer> spareInputs = new ConcurrentLinkedQueue<>();
  private OnnxDetector detector;
  private AnalysisBuilder analyses;
  private String modelVersion;
  private ImageDecoder decoder;
  private DynamicBatcher<Pending> batcher;
  private WorkerExecutor preprocessPool;
  private WorkerExecutor ortThread;
  private FloatBuffer batchInput;
  private MessageConsumer<JsonObject> detectConsumer;
  private MessageConsumer<JsonObject> healthConsumer;
  private boolean running;
  private long timerId = -1;

  public InferenceVerticle(NodeServices services) {
    this.services = services;
    this.config = services.config();
  }

  @Override
  public Future<?> start() {
    AppConfig.Model model = config.model();
    AppConfig.Batcher batching = config.batcher();
    preprocessPool = vertx.createSharedWorkerExecutor("geohazard-preprocess", batching.preprocessThreads());
    // One thread: one session runs one batch at a time; ORT parallelises inside the run.
    ortThread = vertx.createSharedWorkerExecutor("geohazard-ort", 1);
    decoder = new ImageDecoder(new ImageLimits(config.limits().maxPixels(), config.limits().maxDimension()));
    batcher = new DynamicBatcher<>(batching.maxBatch(), batching.maxDelayMs(), System::nanoTime);
    return ortThread.executeBlocking(() -> ModelLoader.open(model), false).map(loaded -> {
      detector = loaded.detector();
      modelVersion = loaded.modelVersion();
      analyses = new AnalysisBuilder(detector.metadata().classNames(), modelVersion);
      batchInput = detector.newInputBuffer(Math.min(batching.maxBatch(), detector.maxBatchSize()));
      detectConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_DETECT, this::onDetect);
      healthConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_HEALTH, message -> message.reply(
          new JsonObject().put("model_version", modelVersion)
              .put("classes", new io.vertx.core.json.JsonArray(detector.metadata().classNames()))
              .put("input_width", detector.inputWidth()).put("input_height", detector.inputHeight())
              .put("execution_provider", detector.executionProvider().name().toLowerCase())));
      LOG.info("model {} loaded from {} ({}; input {}x{}; classes {}; batch <= {}, delay <= {} ms)", modelVersion,
          model.path(), detector.executionProvider(), detector.inputWidth(), detector.inputHeight(),
          detector.metadata().classNames(), batching.maxBatch(), batching.maxDelayMs());
      return null;
    });
  }

  private void onDetect(Message<JsonObject> request) {
    long start = System.nanoTime();
    ImageClaim claim;
    try {
      claim = ImageClaim.fromJson(request.body());
    } catch (RuntimeException e) {
      request.fail(Failure.BAD_REQUEST.code(), "unreadable claim: " + e.getMessage());
      return;
    }
    NodeMetrics metrics = services.metrics();
    services.objectStore().get(claim.objectKey())
        .recover(error -> Future.failedFuture(new StageFailure(Failure.UNAVAILABLE,
            "cannot fetch " + claim.objectKey() + ": " + error.getMessage())))
        .compose(bytes -> {
          long fetched = System.nanoTime();
          metrics.record(Stage.FETCH, fetched - start);
          return preprocessPool.executeBlocking(() -> preprocess(bytes), false).map(prepared -> {
            metrics.record(Stage.PREPROCESS, System.nanoTime() - fetched);
            return prepared;
          });
        })
        .onSuccess(prepared -> {
          batcher.offer(new Pending(request, claim, prepared.input(), prepared.placement(), start, System.nanoTime()),
              claim.highPriority() ? DynamicBatcher.Priority.HIGH : DynamicBatcher.Priority.NORMAL);
          drain();
        })
        .onFailure(error -> fail(request, error));
  }

  private record Prepared(FloatBuffer input, Letterbox.Placement placement) {}

  private Prepared preprocess(Buffer bytes) throws InvalidImageException {
    RgbImage image;
    try {
      image = decoder.decode(bytes.getBytes());
    } catch (InvalidImageException e) {
      throw e;
    }
    FloatBuffer input = spareInputs.poll();
    if (input == null) {
      // Direct, like the batch buffer: the copy into it is a plain memory copy, and a batch of one is
      // handed to ONNX Runtime as is (see runBatch).
      input = detector.newInputBuffer(1);
    }
    Letterbox.Placement placement = detector.letterbox().apply(image.rgb(), image.width(), image.height(), input, 0);
    return new Prepared(input, placement);
  }

  /** Starts the next due batch if the ORT thread is free, or arms a timer for the next deadline. */
  private void drain() {
    if (running) {
      return;
    }
    List<Pending> batch = batcher.pollReady();
    if (batch.isEmpty()) {
      batcher.millisUntilNextDeadline().ifPresent(this::armTimer);
      return;
    }
    running = true;
    long now = System.nanoTime();
    for (Pending pending : batch) {
      services.metrics().record(Stage.BATCH_WAIT, now - pending.enqueuedNanos());
    }
    ortThread.executeBlocking(() -> runBatch(batch), false).onComplete(result -> {
      running = false;
      if (result.succeeded()) {
        List<JsonObject> answers = result.result();
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).request().reply(answers.get(i));
        }
      } else {
        LOG.warn("inference batch of {} failed: {}", batch.size(), result.cause().toString());
        batch.forEach(p -> fail(p.request(), new StageFailure(Failure.INTERNAL, "inference failed: "
            + result.cause().getMessage())));
      }
      drain();
    });
  }

  private void armTimer(long delayMs) {
    if (timerId != -1) {
      return;
    }
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
      timerId = -1;
      drain();
    });
  }

  /** On the ORT thread: copy the batch in (unless it is one image), run once, decode each image's detections. */
  private List<JsonObject> runBatch(List<Pending> batch) throws Exception {
    NodeMetrics metrics = services.metrics();
    int perImage = detector.floatsPerImage();
    FloatBuffer runInput;
    if (batch.size() == 1 && batch.get(0).input().isDirect()) {
      // A lone image (low load, or maxBatch 1) runs on its own direct buffer: no 4.9 MB copy first.
      runInput = batch.get(0).input();
    } else {
      for (int i = 0; i < batch.size(); i++) {
        batchInput.put(i * perImage, batch.get(i).input(), 0, perImage);
      }
      runInput = batchInput;
    }
    long inferenceStart = System.nanoTime();
    OnnxDetector.RawOutput output;
    try {
      output = detector.run(runInput, batch.size());
    } finally {
      // Only now: a lone image's buffer was the run's input.
      batch.forEach(pending -> spareInputs.offer(pending.input()));
    }
    long inferenceEnd = System.nanoTime();
    metrics.batchRun(batch.size());
    List<Letterbox.Placement> placements = new ArrayList<>(batch.size());
    batch.forEach(p -> placements.add(p.placement()));
    List<List<Detection>> detections = detector.postprocess(output, placements);
    long postprocessEnd = System.nanoTime();
    List<JsonObject> answers = new ArrayList<>(batch.size());
    Instant now = Instant.now();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      metrics.record(Stage.INFERENCE, (inferenceEnd - inferenceStart) / batch.size());
      metrics.record(Stage.POSTPROCESS, (postprocessEnd - inferenceEnd) / batch.size());
      double processingMs = (postprocessEnd - pending.startNanos()) / 1e6;
      Analysis analysis = analyses.build(detections.get(i), pending.placement().srcWidth(),
          pending.placement().srcHeight(), processingMs, now);
      answers.add(analysis.toJson());
    }
    return answers;
  }

  private void fail(Message<JsonObject> request, Throwable error) {
    Throwable cause = error;
    if (cause instanceof InvalidImageException invalid) {
      request.fail(Failure.INVALID_IMAGE.code(), invalid.code() + ": " + invalid.getMessage());
    } else if (cause instanceof StageFailure stage) {
      request.fail(stage.failure.code(), stage.getMessage());
    } else {
      request.fail(Failure.INTERNAL.code(), String.valueOf(cause.getMessage()));
    }
  }

  private static final class StageFailure extends RuntimeException {
    private final Failure failure;

    StageFailure(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (detectConsumer != null) {
      closing.add(detectConsumer.unregister());
      closing.add(healthConsumer.unregister());
    }
    for (Pending pending : batcher == null ? List.<Pending>of() : batcher.drainAll()) {
      pending.request().fail(Failure.UNAVAILABLE.code(), "inference is stopping");
    }
    // The session is closed on the ORT thread itself, after any run still in flight there.
    return Future.join(closing).compose(v -> ortThread.executeBlocking(() -> {
      if (detector != null) {
        detector.close();
      }
      return null;
    }, false)).onComplete(v -> {
      ortThread.close();
      preprocessPool.close();
    });
  }
}
