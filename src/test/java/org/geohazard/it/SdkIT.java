package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.geohazard.client.AlertsApi;
import org.geohazard.client.AnalysisApi;
import org.geohazard.client.ApiClient;
import org.geohazard.client.ApiException;
import org.geohazard.client.BatchesApi;
import org.geohazard.client.OperationsApi;
import org.geohazard.client.RateLimitRetry;
import org.geohazard.client.ResultsApi;
import org.geohazard.client.model.ActiveAlerts;
import org.geohazard.client.model.AlertHistory;
import org.geohazard.client.model.AnalyzeAccepted;
import org.geohazard.client.model.BatchAccepted;
import org.geohazard.client.model.BatchStatus;
import org.geohazard.client.model.FeatureCollection;
import org.geohazard.client.model.ImageResult;
import org.geohazard.client.model.ImageStatus;
import org.geohazard.client.model.Priority;
import org.geohazard.testing.Poll;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three generated SDKs against a live node, as their users would call them: Java here (the SDK compiled with
 * the tests), Python and TypeScript through their check programs ({@code sdk/python/check_sdk.py},
 * {@code sdk/typescript/src/check.ts}), which exit non-zero on any failed step. The node's anonymous quota is small
 * and its window short, so that a 429 with {@code Retry-After} is reached quickly and waited out in seconds.
 */
class SdkIT {

  private static final int QUOTA = 150;
  private static final int WINDOW_SECONDS = 4;

  private static TestNode node;
  private static String baseUrl;
  private static String apiKey;

  @TempDir
  static Path files;

  @BeforeAll
  static void startNode() {
    node = TestNode.start(Map.of("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", Integer.toString(QUOTA),
        "GEOHAZARD_RATE_LIMIT_WINDOW_SECONDS", Integer.toString(WINDOW_SECONDS)));
    baseUrl = "http://127.0.0.1:" + node.node.httpPort();
    // An operator's key that also reads and uploads: the checks upload, read, and acknowledge (an unknown alert).
    apiKey = node.createKey("sdk-it", "read,upload,operate");
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private static ApiClient client() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(baseUrl);
    return client;
  }

  private static Path write(String name, byte[] bytes) throws IOException {
    return Files.write(files.resolve(name), bytes);
  }

  @Test
  void javaSdkUploadsPollsReadsGeoJsonAndRunsABatch() throws Exception {
    RateLimitRetry retry = new RateLimitRetry(10, Duration.ofSeconds(WINDOW_SECONDS + 1));
    ApiClient client = client();
    AnalysisApi analysis = new AnalysisApi(client);
    ResultsApi results = new ResultsApi(client);

    File flood = write("flood.png", TestImages.floodPng()).toFile();
    AnalyzeAccepted accepted = retry.call(() -> analysis.analyzeSingle(flood, 38.1, -0.76, Priority.HIGH, null, null,
        null, null, null, null));
    ImageResult result = awaitFinished(retry, results, accepted.getImageId());
    assertThat(result.getStatus()).isEqualTo(ImageStatus.COMPLETED);
    assertThat(result.getAnalysis().getRiskLevel()).isNotNull();
    assertThat(result.getAnalysis().getDetections()).isNotNull();
    assertThat(result.getLocation().getLatitude()).isEqualTo(38.1);

    // The GeoJSON view is its own operation now: getResult always parses as ImageResult.
    FeatureCollection geoJson = retry.call(() -> results.getResultGeoJson(accepted.getImageId(), null));
    assertThat(geoJson.getType().getValue()).isEqualTo("FeatureCollection");
    assertThat(geoJson.getFeatures()).hasSize(result.getAnalysis().getDetections().size());

    File lake = write("lake.jpg", TestImages.lakeJpeg()).toFile();
    File webp = new File(SdkIT.class.getResource("/images/formats/lossy.webp").toURI());
    BatchAccepted batch = retry.call(() -> analysis.analyzeBatch(List.of(lake, webp), null, null, Priority.NORMAL,
        null, null, null));
    BatchesApi batches = new BatchesApi(client);
    BatchStatus progress = Poll.until("batch " + batch.getBatchId() + " done",
        () -> retry.call(() -> batches.getBatch(batch.getBatchId())),
        p -> p.getProgress() != null && p.getProgress() >= 1.0, Duration.ofSeconds(120), Duration.ofMillis(250));
    assertThat(progress.getProgress()).as("batch progress %s", progress).isEqualTo(1.0);
    assertThat(progress.getCompleted()).isEqualTo(2);
  }

  @Test
  void javaSdkReadsAlertsSendsItsKeyAndSurfacesErrors() throws Exception {
    // The checks of the other SDKs spend the shared quotas on purpose: every call here waits out a 429.
    RateLimitRetry retry = new RateLimitRetry(10, Duration.ofSeconds(WINDOW_SECONDS + 1));
    ApiClient client = client();
    AlertsApi alerts = new AlertsApi(client);
    ActiveAlerts active = retry.call(() -> alerts.getActiveAlerts(38.1, -0.76, 50.0, null, null, null, null, null));
    assertThat(active.getAlerts()).isNotNull();
    AlertHistory history = retry.call(() -> alerts.getAlertHistory(OffsetDateTime.now().minusDays(1), null, null,
        null, null, null));
    assertThat(history.getAlerts()).isNotNull();

    // Acknowledging needs a key with 'operate': without one the router refuses it (401), a key without the scope
    // gets 403, and with an operator's key the alert is looked up (404 here).
    UUID unknown = UUID.randomUUID();
    ApiException noKey = catchThrowableOfType(ApiException.class,
        () -> retry.call(() -> alerts.acknowledgeAlert(unknown)));
    assertThat(noKey.getCode()).isEqualTo(401);
    assertThat(noKey.getResponseBody()).contains("api_key_required");
    String readOnly = node.createKey("sdk-it-reader", "read");
    ApiException noScope = catchThrowableOfType(ApiException.class, () -> retry.call(() -> new AlertsApi(client()
        .setRequestInterceptor(request -> request.header("X-API-Key", readOnly))).acknowledgeAlert(unknown)));
    assertThat(noScope.getCode()).isEqualTo(403);
    assertThat(noScope.getResponseBody()).contains("insufficient_scope");
    ApiClient keyed = client().setRequestInterceptor(request -> request.header("X-API-Key", apiKey));
    ApiException notFound = catchThrowableOfType(ApiException.class,
        () -> retry.call(() -> new AlertsApi(keyed).acknowledgeAlert(unknown)));
    assertThat(notFound.getCode()).as(notFound.getResponseBody()).isEqualTo(404);

    File text = write("notes.jpg", "not an image\n".getBytes(StandardCharsets.UTF_8)).toFile();
    ApiException unsupported = catchThrowableOfType(ApiException.class,
        () -> retry.call(() -> new AnalysisApi(client).analyzeSingle(text, null, null, null, null, null, null, null, null, null)));
    assertThat(unsupported.getCode()).isEqualTo(415);
    assertThat(unsupported.getResponseBody()).contains("unsupported_media_type");
  }

  @Test
  void javaSdkCallsAgainAfterRetryAfterWhenRateLimited() throws Exception {
    ResultsApi results = new ResultsApi(client());
    long retryAfter = exhaustQuota();
    ApiException limited = catchThrowableOfType(ApiException.class,
        () -> results.getResult(UUID.randomUUID(), null));
    assertThat(limited.getCode()).as("a plain call right after the quota ran out").isEqualTo(429);

    retryAfter = exhaustQuota();
    UUID unknown = UUID.randomUUID();
    long started = System.nanoTime();
    // An unknown id: the answer after the wait is a 404, which proves the call got through the limiter.
    ApiException answered = catchThrowableOfType(ApiException.class,
        () -> new RateLimitRetry(5, Duration.ofSeconds(WINDOW_SECONDS + 1)).call(() -> results.getResult(unknown, null)));
    double waited = (System.nanoTime() - started) / 1e9;
    assertThat(answered.getCode()).isEqualTo(404);
    assertThat(waited).as("waited for Retry-After %d s", retryAfter).isGreaterThanOrEqualTo(retryAfter - 1.0);
  }

  /**
   * Spends the anonymous quota with plain GETs until a 429 comes back with at least 2 s of its window left; returns
   * that Retry-After in seconds. A 429 in a window's last second is not enough (the next call could pass): the GETs
   * go on into the next window and spend it too.
   */
  private static long exhaustQuota() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest probe = HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/api/v1/results/" + UUID.randomUUID()))
        .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3L * WINDOW_SECONDS);
    while (System.nanoTime() < deadline) {
      HttpResponse<Void> response = http.send(probe, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 429) {
        long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
        if (retryAfter >= 2) {
          return retryAfter;
        }
      }
    }
    throw new AssertionError("no 429 with 2 s or more of its window left within " + 3 * WINDOW_SECONDS + " s");
  }

  private static ImageResult awaitFinished(RateLimitRetry retry, ResultsApi results, UUID imageId) throws Exception {
    return Poll.until("analysis of " + imageId, () -> retry.call(() -> results.getResult(imageId, null)),
        r -> r.getStatus() == ImageStatus.COMPLETED || r.getStatus() == ImageStatus.FAILED, Duration.ofSeconds(60),
        Duration.ofMillis(200));
  }

  @Test
  void pythonSdkPassesItsCheckAgainstTheNode() throws Exception {
    Path root = LocalStack.repoRoot();
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "sdk/python/check_sdk.py",
        "--base-url", baseUrl, "--api-key", apiKey));
    for (Path image : images()) {
      command.addAll(List.of("--image", image.toString()));
    }
    run(root, Map.of("PYTHONPATH", root.resolve("target/generated-sdk/python") + ":" + root.resolve("sdk/python")),
        command, Duration.ofMinutes(6));
  }

  @Test
  void typescriptSdkPassesItsCheckAgainstTheNode() throws Exception {
    Path root = LocalStack.repoRoot();
    Path project = root.resolve("sdk/typescript");
    run(project, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Duration.ofMinutes(5));
    run(project, Map.of(), List.of("npm", "run", "build"), Duration.ofMinutes(3));
    List<String> command = new ArrayList<>(List.of("node", "dist/check.js", "--base-url", baseUrl, "--api-key", apiKey));
    for (Path image : images()) {
      command.addAll(List.of("--image", image.toString()));
    }
    run(project, Map.of(), command, Duration.ofMinutes(6));
  }

  /** The examples docs/SDK.md shows (SdkDocsTest keeps them equal): each uploads, waits and prints the risk. */
  @Test
  void theDocumentedExamplesRunAgainstTheNode() throws Exception {
    Path root = LocalStack.repoRoot();
    Path image = write("example.png", TestImages.floodPng());
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      org.geohazard.client.examples.UploadAndWait.main(new String[] {image.toString(), baseUrl, apiKey});
    } finally {
      System.setOut(stdout);
    }
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains(": risk critical");

    String python = run(root, Map.of("PYTHONPATH", root.resolve("target/generated-sdk/python") + ":"
        + root.resolve("sdk/python"), "GEOHAZARD_API_KEY", apiKey),
        List.of("/usr/bin/python3", "sdk/python/example.py", image.toString(), baseUrl), Duration.ofMinutes(2));
    assertThat(python).contains(": risk critical");

    Path project = root.resolve("sdk/typescript");
    if (!Files.exists(project.resolve("dist/example.js"))) {
      run(project, Map.of(), List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Duration.ofMinutes(5));
      run(project, Map.of(), List.of("npm", "run", "build"), Duration.ofMinutes(3));
    }
    String typescript = run(project, Map.of("GEOHAZARD_API_KEY", apiKey),
        List.of("node", "dist/example.js", image.toString(), baseUrl), Duration.ofMinutes(2));
    assertThat(typescript).contains(": risk critical");
  }

  /** Images the checks upload: made here, so that the checks do not depend on ../shared/data. */
  private static List<Path> images() throws IOException {
    return List.of(write("sdk-flood.png", TestImages.floodPng()), write("sdk-lake.jpg", TestImages.lakeJpeg()));
  }

  /** Runs a command to the end; fails the test unless it exits 0. Returns what it printed. */
  private static String run(Path directory, Map<String, String> env, List<String> command, Duration timeout)
      throws Exception {
    Path log = Files.createTempFile(files, "run", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.println("$ " + String.join(" ", command) + "\n" + output);
    assertThat(finished).as("%s finished within %s; output:%n%s", command, timeout, output).isTrue();
    assertThat(process.exitValue()).as("%s exit code; output:%n%s", command, output).isZero();
    return output;
  }
}
