package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.node.GeohazardNode;
import org.geohazard.storage.S3ObjectStore;

/**
 * A real node on a free port against the local stack, an HTTP client for it, and a check of every
 * response against {@code openapi.yaml}.
 */
final class TestNode implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  final GeohazardNode node;
  final WebClient client;
  final AppConfig config;
  private final ResponseValidator validator;

  private TestNode(GeohazardNode node, AppConfig config, ResponseValidator validator) {
    this.node = node;
    this.config = config;
    this.validator = validator;
    this.client = WebClient.create(node.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort()));
  }

  /** Starts a node configured from the stack's env file plus {@code overrides} (GEOHAZARD_* names). */
  static TestNode start(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(LocalStack.env());
    env.putAll(TestIsolation.overrides(LocalStack.env()));
    env.put("GEOHAZARD_HTTP_PORT", "0");
    env.put("GEOHAZARD_HTTP_INSTANCES", "1");
    // Tests poll quickly; the limiter itself is tested with its own budget in ResilienceIT.
    env.put("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", "1000000");
    // The stand-in beside a test-only evidence card (testing.StandinCard): these tests paint to its colour rules
    // and are about the pipeline, so its levels stand; EvidenceIT serves it without a card.
    env.put("GEOHAZARD_MODEL_PATHS", org.geohazard.testing.StandinCard.model().toString());
    env.putAll(overrides);
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, env, new Properties()));
    GeohazardNode node = await(GeohazardNode.start(config));
    OpenAPIContract contract = await(OpenAPIContract.from(node.vertx(), GeohazardNode.CONTRACT_RESOURCE));
    return new TestNode(node, config, ResponseValidator.create(node.vertx(), contract));
  }

  Vertx vertx() {
    return node.vertx();
  }

  /**
   * A client of this node's object store of the test's own (not the node's, {@code node.objectStore()}, which keeps
   * recent objects in memory): what the store holds, read without retries. The caller closes it.
   */
  S3ObjectStore storeClient() {
    AppConfig.S3 s3 = config.s3();
    return new S3ObjectStore(vertx(), new AppConfig.S3(s3.endpoint(), s3.region(), s3.accessKey(), s3.secretKey(),
        s3.bucket(), 1, 0, 0, s3.trustCertPath()));
  }

  HttpResponse<Buffer> upload(String path, String field, String filename, byte[] bytes, Map<String, String> fields) {
    return upload(path, field, filename, bytes, fields, null);
  }

  /** An upload with {@code apiKey} in X-API-Key (null: anonymous). */
  HttpResponse<Buffer> upload(String path, String field, String filename, byte[] bytes, Map<String, String> fields,
                              String apiKey) {
    MultipartForm form = MultipartForm.create();
    fields.forEach(form::attribute);
    form.binaryFileUpload(field, filename, Buffer.buffer(bytes), "application/octet-stream");
    io.vertx.ext.web.client.HttpRequest<Buffer> request = client.post(path);
    if (apiKey != null) {
      request.putHeader("X-API-Key", apiKey);
    }
    return await(request.sendMultipartForm(form));
  }

  private String publisherKey;

  /**
   * A key of this node's test that may read, upload and publish: uploads whose alerts a test expects on the public
   * lists, stream or feed are made with it (an anonymous upload's alert is held unverified, see SecurityIT).
   */
  synchronized String publisherKey() {
    if (publisherKey == null) {
      publisherKey = createKey("it-publisher", "read,upload,publish");
    }
    return publisherKey;
  }

  /**
   * A new API key holding {@code scopes} (e.g. "read,upload,publish": its uploads' alerts are published at once;
   * "operate": an operator's).
   */
  String createKey(String name, String scopes) {
    return await(org.geohazard.persistence.ApiKeyAdmin.create(vertx(), config.db(), name, null,
        org.geohazard.auth.Scope.parse(scopes)));
  }

  HttpResponse<Buffer> get(String path) {
    return await(client.get(path).send());
  }

  /** A GET with {@code apiKey} in X-API-Key: what a key made is read with that key (tenants are kept apart). */
  HttpResponse<Buffer> get(String path, String apiKey) {
    return await(client.get(path).putHeader("X-API-Key", apiKey).send());
  }

  private String operatorKey;

  /** A key of this node's test that operates: it sees every upload, whoever made it (auth.Tenancy). */
  synchronized String operatorKey() {
    if (operatorKey == null) {
      operatorKey = createKey("it-operator", "read,operate");
    }
    return operatorKey;
  }

  /** Asserts that the response matches what {@code openapi.yaml} declares for the operation and status. */
  JsonObject checked(String operationId, HttpResponse<Buffer> response) {
    String contentType = response.getHeader("Content-Type");
    Map<String, String> headers = new HashMap<>();
    response.headers().forEach(entry -> headers.put(entry.getKey(), entry.getValue()));
    ValidatableResponse validatable = ValidatableResponse.create(response.statusCode(), headers,
        response.body() == null ? Buffer.buffer() : response.body(), contentType);
    try {
      await(validator.validate(validatable, operationId));
    } catch (RuntimeException e) {
      throw new AssertionError(operationId + " " + response.statusCode() + " does not match openapi.yaml: "
          + e.getMessage() + "\nbody: " + response.bodyAsString(), e);
    }
    return contentType != null && contentType.startsWith("application/json") ? response.bodyAsJsonObject() : null;
  }

  /** Polls {@code action} until its result satisfies {@code done}, without blocking a Vert.x thread. */
  <T> T pollUntil(Supplier<Future<T>> action, Predicate<T> done, Duration timeout) {
    Promise<T> promise = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    pollOnce(action, done, deadline, promise);
    return await(promise.future(), timeout.plusSeconds(30));
  }

  private <T> void pollOnce(Supplier<Future<T>> action, Predicate<T> done, long deadline, Promise<T> promise) {
    action.get().onComplete(result -> {
      if (result.succeeded() && done.test(result.result())) {
        promise.complete(result.result());
      } else if (System.nanoTime() > deadline) {
        promise.fail(new AssertionError("condition not reached before the deadline; last: "
            + (result.succeeded() ? result.result() : result.cause())));
      } else {
        vertx().setTimer(100, id -> pollOnce(action, done, deadline, promise));
      }
    });
  }

  /** GET the result until its status is completed or failed (as an operator: whoever uploaded it). */
  JsonObject awaitFinished(String imageId) {
    String operator = operatorKey();
    HttpResponse<Buffer> response = pollUntil(() -> client.get("/api/v1/results/" + imageId)
            .putHeader("X-API-Key", operator).send(),
        r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getString("status").matches("pending|processing"),
        TIMEOUT);
    JsonObject body = checked("getResult", response);
    assertThat(body.getString("status")).as("final status of %s: %s", imageId, body).isIn("completed", "failed");
    return body;
  }

  static <T> T await(Future<T> future) {
    return await(future, TIMEOUT);
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    await(node.close());
  }
}
