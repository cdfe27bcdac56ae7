package org.geohazard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.geohazard.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Vert.x HTTP server and router, metered through {@link NodeMetricsFactory} into a Prometheus registry. */
class RouteMetersTest {

  private PrometheusMeterRegistry registry;
  private Vertx vertx;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE)))
        .withMetrics(new NodeMetricsFactory(registry)).build();
    Router router = Router.router(vertx);
    // Two routes on one path, as the node's contract router puts its validation before the operation: Vert.x Web
    // reports both, and vertx-micrometer's own meters joined them into "/items/:id>/items/:id".
    router.get("/items/:id").handler(ctx -> ctx.next());
    router.get("/items/:id").handler(ctx -> ctx.response().end("item " + ctx.pathParam("id")));
    router.post("/items").handler(BodyHandler.create()).handler(ctx -> ctx.response().setStatusCode(201).end());
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0));
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void aRequestIsCountedUnderTheContractsPathTemplateWithMethodAndStatus() throws Exception {
    assertThat(get("/items/a").bodyAsString()).isEqualTo("item a");
    get("/items/b");
    get("/nowhere");
    settled();
    Counter items = registry.get("vertx.http.server.requests")
        .tags("route", "/items/{id}", "method", "GET", "code", "200").counter();
    assertThat(items.count()).isEqualTo(2);
    assertThat(registry.get("vertx.http.server.requests").tags("route", "", "code", "404").counter().count())
        .isEqualTo(1);
    Timer time = registry.get("vertx.http.server.response.time").tags("route", "/items/{id}", "code", "200").timer();
    assertThat(time.count()).isEqualTo(2);
    assertThat(time.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    DistributionSummary bytes = registry.get("vertx.http.server.response.bytes")
        .tags("route", "/items/{id}", "code", "200").summary();
    assertThat(bytes.count()).isEqualTo(2);
    assertThat(bytes.totalAmount()).isGreaterThanOrEqualTo(2 * "item a".length());
    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/items/{id}\"} 2.0")
        .contains("vertx_http_server_response_time_seconds_count{code=\"200\",method=\"GET\",route=\"/items/{id}\"} 2")
        .doesNotContain(":id")
        // the connection-level meters are still the library's
        .contains("vertx_http_server_active_connections");
  }

  @Test
  void requestBytesAreMeteredPerMethodAndActiveRequestsReturnToZero() throws Exception {
    HttpResponse<Buffer> created = await(client.request(HttpMethod.POST, port, "127.0.0.1", "/items")
        .sendBuffer(Buffer.buffer("x".repeat(1000))));
    assertThat(created.statusCode()).isEqualTo(201);
    get("/items/a");
    settled();
    assertThat(registry.get("vertx.http.server.request.bytes").tags("method", "POST").summary().totalAmount())
        .isEqualTo(1000);
    assertThat(registry.get("vertx.http.server.requests").tags("route", "/items", "method", "POST", "code", "201")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("vertx.http.server.active.requests").tags("method", "POST").gauge().value()).isZero();
    assertThat(registry.get("vertx.http.server.active.requests").tags("method", "GET").gauge().value()).isZero();
  }

  @Test
  void anyMethodTokenBeyondHttpsOwnIsLabelledOther() throws Exception {
    for (String token : new String[] {"FROB1", "FROB2", "FROB3"}) {
      await(client.request(HttpMethod.valueOf(token), port, "127.0.0.1", "/items/a").send());
    }
    settled();
    // Three made-up methods, one set of meters: a client cannot grow the registry by inventing methods.
    assertThat(registry.find("vertx.http.server.requests").counters())
        .allSatisfy(counter -> assertThat(counter.getId().getTag("method")).isEqualTo("OTHER"))
        .extracting(Counter::count).containsExactly(3.0);
    assertThat(registry.find("vertx.http.server.active.requests").gauges()).hasSize(1);
    assertThat(RouteMeters.labelled(HttpMethod.PATCH)).isEqualTo(HttpMethod.PATCH);
  }

  @Test
  void theRouteLabelIsTheLastRoutePassedWrittenAsTheContractWritesIt() {
    assertThat(RouteMeters.routeLabel("/api/v1/results/:image_id>/api/v1/results/:image_id"))
        .isEqualTo("/api/v1/results/{image_id}");
    assertThat(RouteMeters.routeLabel("/a/:x/b/:y")).isEqualTo("/a/{x}/b/{y}");
    assertThat(RouteMeters.routeLabel("/metrics")).isEqualTo("/metrics");
    assertThat(RouteMeters.routeLabel("/first>/second/")).isEqualTo("/second/");
    assertThat(RouteMeters.routeLabel("")).isEmpty();
  }

  /**
   * Waits (5 s at most) until the server has closed the books on every request sent: it meters a response once its
   * last bytes are written, which can be just after the client has read them.
   */
  private void settled() throws Exception {
    Poll.until("every request's books closed",
        () -> registry.find("vertx.http.server.active.requests").gauges().stream().mapToDouble(g -> g.value()).sum(),
        active -> active == 0, Duration.ofSeconds(5), Duration.ofMillis(10));
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(port, "127.0.0.1", path).send());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
