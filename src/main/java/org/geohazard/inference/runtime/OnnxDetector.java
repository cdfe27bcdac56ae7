package org.geohazard.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.DetectionDecoding;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.processing.Postprocessing;
import org.geohazard.inference.processing.YoloOutputDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One YOLO detection model loaded in one ONNX Runtime session (built by {@link OrtSessions}). It knows the model's input (name,
 * size, batch limit), its output and its metadata, runs batches the caller has prepared, and offers a
 * thin {@link #detect} that composes {@link Letterbox}, {@link #run} and {@link DetectionDecoding}.
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
  /** The task of a per-pixel (mask) model: one probability plane per image, {@code [batch, 1, height, width]}. */
  public static final String MASK_TASK = "segment";

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
  /** The export's metadata as written, for keys of other tasks ({@code mask_threshold} of a mask model). */
  private final Map<String, String> properties;
  private final int maxBatchSize;
  private final Letterbox letterbox;
  private final DetectionDecoding decoding;
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

    properties = Map.copyOf(session.getMetadata().getCustomMetadata());
    ModelMetadata read = ModelMetadata.fromProperties(properties, defaults);
    metadata = withGraphInputSize(read);
    maxBatchSize = inputShape[0] > 0 ? (int) inputShape[0] : Integer.MAX_VALUE;

    letterbox = new Letterbox(metadata.inputWidth(), metadata.inputHeight());
    decoding = new DetectionDecoding(postprocessing, metadata.classNames(), metadata.thresholds());

    for (String fallback : metadata.fallbacksUsed()) {
      LOG.warn("{}", fallback);
    }
    if (!"detect".equals(metadata.task()) && !MASK_TASK.equals(metadata.task())) {
      LOG.warn("model task is '{}', not 'detect'; only its detection output is used", metadata.task());
    }
    // Fail at startup, not on the first image, when the output cannot be decoded.
    String layout = outputShape.length == 3 && outputShape[1] > 0 && outputShape[2] > 0
        ? decoding.layoutOf(outputShape).toString()
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
    SessionConfig session = SessionConfig.of(model, cudaDeviceId);
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
    return wrap(environment, OrtSessions.onCpu(environment, modelFile, sessionConfig), ExecutionProvider.CPU,
        postprocessing, defaults);
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
    OrtSession session = OrtSessions.onGpu(environment, modelFile, config, provider);
    if (session == null) {
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
            e.getMessage(), provider.fallbackChain().get(1));
        detector.close();
        return null;
      }
    }
    return detector;
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

  /** One key of the export's metadata as written, if present. */
  public Optional<String> property(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** Whether this is a mask model (metadata {@code task=segment}): its output is a probability per input pixel. */
  public boolean masks() {
    return MASK_TASK.equals(metadata.task());
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

  /** Decodes one run's output through {@link DetectionDecoding}: one placement per image, in batch order. */
  public List<List<Detection>> postprocess(RawOutput output, List<Letterbox.Placement> placements) {
    return decoding.decode(output.data(), output.shape(), placements);
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
