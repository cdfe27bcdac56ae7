package org.geohazard.inference;

import org.geohazard.detection.Detection;
import org.geohazard.image.RgbImage;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ContentHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One YOLO detection model loaded in one ONNX Runtime session. It knows the model's input (name,
 * size, batch limit), its output and its metadata, runs batches the caller has prepared, and offers a
 * thin {@link #detect} that composes {@link Letterbox}, {@link #run}, {@link YoloOutputDecoder},
 * {@link NonMaxSuppression} and {@link Letterbox.Placement#mapBack}.
 *
 * <p>The inference worker verticle owns exactly one instance and runs it off the event loop.
 * {@link #run} may be called from several threads (ONNX Runtime sessions are thread-safe);
 * {@link #detect} reuses one input buffer and is serialised.
 *
 * <p>Lifecycle: {@link #close()} must be called only after the last {@link #run} has returned, when the
 * worker stops. Closing an {@code OrtSession} under a running call crashes the JVM, so close() also waits
 * for runs in flight, and runs after close() fail with {@link IllegalStateException}.
 */
public final class OnnxDetector implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxDetector.class);
  private static final int CHANNELS = 3;

  /** Where the model runs. */
  public enum ExecutionProvider {
    CPU, CUDA, TENSORRT;

    /** Parses a configuration value, {@code "cpu"}, {@code "cuda"} or {@code "tensorrt"} in any case. */
    public static ExecutionProvider fromConfig(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(
            "execution provider must be 'cpu', 'cuda' or 'tensorrt', got '" + value + "'");
      }
    }

    /** Whether sessions run on a GPU, one per device. */
    public boolean usesGpu() {
      return this != CPU;
    }

    /** The providers tried in order when this one is configured; the CPU, which needs nothing, is last. */
    public List<ExecutionProvider> fallbackChain() {
      return switch (this) {
        case TENSORRT -> List.of(TENSORRT, CUDA, CPU);
        case CUDA -> List.of(CUDA, CPU);
        case CPU -> List.of(CPU);
      };
    }
  }

  /** ONNX Runtime graph optimisation level; ALL fuses the most operators and is the usual choice. */
  public enum GraphOptimization {
    NONE(OptLevel.NO_OPT), BASIC(OptLevel.BASIC_OPT), EXTENDED(OptLevel.EXTENDED_OPT), ALL(OptLevel.ALL_OPT);

    private final OptLevel ortLevel;

    GraphOptimization(OptLevel ortLevel) {
      this.ortLevel = ortLevel;
    }
  }

  /**
   * How the session is built.
   *
   * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime pick (one per core). On a
   *     node that also decodes images, leave cores for the decoders.
   * @param interOpThreads threads running independent operators in parallel; 0 lets ONNX Runtime pick.
   *     YOLO graphs are mostly sequential, so 1 is usually enough.
   * @param optimization graph optimisation level
   * @param executionProvider CPU, CUDA or TensorRT; a GPU provider falls back along
   *     {@link ExecutionProvider#fallbackChain()} when it cannot be used
   * @param cudaDeviceId the GPU to run on when the provider is CUDA or TensorRT
   * @param memoryPatternOptimization pre-plan allocations from the first run's shapes; helps a fixed
   *     batch size, costs re-planning when batch sizes vary
   * @param cpuArenaAllocator keep freed CPU memory in an arena for reuse (faster, higher resident memory)
   * @param allowSpinning let idle intra-op threads spin-wait for the next run: lowest latency on a
   *     dedicated inference host, but on a small machine the spinning steals the cycles that decoding
   *     and the event loops need
   */
  public record SessionConfig(int intraOpThreads, int interOpThreads, GraphOptimization optimization,
                              ExecutionProvider executionProvider, int cudaDeviceId,
                              boolean memoryPatternOptimization, boolean cpuArenaAllocator, boolean allowSpinning) {
    public SessionConfig {
      if (intraOpThreads < 0 || interOpThreads < 0) {
        throw new IllegalArgumentException("thread counts must be 0 (automatic) or positive");
      }
      if (optimization == null || executionProvider == null) {
        throw new IllegalArgumentException("optimization and executionProvider must be set");
      }
      if (cudaDeviceId < 0) {
        throw new IllegalArgumentException("cudaDeviceId must not be negative, got " + cudaDeviceId);
      }
    }

    /** CPU, automatic intra-op threads, one inter-op thread, all optimisations, arena and patterns on. */
    public static SessionConfig cpuDefaults() {
      return new SessionConfig(0, 1, GraphOptimization.ALL, ExecutionProvider.CPU, 0, true, true, true);
    }
  }

  /**
   * What {@link #detect} keeps.
   *
   * @param confThreshold candidates must score above this (Ultralytics' default 0.25)
   * @param iouThreshold same-class boxes overlapping a better one by more than this are removed
   * @param maxDetections most detections per image
   * @param layout output layout, or AUTO to infer it from the output shape and the class count
   */
  public record Postprocessing(float confThreshold, float iouThreshold, int maxDetections,
                               YoloOutputDecoder.Layout layout) {
    public Postprocessing {
      if (!(confThreshold >= 0f && confThreshold < 1f)) {
        throw new IllegalArgumentException("confThreshold must be within [0, 1), got " + confThreshold);
      }
      if (!(iouThreshold >= 0f && iouThreshold <= 1f)) {
        throw new IllegalArgumentException("iouThreshold must be within [0, 1], got " + iouThreshold);
      }
      if (maxDetections < 1) {
        throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
      }
      if (layout == null) {
        throw new IllegalArgumentException("layout must be set (AUTO to infer it)");
      }
    }

    public static Postprocessing defaults() {
      return new Postprocessing(0.25f, 0.45f, 300, YoloOutputDecoder.Layout.AUTO);
    }
  }

  /** The model's output for one run: values row-major, and their shape as ONNX Runtime reports it. */
  public record RawOutput(float[] data, long[] shape) {
  }

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ExecutionProvider executionProvider;
  private final String inputName;
  private final long[] inputShape;
  private final String outputName;
  private final long[] outputShape;
  private final ModelMetadata metadata;
  private final int maxBatchSize;
  private final Letterbox letterbox;
  private final YoloOutputDecoder decoder;
  private final NonMaxSuppression suppression;
  /** Candidates are decoded above the lowest class threshold, then each class is held to its own. */
  private final float confThreshold;
  private final float[] classThresholds;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private boolean closed;
  private FloatBuffer detectBuffer;

  private OnnxDetector(OrtEnvironment environment, OrtSession session, ExecutionProvider executionProvider,
                       Postprocessing postprocessing, ModelMetadata.Defaults defaults) throws OrtException {
    this.environment = environment;
    this.session = session;
    this.executionProvider = executionProvider;

    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("expected a model with one image input, found " + inputs.keySet());
    }
    NodeInfo input = inputs.values().iterator().next();
    inputName = input.getName();
    inputShape = floatTensorShape(input, "input");
    if (inputShape.length != 4 || (inputShape[1] != CHANNELS && inputShape[1] != -1)) {
      throw new IllegalArgumentException("input '" + inputName + "' must be [batch, 3, height, width], is "
          + Arrays.toString(inputShape));
    }

    Map<String, NodeInfo> outputs = session.getOutputInfo();
    // Ultralytics names the detection head output0; segmentation exports add output1 (mask prototypes).
    NodeInfo output = outputs.containsKey("output0") ? outputs.get("output0") : outputs.values().iterator().next();
    outputName = output.getName();
    outputShape = floatTensorShape(output, "output");

    ModelMetadata read = ModelMetadata.fromProperties(session.getMetadata().getCustomMetadata(), defaults);
    metadata = withGraphInputSize(read);
    maxBatchSize = inputShape[0] > 0 ? (int) inputShape[0] : Integer.MAX_VALUE;

    letterbox = new Letterbox(metadata.inputWidth(), metadata.inputHeight());
    decoder = new YoloOutputDecoder(metadata.numClasses(), postprocessing.layout());
    suppression = new NonMaxSuppression(postprocessing.iouThreshold(), postprocessing.maxDetections());
    classThresholds = new float[metadata.numClasses()];
    float lowest = postprocessing.confThreshold();
    for (int c = 0; c < classThresholds.length; c++) {
      // A class the model calibrated uses its own 'report' threshold; others the configured one.
      classThresholds[c] = metadata.thresholds().of(metadata.className(c))
          .map(t -> (float) t.report()).orElse(postprocessing.confThreshold());
      lowest = Math.min(lowest, classThresholds[c]);
    }
    confThreshold = lowest;

    for (String fallback : metadata.fallbacksUsed()) {
      LOG.warn("{}", fallback);
    }
    if (!"detect".equals(metadata.task())) {
      LOG.warn("model task is '{}', not 'detect'; only its detection output is used", metadata.task());
    }
    // Fail at startup, not on the first image, when the output cannot be decoded.
    String layout = outputShape.length == 3 && outputShape[1] > 0 && outputShape[2] > 0
        ? decoder.resolve(outputShape).toString()
        : "decided at the first run";
    LOG.info("model loaded on {}: input '{}' {}, output '{}' {} ({} layout), {} classes {}, version '{}'",
        executionProvider, inputName, Arrays.toString(inputShape), outputName, Arrays.toString(outputShape),
        layout, metadata.numClasses(), metadata.classNames(), metadata.version());
  }

  /**
   * The detector exactly as a node builds it from its {@code model.*} configuration: threads,
   * spinning, provider (with its fallbacks, see {@link ExecutionProvider#fallbackChain()}), thresholds,
   * and class names / input size for a model whose metadata lacks them; {@code cudaDeviceId} is the GPU
   * of this session when the provider is CUDA or TensorRT.
   */
  public static OnnxDetector open(AppConfig.Model model, Path modelFile, int cudaDeviceId) throws OrtException {
    SessionConfig session = new SessionConfig(model.intraOpThreads(), model.interOpThreads(), GraphOptimization.ALL,
        ExecutionProvider.fromConfig(model.executionProvider()), cudaDeviceId, true, true,
        model.allowSpinning());
    Postprocessing post = new Postprocessing(model.confThreshold(), model.iouThreshold(), model.maxDetections(),
        YoloOutputDecoder.Layout.AUTO);
    ModelMetadata.Defaults defaults = new ModelMetadata.Defaults(model.classNames(), model.inputSize(),
        model.inputSize(), 32);
    return open(modelFile, session, post, defaults);
  }

  /**
   * Loads a model on the configured provider, or on the next one of its fallback chain after one
   * warning saying why (TensorRT, then CUDA, then CPU).
   *
   * @param modelFile the {@code .onnx} file
   * @param sessionConfig how to build the session
   * @param postprocessing thresholds and output layout for {@link #detect}
   * @param defaults class names and input size for a model whose metadata lacks them
   * @throws IllegalArgumentException when the file is missing or the model is not a usable detector
   * @throws OrtException when ONNX Runtime cannot load it on the CPU either
   */
  public static OnnxDetector open(Path modelFile, SessionConfig sessionConfig, Postprocessing postprocessing,
                                  ModelMetadata.Defaults defaults) throws OrtException {
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException("model file not found: " + modelFile.toAbsolutePath());
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    List<ExecutionProvider> chain = sessionConfig.executionProvider().fallbackChain();
    for (ExecutionProvider provider : chain.subList(0, chain.size() - 1)) {
      OnnxDetector detector = tryGpu(environment, modelFile, sessionConfig, provider, postprocessing, defaults);
      if (detector != null) {
        return detector;
      }
    }
    OrtSession session;
    try (SessionOptions options = baseOptions(sessionConfig)) {
      session = environment.createSession(modelFile.toString(), options);
    }
    return wrap(environment, session, ExecutionProvider.CPU, postprocessing, defaults);
  }

  private static OnnxDetector wrap(OrtEnvironment environment, OrtSession session, ExecutionProvider provider,
                                   Postprocessing postprocessing, ModelMetadata.Defaults defaults) throws OrtException {
    try {
      return new OnnxDetector(environment, session, provider, postprocessing, defaults);
    } catch (RuntimeException | OrtException e) {
      session.close();
      throw e;
    }
  }

  /**
   * A detector on a GPU provider, or null after the one warning that says why it cannot be used. A
   * model that is not a usable detector fails here as it would on the CPU.
   */
  private static OnnxDetector tryGpu(OrtEnvironment environment, Path modelFile, SessionConfig config,
                                     ExecutionProvider provider, Postprocessing postprocessing,
                                     ModelMetadata.Defaults defaults) throws OrtException {
    String next = provider.fallbackChain().get(1).name();
    OrtProvider ortProvider = provider == ExecutionProvider.TENSORRT ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
    if (!OrtEnvironment.getAvailableProviders().contains(ortProvider)) {
      LOG.warn("{} was requested but this ONNX Runtime build has no {} provider (build with -Pgpu); trying {}",
          provider, provider, next);
      return null;
    }
    OrtSession session;
    try (SessionOptions options = baseOptions(config);
         OrtTensorRTProviderOptions tensorrt = provider == ExecutionProvider.TENSORRT
             ? tensorrtOptions(config.cudaDeviceId(), modelFile) : null) {
      if (tensorrt != null) {
        options.addTensorrt(tensorrt);
      }
      // With TensorRT too: CUDA runs the operators TensorRT cannot.
      options.addCUDA(config.cudaDeviceId());
      session = environment.createSession(modelFile.toString(), options);
    } catch (OrtException | IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.warn("{} on device {} could not be used ({}); trying {}", provider, config.cudaDeviceId(), e.getMessage(),
          next);
      return null;
    }
    OnnxDetector detector = wrap(environment, session, provider, postprocessing, defaults);
    if (provider == ExecutionProvider.TENSORRT) {
      // TensorRT builds its engine on the first run, not when the session is made: a model it cannot
      // build must fall back now, not fail the first image.
      try {
        detector.run(detector.newInputBuffer(1), 1);
      } catch (OrtException | RuntimeException e) {
        LOG.warn("TensorRT on device {} could not build an engine ({}); trying {}", config.cudaDeviceId(),
            e.getMessage(), next);
        detector.close();
        return null;
      }
    }
    return detector;
  }

  /**
   * TensorRT with engines cached on disk: building one takes minutes, so only the first session on a
   * host (and each new input shape) pays for it. The cache folder is per model file content, since
   * TensorRT names engines after the graph and would reuse one built for other weights.
   */
  private static OrtTensorRTProviderOptions tensorrtOptions(int deviceId, Path modelFile)
      throws OrtException, IOException {
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "geohazard-tensorrt",
        ContentHash.sha256(modelFile).substring(0, 16));
    Files.createDirectories(cache);
    OrtTensorRTProviderOptions tensorrt = new OrtTensorRTProviderOptions(deviceId);
    try {
      tensorrt.add("trt_engine_cache_enable", "1");
      tensorrt.add("trt_engine_cache_path", cache.toString());
      return tensorrt;
    } catch (OrtException | RuntimeException e) {
      tensorrt.close();
      throw e;
    }
  }

  private static SessionOptions baseOptions(SessionConfig config) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      if (config.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(config.intraOpThreads());
      }
      if (config.interOpThreads() > 0) {
        options.setInterOpNumThreads(config.interOpThreads());
      }
      options.setOptimizationLevel(config.optimization().ortLevel);
      options.setMemoryPatternOptimization(config.memoryPatternOptimization());
      options.setCPUArenaAllocator(config.cpuArenaAllocator());
      options.addConfigEntry("session.intra_op.allow_spinning", config.allowSpinning() ? "1" : "0");
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static long[] floatTensorShape(NodeInfo node, String role) {
    ValueInfo info = node.getInfo();
    if (!(info instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(role + " '" + node.getName() + "' must be a float32 tensor, is " + info
          + " (export without half=True)");
    }
    return tensor.getShape();
  }

  /** A graph with fixed spatial dimensions decides the input size, whatever the metadata says. */
  private ModelMetadata withGraphInputSize(ModelMetadata read) {
    int height = inputShape[2] > 0 ? (int) inputShape[2] : read.inputHeight();
    int width = inputShape[3] > 0 ? (int) inputShape[3] : read.inputWidth();
    if (height == read.inputHeight() && width == read.inputWidth()) {
      return read;
    }
    List<String> notes = new ArrayList<>(read.fallbacksUsed());
    notes.add("model input is fixed at " + width + "x" + height + " but metadata says " + read.inputWidth() + "x"
        + read.inputHeight() + "; using the input's size");
    return read.withInputSize(width, height, notes);
  }

  public String inputName() {
    return inputName;
  }

  /** The input shape as the graph declares it; -1 marks a dynamic dimension. */
  public long[] inputShape() {
    return inputShape.clone();
  }

  public String outputName() {
    return outputName;
  }

  /** The output shape as the graph declares it; -1 marks a dynamic dimension. */
  public long[] outputShape() {
    return outputShape.clone();
  }

  public ModelMetadata metadata() {
    return metadata;
  }

  /** The provider the session actually runs on (CPU after a CUDA fallback). */
  public ExecutionProvider executionProvider() {
    return executionProvider;
  }

  public int inputWidth() {
    return metadata.inputWidth();
  }

  public int inputHeight() {
    return metadata.inputHeight();
  }

  /** Most images per run: the graph's fixed batch size, or {@link Integer#MAX_VALUE} when it is dynamic. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** The letterbox that fits images to this model's input. */
  public Letterbox letterbox() {
    return letterbox;
  }

  /** Floats one image takes in a batch buffer. */
  public int floatsPerImage() {
    return letterbox.floatsPerImage();
  }

  /**
   * A buffer for {@code images} model inputs, direct and in native byte order so that ONNX Runtime reads
   * it without a copy. Allocate once per worker and reuse it: direct memory is only freed by the GC.
   */
  public FloatBuffer newInputBuffer(int images) {
    long bytes = (long) images * floatsPerImage() * Float.BYTES;
    if (images < 1 || bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("cannot allocate an input buffer for " + images + " images");
    }
    return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /**
   * Runs the model on the first {@code batchSize} images of {@code batchInput}: planar RGB floats in
   * [0, 1], image {@code i} at absolute index {@code i * floatsPerImage()} (as {@link Letterbox#apply}
   * writes them). The buffer's position and limit are ignored and left unchanged.
   *
   * @throws IllegalArgumentException when the batch does not fit the model or the buffer
   * @throws IllegalStateException after {@link #close()}
   */
  public RawOutput run(FloatBuffer batchInput, int batchSize) throws OrtException {
    if (batchSize < 1 || batchSize > maxBatchSize) {
      throw new IllegalArgumentException("batch size must be within 1.." + maxBatchSize + ", got " + batchSize);
    }
    long needed = (long) batchSize * floatsPerImage();
    if (needed > batchInput.capacity()) {
      throw new IllegalArgumentException(batchSize + " images need " + needed + " floats, the buffer holds "
          + batchInput.capacity());
    }
    FloatBuffer batch = batchInput.duplicate();
    batch.position(0).limit((int) needed);
    long[] shape = {batchSize, CHANNELS, metadata.inputHeight(), metadata.inputWidth()};

    closeLock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("detector is closed");
      }
      try (OnnxTensor tensor = OnnxTensor.createTensor(environment, batch, shape);
           OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
        OnnxValue value = result.get(outputName)
            .orElseThrow(() -> new IllegalStateException("model returned no '" + outputName + "'"));
        OnnxTensor output = (OnnxTensor) value;
        return new RawOutput(toArray(output.getFloatBuffer()), output.getInfo().getShape());
      }
    } finally {
      closeLock.readLock().unlock();
    }
  }

  private static float[] toArray(FloatBuffer values) {
    // getFloatBuffer() already returns a heap copy; take its array rather than copying again.
    if (values.hasArray() && values.arrayOffset() == 0 && values.position() == 0
        && values.array().length == values.remaining()) {
      return values.array();
    }
    float[] data = new float[values.remaining()];
    values.get(data);
    return data;
  }

  /**
   * Detects objects in each image: letterbox, one run per {@link #maxBatchSize()} images, decode,
   * class-wise NMS, boxes mapped back to each image's own pixels.
   *
   * @return one list per image, in input order, best detection first
   */
  public synchronized List<List<Detection>> detect(List<RgbImage> images) throws OrtException {
    List<List<Detection>> results = new ArrayList<>(images.size());
    for (int start = 0; start < images.size(); start += maxBatchSize) {
      List<RgbImage> chunk = images.subList(start, (int) Math.min(images.size(), (long) start + maxBatchSize));
      results.addAll(detectBatch(chunk));
    }
    return results;
  }

  private List<List<Detection>> detectBatch(List<RgbImage> images) throws OrtException {
    int batchSize = images.size();
    if (detectBuffer == null || detectBuffer.capacity() < (long) batchSize * floatsPerImage()) {
      detectBuffer = newInputBuffer(batchSize);
    }
    List<Letterbox.Placement> placements = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      placements.add(letterbox.apply(images.get(i), detectBuffer, i * floatsPerImage()));
    }
    return postprocess(run(detectBuffer, batchSize), placements);
  }

  /**
   * Decodes one run's output: candidates above their class's threshold (the model's calibrated
   * {@code report} threshold, or the configured confidence threshold), class-wise NMS, and boxes mapped
   * back to each image's own pixels through its placement (one per image, in batch order).
   */
  public List<List<Detection>> postprocess(RawOutput output, List<Letterbox.Placement> placements) {
    List<List<Detection>> candidates = decoder.decode(output.data(), output.shape(), confThreshold);
    if (candidates.size() != placements.size()) {
      throw new IllegalArgumentException("output holds " + candidates.size() + " images, " + placements.size()
          + " placements given");
    }
    List<List<Detection>> results = new ArrayList<>(placements.size());
    for (int i = 0; i < placements.size(); i++) {
      Letterbox.Placement placement = placements.get(i);
      // NMS is class-wise, so dropping a class's boxes below its own threshold after it changes nothing else.
      results.add(suppression.apply(candidates.get(i)).stream()
          .filter(d -> d.classId() >= classThresholds.length || d.score() > classThresholds[d.classId()])
          .map(placement::mapBack).toList());
    }
    return results;
  }

  /**
   * Releases the session. Call it once the last {@link #run} has returned (when the owning worker
   * stops); runs still in flight are waited for, and later runs fail. Calling it again does nothing.
   */
  @Override
  public void close() throws OrtException {
    closeLock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } finally {
      closeLock.writeLock().unlock();
    }
  }
}
