package org.geohazard.client.examples;

import java.io.File;
import java.time.Duration;
import java.util.UUID;
import org.geohazard.client.AnalysisApi;
import org.geohazard.client.ApiClient;
import org.geohazard.client.ApiException;
import org.geohazard.client.RateLimitRetry;
import org.geohazard.client.ResultsApi;
import org.geohazard.client.model.Analysis;
import org.geohazard.client.model.ImageResult;
import org.geohazard.client.model.ImageStatus;
import org.geohazard.client.model.Priority;

/** Upload one image, wait for its analysis, print the risk: {@code UploadAndWait IMAGE [BASE_URL] [API_KEY]}. */
public final class UploadAndWait {

  public static void main(String[] args) throws Exception {
    ApiClient client = new ApiClient();
    client.updateBaseUri(args.length > 1 ? args[1] : "http://127.0.0.1:8080");
    if (args.length > 2) {
      String apiKey = args[2];
      client.setRequestInterceptor(request -> request.header("X-API-Key", apiKey));
    }
    // Calls again after the Retry-After of a 429 (rate limited), up to 5 calls.
    RateLimitRetry retry = new RateLimitRetry(5, Duration.ofSeconds(30));
    AnalysisApi analysis = new AnalysisApi(client);
    ResultsApi results = new ResultsApi(client);

    File image = new File(args[0]);
    UUID imageId = retry.call(() -> analysis.analyzeSingle(image, 38.1, -0.76, Priority.HIGH, null, null, null, null,
        null, null)).getImageId();
    ImageResult result = retry.call(() -> results.getResult(imageId, null));
    while (result.getStatus() == ImageStatus.PENDING || result.getStatus() == ImageStatus.PROCESSING) {
      Thread.sleep(500);
      result = retry.call(() -> results.getResult(imageId, null));
    }
    if (result.getStatus() == ImageStatus.FAILED) {
      throw new ApiException("analysis failed: " + result.getFailureReason());
    }
    Analysis found = result.getAnalysis();
    System.out.printf("%s: risk %s (landslide %.2f, flood %.2f), %d detection(s)%n", imageId,
        found.getRiskLevel().getValue(), found.getLandslideProbability(), found.getFloodProbability(),
        found.getDetections().size());
  }
}
