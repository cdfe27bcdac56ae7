package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchema;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidatedResponse;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.vertx.core.json.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that {@code openapi.yaml} loads in vertx-openapi 5.0.7, binds with {@link RouterBuilder}, and
 * that its schemas are strict enough to tell a valid response from an invalid one.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {

  private static final long TIMEOUT_S = 30;
  private static final String JSON = "application/json";
  private static final String IMAGE_ID = "5f0c1d6e-8a53-4a8e-9d0e-3c2b7f1a9e44";

  /** Every operation of the contract: operationId → method and path. */
  private static final Map<String, Map.Entry<HttpMethod, String>> OPERATIONS = Map.ofEntries(
      Map.entry("analyzeSingle", Map.entry(HttpMethod.POST, "/api/v1/analyze/single")),
      Map.entry("analyzeBatch", Map.entry(HttpMethod.POST, "/api/v1/analyze/batch")),
      Map.entry("analyzeReference", Map.entry(HttpMethod.POST, "/api/v1/analyze/reference")),
      Map.entry("getBatch", Map.entry(HttpMethod.GET, "/api/v1/batches/{batch_id}")),
      Map.entry("getResult", Map.entry(HttpMethod.GET, "/api/v1/results/{image_id}")),
      Map.entry("getResultGeoJson", Map.entry(HttpMethod.GET, "/api/v1/results/{image_id}/geojson")),
      Map.entry("getResultMask", Map.entry(HttpMethod.GET, "/api/v1/results/{image_id}/mask")),
      Map.entry("getActiveAlerts", Map.entry(HttpMethod.GET, "/api/v1/alerts/active")),
      Map.entry("getAlert", Map.entry(HttpMethod.GET, "/api/v1/alerts/{alert_id}")),
      Map.entry("acknowledgeAlert", Map.entry(HttpMethod.POST, "/api/v1/alerts/{alert_id}/acknowledge")),
      Map.entry("resolveAlert", Map.entry(HttpMethod.POST, "/api/v1/alerts/{alert_id}/resolve")),
      Map.entry("getAlertHistory", Map.entry(HttpMethod.GET, "/api/v1/alerts/history")),
      Map.entry("getAlertFeed", Map.entry(HttpMethod.GET, "/api/v1/alerts/feed")),
      Map.entry("streamAlerts", Map.entry(HttpMethod.GET, "/api/v1/alerts/stream")),
      Map.entry("createWebhook", Map.entry(HttpMethod.POST, "/api/v1/webhooks")),
      Map.entry("listWebhooks", Map.entry(HttpMethod.GET, "/api/v1/webhooks")),
      Map.entry("deleteWebhook", Map.entry(HttpMethod.DELETE, "/api/v1/webhooks/{webhook_id}")),
      Map.entry("getWebhookDeliveries", Map.entry(HttpMethod.GET, "/api/v1/webhooks/{webhook_id}/deliveries")),
      Map.entry("getHealth", Map.entry(HttpMethod.GET, "/api/v1/health")),
      Map.entry("getLiveness", Map.entry(HttpMethod.GET, "/api/v1/health/live")),
      Map.entry("getReadiness", Map.entry(HttpMethod.GET, "/api/v1/health/ready")),
      Map.entry("getCluster", Map.entry(HttpMethod.GET, "/api/v1/cluster")),
      Map.entry("getResultAnalyses", Map.entry(HttpMethod.GET, "/api/v1/results/{image_id}/analyses")),
      Map.entry("reanalyzeImage", Map.entry(HttpMethod.POST, "/api/v1/results/{image_id}/reanalyze")),
      Map.entry("listModels", Map.entry(HttpMethod.GET, "/api/v1/models")),
      Map.entry("getUsage", Map.entry(HttpMethod.GET, "/api/v1/usage")),
      Map.entry("getShadowReport", Map.entry(HttpMethod.GET, "/api/v1/models/shadow-report")),
      Map.entry("changeModels", Map.entry(HttpMethod.POST, "/api/v1/admin/models")),
      Map.entry("getMetrics", Map.entry(HttpMethod.GET, "/metrics")),
      Map.entry("getContract", Map.entry(HttpMethod.GET, "/openapi.yaml")),
      Map.entry("confirmAlert", Map.entry(HttpMethod.POST, "/api/v1/alerts/{alert_id}/confirm")),
      Map.entry("listUnverifiedAlerts", Map.entry(HttpMethod.GET, "/api/v1/alerts/unverified")),
      Map.entry("createApiKey", Map.entry(HttpMethod.POST, "/api/v1/admin/keys")),
      Map.entry("listApiKeys", Map.entry(HttpMethod.GET, "/api/v1/admin/keys")),
      Map.entry("revokeApiKey", Map.entry(HttpMethod.POST, "/api/v1/admin/keys/{key_id}/revoke")),
      Map.entry("rotateApiKey", Map.entry(HttpMethod.POST, "/api/v1/admin/keys/{key_id}/rotate")),
      Map.entry("getResultStac", Map.entry(HttpMethod.GET, "/api/v1/results/{image_id}/stac")),
      Map.entry("getOgcLanding", Map.entry(HttpMethod.GET, "/ogc")),
      Map.entry("getOgcConformance", Map.entry(HttpMethod.GET, "/ogc/conformance")),
      Map.entry("getOgcCollections", Map.entry(HttpMethod.GET, "/ogc/collections")),
      Map.entry("getOgcCollection", Map.entry(HttpMethod.GET, "/ogc/collections/{collectionId}")),
      Map.entry("getOgcItems", Map.entry(HttpMethod.GET, "/ogc/collections/{collectionId}/items")),
      Map.entry("getOgcFeature", Map.entry(HttpMethod.GET, "/ogc/collections/{collectionId}/items/{featureId}")),
      Map.entry("deleteResult", Map.entry(HttpMethod.DELETE, "/api/v1/results/{image_id}")),
      Map.entry("rotateWebhookSecret", Map.entry(HttpMethod.POST, "/api/v1/webhooks/{webhook_id}/rotate-secret")));

  private static OpenAPIContract contract;
  private static ResponseValidator validator;

  @BeforeAll
  static void loadContract(Vertx vertx) throws Exception {
    contract = await(OpenAPIContract.from(vertx, "openapi.yaml"));
    validator = ResponseValidator.create(vertx, contract);
  }

  @Test
  void declaresExactlyTheExpectedOperations() {
    assertThat(contract.operations())
        .extracting(Operation::getOperationId)
        .containsExactlyInAnyOrderElementsOf(OPERATIONS.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void bindsOperationIdToMethodAndPath(String operationId, HttpMethod method, String path) {
    Operation operation = contract.operation(operationId);
    assertThat(operation).as(operationId).isNotNull();
    assertThat(operation.getHttpMethod()).isEqualTo(method);
    assertThat(operation.getOpenAPIPath()).isEqualTo(path);
    assertThat(contract.findOperation(path, method).getOperationId()).isEqualTo(operationId);
  }

  static Stream<Arguments> operations() {
    return OPERATIONS.entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue().getKey(), e.getValue().getValue()));
  }

  /**
   * Who may call what is declared per operation, with the scope a key needs ({@code ContractSecurity} enforces
   * exactly this): reading and uploading may be anonymous (where the deployment allows it), operators' acts need an
   * {@code operate} key, model changes the admin token or an {@code admin} key, usage any key; probes, status and the
   * contract inherit the optional, unscoped key. Every operation that names a scope declares the 403 it may answer.
   */
  @Test
  void declaresTheScopeOfEveryOperation() {
    assertThat(contract.securityScheme("ApiKeyAuth").getIn()).isEqualTo("header");
    assertThat(contract.securityScheme("ApiKeyAuth").getName()).isEqualTo("X-API-Key");
    assertThat(contract.securityScheme("AdminToken").getName()).isEqualTo("X-Admin-Token");
    assertThat(contract.getSecurityRequirements()).hasSize(2);
    assertThat(contract.getSecurityRequirements().get(0).getNames()).containsExactly("ApiKeyAuth");
    assertThat(contract.getSecurityRequirements().get(1).isEmpty()).isTrue();
    Map<String, String> anonymousMay = Map.ofEntries(Map.entry("analyzeSingle", "upload"),
        Map.entry("analyzeBatch", "upload"), Map.entry("analyzeReference", "upload"),
        Map.entry("reanalyzeImage", "upload"), Map.entry("getBatch", "read"),
        Map.entry("getResult", "read"), Map.entry("getResultGeoJson", "read"), Map.entry("getResultAnalyses", "read"),
        Map.entry("getResultMask", "read"),
        Map.entry("getActiveAlerts", "read"), Map.entry("getAlertHistory", "read"), Map.entry("getAlertFeed", "read"),
        Map.entry("streamAlerts", "read"), Map.entry("getAlert", "read"), Map.entry("listModels", "read"),
        Map.entry("getShadowReport", "read"), Map.entry("getResultStac", "read"), Map.entry("getOgcLanding", "read"),
        Map.entry("getOgcConformance", "read"), Map.entry("getOgcCollections", "read"),
        Map.entry("getOgcCollection", "read"), Map.entry("getOgcItems", "read"), Map.entry("getOgcFeature", "read"),
        Map.entry("deleteResult", "upload"));
    java.util.Set<String> operate = java.util.Set.of("acknowledgeAlert", "resolveAlert", "confirmAlert",
        "listUnverifiedAlerts", "createWebhook", "listWebhooks", "deleteWebhook", "getWebhookDeliveries",
        "rotateWebhookSecret");
    for (Operation op : contract.operations()) {
      String id = op.getOperationId();
      java.util.List<io.vertx.openapi.contract.SecurityRequirement> alternatives = op.getSecurityRequirements();
      java.util.List<java.util.Set<String>> names = alternatives.stream()
          .map(io.vertx.openapi.contract.SecurityRequirement::getNames).toList();
      if (anonymousMay.containsKey(id)) {
        assertThat(names).as(id).containsExactly(java.util.Set.of("ApiKeyAuth"), java.util.Set.of());
        assertThat(alternatives.get(0).getScopes("ApiKeyAuth")).as(id).containsExactly(anonymousMay.get(id));
      } else if (operate.contains(id)) {
        assertThat(names).as(id).containsExactly(java.util.Set.of("ApiKeyAuth"));
        assertThat(alternatives.get(0).getScopes("ApiKeyAuth")).as(id).containsExactly("operate");
      } else if (java.util.Set.of("changeModels", "createApiKey", "listApiKeys", "revokeApiKey", "rotateApiKey")
          .contains(id)) {
        assertThat(names).as(id).containsExactly(java.util.Set.of("AdminToken"), java.util.Set.of("ApiKeyAuth"));
        assertThat(alternatives.get(1).getScopes("ApiKeyAuth")).as(id).containsExactly("admin");
      } else if (id.equals("getUsage")) {
        assertThat(names).as(id).containsExactly(java.util.Set.of("ApiKeyAuth"));
        assertThat(alternatives.get(0).getScopes("ApiKeyAuth")).as(id).isEmpty();
      } else {
        assertThat(names).as(id + " inherits the optional key")
            .containsExactly(java.util.Set.of("ApiKeyAuth"), java.util.Set.of());
        assertThat(alternatives.get(0).getScopes("ApiKeyAuth")).as(id).isEmpty();
      }
      boolean scoped = alternatives.stream().anyMatch(r -> r.getNames().contains("ApiKeyAuth")
          && !r.getScopes("ApiKeyAuth").isEmpty());
      if (scoped) {
        assertThat(statuses(op)).as(id + " declares the 403 of a key without the scope").contains("403");
      }
    }
  }

  @Test
  void everyResponseDeclaresTheRequestIdHeader() {
    for (Operation op : contract.operations()) {
      for (String status : statuses(op)) {
        Response response = op.getResponse(Integer.parseInt(status));
        assertThat(response.getHeaders())
            .as("%s %s", op.getOperationId(), status)
            .anySatisfy(h -> assertThat(h.getName()).isEqualTo("X-Request-Id"));
      }
    }
  }

  @Test
  void routerBuilderBuildsARouterForEveryOperation(Vertx vertx) {
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    ContractSecurity.bind(builder);
    assertThat(builder.getRoutes()).hasSize(OPERATIONS.size());
    assertThat(builder.createRouter()).isNotNull();
  }

  /** Each parameter's validator is built once and keeps refusing what the schema refuses. */
  @Test
  void validatorsAreBuiltOncePerSchemaAndStillValidate() {
    OpenAPIContract cached = CachedValidators.of(contract);
    io.vertx.json.schema.JsonSchema limit = cached.operation("getActiveAlerts").getParameters().stream()
        .filter(p -> p.getName().equals("radius_km")).findFirst().orElseThrow().getSchema();
    io.vertx.json.schema.Validator first = cached.getSchemaRepository().validator(limit);
    assertThat(cached.getSchemaRepository().validator(limit)).isSameAs(first);
    assertThat(contract.getSchemaRepository().validator(limit)).as("the library builds a new one each time")
        .isNotSameAs(contract.getSchemaRepository().validator(limit));
    assertThat(first.validate(20.0).getValid()).isTrue();
    assertThat(first.validate(500.5).getValid()).isFalse();
    assertThat(first.validate(20.0).getValid()).isTrue();
  }

  /** vertx-openapi decodes query values twice; the node's extractor decodes them once (ValidationParameters). */
  @Test
  void queryValuesWithPlusAndPercentAreValidatedAsSent(Vertx vertx) throws Exception {
    RouterBuilder builder = ApiVerticle.routerBuilder(vertx, contract, List.of());
    builder.getRoute("getAlertHistory").addHandler(ctx -> ctx.response().end(ctx.request().getParam("from")));
    serve(vertx, builder, (client, port) -> {
      for (String from : List.of("2026-11-24T22:33:12%2B01:00", "2026-11-24T22:33:12Z", "2026-11-24T22:33:12-05:00")) {
        var response = await(client.get(port, "127.0.0.1", "/api/v1/alerts/history?from=" + from).send());
        assertThat(response.statusCode()).as(from).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo(java.net.URLDecoder.decode(from, java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(await(client.get(port, "127.0.0.1", "/api/v1/alerts/history?from=yesterday").send()).statusCode())
          .isEqualTo(400);
    });
  }

  /**
   * String parameters reach validation as JSON literals (ValidationParameters), so they must validate and come out
   * exactly as sent: a UUID (not a JSON value, which the library would throw on), and a free-form string holding
   * quotes, a backslash and a dash whose length limit counts only its own characters.
   */
  @Test
  void stringParametersAreValidatedAndPassedOnExactlyAsSent(Vertx vertx) throws Exception {
    RouterBuilder builder = ApiVerticle.routerBuilder(vertx, contract, List.of());
    builder.getRoute("getResult").addHandler(ctx -> {
      io.vertx.openapi.validation.ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
      var model = validated.getQuery().get("model_version");
      ctx.response().end(new JsonObject().put("id", validated.getPathParameters().get("image_id").getString())
          .put("model", model == null || model.isNull() ? null : model.getString()).encode());
    });
    String id = "5f0c1d6e-8a53-4a8e-9d0e-3c2b7f1a9e44";
    String model = "v\"1\\2-" + "x".repeat(122);  // 128 characters: the contract's maximum
    assertThat(model).hasSize(128);
    serve(vertx, builder, (client, port) -> {
      var response = await(client.get(port, "127.0.0.1", "/api/v1/results/" + id)
          .addQueryParam("model_version", model).send());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", id).put("model", model));
      assertThat(await(client.get(port, "127.0.0.1", "/api/v1/results/" + id)
          .addQueryParam("model_version", model + "x").send()).statusCode()).as("129 characters").isEqualTo(400);
      assertThat(await(client.get(port, "127.0.0.1", "/api/v1/results/" + id + "%22").send()).statusCode())
          .as("a quote after the UUID").isEqualTo(400);
      assertThat(await(client.get(port, "127.0.0.1", "/api/v1/results/not-a-uuid").send()).statusCode())
          .isEqualTo(400);
    });
  }

  /**
   * Requests without a body are validated on their event loop (InlineValidation), not on a worker thread as
   * vertx-openapi does: with the only worker thread held, a valid GET is still answered, and an invalid one still
   * refused with 400, as before; a POST with a body keeps the library's validation on the worker.
   */
  @Test
  void bodilessRequestsAreValidatedWithoutAWorkerThread() throws Exception {
    Vertx single = Vertx.vertx(new io.vertx.core.VertxOptions().setWorkerPoolSize(1));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    try {
      single.executeBlocking(() -> release.await(30, TimeUnit.SECONDS), false);
      RouterBuilder builder = ApiVerticle.routerBuilder(single, contract, List.of());
      builder.getRoute("getResult").addHandler(ctx -> {
        io.vertx.openapi.validation.ValidatedRequest validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        ctx.response().end(validated.getPathParameters().get("image_id").getString());
      });
      serve(single, builder, (client, port) -> {
        var response = await(client.get(port, "127.0.0.1", "/api/v1/results/" + IMAGE_ID).timeout(5_000).send());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo(IMAGE_ID);
        assertThat(await(client.get(port, "127.0.0.1", "/api/v1/results/not-a-uuid").timeout(5_000).send())
            .statusCode()).isEqualTo(400);
      });
    } finally {
      release.countDown();
      await(single.close());
    }
  }

  /** The cheap JSON literal of a string parameter is exactly what Jackson writes, whatever the string. */
  @Test
  void stringParameterLiteralsAreWhatJsonEncodeWrites() {
    for (String value : List.of("", IMAGE_ID, "2026-11-24T22:33:12+01:00", "v1.2_rc-3", "a b/c:d",
        "quote\"inside", "back\\slash", "tab\there", "line\nbreak", "\u0001", "del\u007f", "é", "日本", "\uD83C\uDF0A")) {
      assertThat(ValidationParameters.jsonString(value)).as(value).isEqualTo(Json.encode(value));
      assertThat(Json.decodeValue(ValidationParameters.jsonString(value))).as(value).isEqualTo(value);
    }
  }

  /** Requests against a router served on a free port. */
  @FunctionalInterface
  private interface Requests {
    void send(WebClient client, int port) throws Exception;
  }

  private void serve(Vertx vertx, RouterBuilder builder, Requests requests) throws Exception {
    Router router = ApiVerticle.createRouter(vertx, contract, builder);
    // Validation failures reach the failure handler with status 400.
    router.route().failureHandler(ctx -> ctx.response().setStatusCode(ctx.statusCode()).end());
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx);
    try {
      requests.send(client, server.actualPort());
    } finally {
      client.close();
      await(server.close());
    }
  }

  @Test
  void routerRejectsMalformedIdsAndOutOfRangeQueriesWith400(Vertx vertx) throws Exception {
    RouterBuilder builder = ApiVerticle.routerBuilder(vertx, contract, List.of());
    builder.getRoute("getResult").addHandler(ctx -> ctx.json(new JsonObject()));
    builder.getRoute("getActiveAlerts").addHandler(ctx -> ctx.json(new JsonObject()));
    serve(vertx, builder, (client, port) -> {
      assertThat(status(client, port, "/api/v1/results/" + IMAGE_ID)).isEqualTo(200);
      assertThat(status(client, port, "/api/v1/results/not-a-uuid")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9")).isEqualTo(200);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9&radius_km=500&limit=500"))
          .isEqualTo(200);
      // A missing point is the handler's refusal (either spelling may give it); a bad value the router's.
      assertThat(status(client, port, "/api/v1/alerts/active?lat=91&lon=86.9")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?lat=27.9&lon=86.9&radius=501")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=91&longitude=86.9")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=-180.5")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9&radius_km=0"))
          .isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9&radius_km=500.1"))
          .isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9&limit=0")).isEqualTo(400);
      assertThat(status(client, port, "/api/v1/alerts/active?latitude=27.9&longitude=86.9&limit=501")).isEqualTo(400);
    });
  }

  private static int status(WebClient client, int port, String uri) throws Exception {
    HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", uri).send());
    return response.statusCode();
  }

  // --- response bodies -------------------------------------------------------------------------

  @Test
  void acceptsACompletedImageResult() throws Exception {
    assertValid("getResult", 200, completedResult());
  }

  @Test
  void acceptsAPendingImageResultWithNulls() throws Exception {
    JsonObject pending = completedResult()
        .put("status", "pending")
        .put("filename", null)
        .put("location", null)
        .put("completed_at", null)
        .put("attempts", 0)
        .put("analysis", null);
    assertValid("getResult", 200, pending);
  }

  @Test
  void acceptsAProcessingImageResultWithTileProgress() throws Exception {
    JsonObject processing = completedResult()
        .put("status", "processing")
        .put("completed_at", null)
        .put("analysis", null)
        .put("progress", new JsonObject().put("tiles_done", 3).put("tiles_total", 16));
    assertValid("getResult", 200, processing);
  }

  @Test
  void acceptsDetectionsWithGeography() throws Exception {
    JsonObject result = completedResult();
    JsonObject detection = result.getJsonObject("analysis").getJsonArray("detections").getJsonObject(0);
    detection
        .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
            .add(new JsonArray().add(86.92).add(27.98))
            .add(new JsonArray().add(86.93).add(27.98))
            .add(new JsonArray().add(86.93).add(27.99))
            .add(new JsonArray().add(86.92).add(27.98)))))
        .put("centroid", new JsonObject().put("latitude", 27.985).put("longitude", 86.925))
        .put("area_m2", 412500.0);
    assertValid("getResult", 200, result);
  }

  @Test
  void rejectsAnUnknownRiskLevel() {
    JsonObject result = completedResult();
    result.getJsonObject("analysis").put("risk_level", "extreme");
    assertInvalid("getResult", 200, result);
  }

  @Test
  void rejectsAResultWithoutImageId() {
    JsonObject result = completedResult();
    result.remove("image_id");
    assertInvalid("getResult", 200, result);
  }

  @Test
  void rejectsAMalformedImageIdOrHash() {
    assertInvalid("getResult", 200, completedResult().put("image_id", "42"));
    assertInvalid("getResult", 200, completedResult().put("sha256", "ABC"));
  }

  @Test
  void rejectsOutOfRangeProbabilitiesAndCoordinates() {
    JsonObject result = completedResult();
    result.getJsonObject("analysis").put("flood_probability", 1.5);
    assertInvalid("getResult", 200, result);
    assertInvalid("getResult", 200,
        completedResult().put("location", new JsonObject().put("latitude", 95.0).put("longitude", 10.0)));
  }

  @Test
  void rejectsUndeclaredFields() {
    assertInvalid("getResult", 200, completedResult().put("md5", "d41d8cd98f00b204e9800998ecf8427e"));
    JsonObject result = completedResult();
    result.getJsonObject("analysis").getJsonArray("detections").getJsonObject(0).put("score", 0.5);
    assertInvalid("getResult", 200, result);
  }

  @Test
  void rejectsAnUnknownImageStatus() {
    assertInvalid("getResult", 200, completedResult().put("status", "done"));
  }

  @Test
  void acceptsAnErrorBodyForEveryDeclaredErrorStatus() throws Exception {
    JsonObject error = new JsonObject()
        .put("code", "not_found")
        .put("message", "no image with id " + IMAGE_ID)
        .put("request_id", "3f2a9c1e7b4d4e2f");
    assertValid("getResult", 404, error);
    assertValid("getResult", 400, error.copy().put("code", "invalid_request"));
    assertValid("analyzeSingle", 413, error.copy().put("code", "image_too_large"));
    assertValid("analyzeSingle", 415, error.copy().put("code", "unsupported_media_type"));
    assertValid("analyzeSingle", 422, error.copy().put("code", "truncated_image"));
    assertValid("analyzeSingle", 503, error.copy().put("code", "unavailable"));
  }

  @Test
  void rejectsAnErrorBodyWithoutRequestIdOrWithExtraFields() {
    JsonObject error = new JsonObject().put("code", "not_found").put("message", "gone");
    assertInvalid("getResult", 404, error);
    assertInvalid("getResult", 404, error.copy().put("request_id", "r1").put("stack", "..."));
    assertInvalid("getResult", 404, error.copy().put("request_id", "r1").put("code", "Not Found"));
  }

  @Test
  void tooManyRequestsRequiresRetryAfter() throws Exception {
    Buffer body = new JsonObject().put("code", "rate_limited").put("message", "slow down").put("request_id", "r1")
        .toBuffer();
    Map<String, String> headers = Map.of("Retry-After", "12", "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0");
    assertThat(await(validator.validate(ValidatableResponse.create(429, headers, body, JSON), "analyzeSingle")))
        .isNotNull();
    assertThatThrownBy(() -> await(validator.validate(ValidatableResponse.create(429, body, JSON), "analyzeSingle")))
        .isInstanceOf(ValidatorException.class)
        .hasMessageContaining("Retry-After");
  }

  @Test
  void acceptsAnalyzeAnswersAndBatchItems() throws Exception {
    JsonObject accepted = new JsonObject()
        .put("image_id", IMAGE_ID)
        .put("status", "pending")
        .put("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .put("cached", false)
        .put("filename", null)
        .put("links", new JsonObject().put("self", "/api/v1/results/" + IMAGE_ID));
    assertValid("analyzeSingle", 202, accepted);
    assertValid("analyzeSingle", 200, accepted.copy().put("status", "completed").put("cached", true)
        .put("analysis", completedResult().getJsonObject("analysis")));
    assertInvalid("analyzeSingle", 202, accepted.copy().put("priority", "urgent"));

    JsonObject rejectedItem = new JsonObject()
        .put("index", 1).put("filename", "notes.txt").put("status", "rejected").put("cached", false)
        .put("error", new JsonObject().put("code", "unsupported_media_type").put("message", "not an image")
            .put("request_id", "r1"));
    JsonObject batch = new JsonObject()
        .put("batch_id", "0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10")
        .put("total", 2).put("accepted", 1).put("rejected", 1)
        .put("items", new JsonArray()
            .add(new JsonObject().put("index", 0).put("filename", "a.jpg").put("image_id", IMAGE_ID)
                .put("status", "pending").put("cached", false))
            .add(rejectedItem))
        .put("links", new JsonObject().put("self", "/api/v1/batches/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10"));
    assertValid("analyzeBatch", 202, batch);
    JsonObject badBatch = batch.copy();
    badBatch.getJsonArray("items").getJsonObject(0).put("status", "queued");
    assertInvalid("analyzeBatch", 202, badBatch);
  }

  @Test
  void acceptsHealthWithEveryDependency() throws Exception {
    JsonObject dep = new JsonObject().put("status", "up").put("latency_ms", 1.5).put("message", null);
    JsonObject health = new JsonObject()
        .put("status", "degraded")
        .put("timestamp", "2025-11-28T20:15:00Z")
        .put("version", "0.1.0")
        .put("node_id", "node-a1")
        .put("roles", new JsonArray().add("api"))
        .put("uptime_seconds", 12)
        .put("dependencies", new JsonObject()
            .put("database", dep).put("redis", dep.copy().put("status", "down").put("message", "timeout"))
            .put("kafka", dep).put("object_store", dep)
            .put("model", dep.copy().put("status", "disabled").put("latency_ms", null)))
        .put("performance", new JsonObject()
            .put("images_processed", 0).put("images_failed", 0).put("avg_processing_time_ms", 0)
            .put("avg_inference_batch_size", 0).put("requests_total", 1).put("cache_hits", 0)
            .put("cache_misses", 0).put("queue_in_flight", 0));
    assertValid("getHealth", 200, health);
    assertValid("getHealth", 503, health.copy().put("status", "unhealthy"));
    JsonObject noModel = health.copy();
    noModel.getJsonObject("dependencies").remove("model");
    assertInvalid("getHealth", 200, noModel);
  }

  @Test
  void acceptsPrometheusTextAndTheYamlContract() throws Exception {
    Buffer metrics = Buffer.buffer("# TYPE geohazard_images_processed_total counter\ngeohazard_images_processed_total 3.0\n");
    assertThat(await(validator.validate(ValidatableResponse.create(200, metrics, "text/plain"), "getMetrics")))
        .isNotNull();
    Buffer yaml = Buffer.buffer("openapi: 3.1.0\n");
    assertThat(await(validator.validate(ValidatableResponse.create(200, yaml, "application/yaml"), "getContract")))
        .isNotNull();
  }

  /** Every example in the contract must satisfy the schema it illustrates. */
  @Test
  void everyResponseExampleMatchesItsSchema() throws Exception {
    List<String> checked = new ArrayList<>();
    for (Operation op : contract.operations()) {
      for (String status : statuses(op)) {
        Response response = op.getResponse(Integer.parseInt(status));
        for (Map.Entry<String, MediaType> content : response.getContent().entrySet()) {
          JsonObject examples = content.getValue().getOpenAPIModel().getJsonObject("examples", new JsonObject());
          for (String name : withoutAnnotations(examples.fieldNames())) {
            Object value = stripAnnotations(examples.getJsonObject(name).getValue("value"));
            Buffer body = value instanceof String s ? Buffer.buffer(s) : Buffer.buffer(Json.encode(value));
            Map<String, String> headers = Integer.parseInt(status) == 429 ? Map.of("Retry-After", "1") : Map.of();
            await(validator.validate(ValidatableResponse.create(Integer.parseInt(status), headers, body,
                content.getKey()), op.getOperationId()));
            checked.add(op.getOperationId() + " " + status + " " + name);
          }
        }
      }
    }
    assertThat(checked).hasSizeGreaterThan(15);
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * The status codes an operation declares. The resolved models of vertx-openapi carry bookkeeping keys
   * such as {@code __absolute_uri__} next to the contract's own keys; they are skipped.
   */
  private static List<String> statuses(Operation op) {
    return withoutAnnotations(op.getOpenAPIModel().getJsonObject("responses").fieldNames());
  }

  private static List<String> withoutAnnotations(Set<String> names) {
    return names.stream().filter(JsonSchema.EXCLUDE_ANNOTATIONS).sorted().toList();
  }

  /** A copy of an example value without the resolver's bookkeeping keys (at any depth). */
  private static Object stripAnnotations(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      for (String key : withoutAnnotations(object.fieldNames())) {
        copy.put(key, stripAnnotations(object.getValue(key)));
      }
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(stripAnnotations(item)));
      return copy;
    }
    return value;
  }

  private static JsonObject completedResult() {
    JsonObject analysis = new JsonObject()
        .put("landslide_probability", 0.87)
        .put("flood_probability", 0.04)
        .put("landslide_count", 1)
        .put("flood_count", 0)
        .put("detection_counts", new JsonObject().put("landslide", 1))
        .put("detections_count", 1)
        .put("confidence_score", 0.87)
        .put("risk_level", "high")
        .put("detections", new JsonArray().add(new JsonObject()
            .put("class_id", 0)
            .put("class_name", "landslide")
            .put("confidence", 0.87)
            .put("bbox", new JsonObject().put("x1", 120.5).put("y1", 64.0).put("x2", 388.0).put("y2", 301.25))))
        .put("processing_time_ms", 142.7)
        .put("model_version", "yolo11n-geohazard-1.0")
        .put("image_width", 1024)
        .put("image_height", 1024)
        .put("analyzed_at", "2025-11-28T20:11:05Z");
    return new JsonObject()
        .put("image_id", IMAGE_ID)
        .put("status", "completed")
        .put("sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .put("filename", "sentinel2_tile_T45RVL.tif")
        .put("content_type", "image/tiff")
        .put("size_bytes", 4_194_304L)
        .put("width", 1024)
        .put("height", 1024)
        .put("priority", "normal")
        .put("location", new JsonObject().put("latitude", 27.9881).put("longitude", 86.925))
        .put("created_at", "2025-11-28T20:11:02Z")
        .put("updated_at", "2025-11-28T20:11:05Z")
        .put("completed_at", "2025-11-28T20:11:05Z")
        .put("attempts", 1)
        .put("failure_reason", null)
        .put("progress", null)
        .put("analysis", analysis);
  }

  private static void assertValid(String operationId, int status, JsonObject body) throws Exception {
    ValidatedResponse validated =
        await(validator.validate(ValidatableResponse.create(status, body.toBuffer(), JSON), operationId));
    assertThat(validated).isNotNull();
  }

  private static void assertInvalid(String operationId, int status, JsonObject body) {
    assertThatThrownBy(
        () -> await(validator.validate(ValidatableResponse.create(status, body.toBuffer(), JSON), operationId)))
        .as("%s %d %s", operationId, status, body.encode())
        .isInstanceOf(ValidatorException.class);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(TIMEOUT_S, TimeUnit.SECONDS);
  }
}
