package org.geohazard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's request meters, under vertx-micrometer's names (the same series the dashboards and alert rules
 * read: requests, response time, request and response bytes, active requests, resets), each meter looked up once
 * per route, method and status and kept.
 *
 * <p>Why not vertx-micrometer's own: it finds five meters in the registry on every request (building their tag
 * sets and ids each time, and registering a gauge per request), 7-11 % of a node's CPU per cached read in the
 * flight recordings of BENCHMARKS.md; and it labels a request with every route it passed joined by {@code >}
 * ({@code /api/v1/results/:image_id>/api/v1/results/:image_id}), which no rule written against the contract's
 * paths matches. Here the route label is the contract's path template of the route that answered
 * ({@code /api/v1/results/{image_id}}; empty when no route matched), which is what {@code monitoring/alerts.yml}
 * selects on. Connection-level meters (active connections, bytes read and written) stay the library's:
 * {@code connections} receives those calls.
 *
 * <p>Thread-safe: the maps are concurrent, the meters are Micrometer's, and one request's state is touched only
 * by its connection's event loop.
 */
public final class RouteMeters implements HttpServerMetrics<RouteMeters.Request, Object, Object> {

  /** vertx-micrometer's names are relative to their domain's prefix. */
  private static final String PREFIX = MetricsDomain.HTTP_SERVER.getPrefix();
  /** HTTP's own methods; any other token a client sends is labelled {@code OTHER}. */
  private static final Set<HttpMethod> KNOWN_METHODS = Set.copyOf(HttpMethod.values());
  private static final HttpMethod OTHER = HttpMethod.valueOf("OTHER");

  private final HttpServerMetrics<?, ?, Object> connections;
  private final MeterRegistry registry;
  private final MetricsNaming names;
  /** Keyed by the routed name as Vert.x Web reports it (one per route definition, so the map stays small). */
  private final ConcurrentHashMap<String, String> routeLabels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ResponseKey, ResponseMeters> responseMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<HttpMethod, MethodMeters> methodMeters = new ConcurrentHashMap<>();

  /**
   * @param connections the library's metrics of the same server, for the connection-level calls
   * @param registry where the meters go
   * @param names the meter names (the node's vertx-micrometer naming)
   */
  @SuppressWarnings("unchecked")
  public RouteMeters(HttpServerMetrics<?, ?, ?> connections, MeterRegistry registry, MetricsNaming names) {
    this.connections = (HttpServerMetrics<?, ?, Object>) connections;
    this.registry = registry;
    this.names = names;
  }

  /** The contract's form of a route Vert.x Web reports: the last route passed, {@code :name} written {@code {name}}. */
  static String routeLabel(String routed) {
    String last = routed.substring(routed.lastIndexOf('>') + 1);
    if (last.indexOf(':') < 0) {
      return last;
    }
    String[] segments = last.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (segments[i].startsWith(":")) {
        segments[i] = "{" + segments[i].substring(1) + "}";
      }
    }
    return String.join("/", segments);
  }

  /**
   * The method label: one of HTTP's own methods, else {@code OTHER} (a client may send any token as a method, and
   * each distinct one would otherwise make meters that are never freed).
   */
  static HttpMethod labelled(HttpMethod method) {
    return KNOWN_METHODS.contains(method) ? method : OTHER;
  }

  // ---- requests

  @Override
  public Request requestBegin(Object socket, HttpRequest request) {
    MethodMeters method = methodMeters(labelled(request.method()));
    method.active.increment();
    return new Request(method, System.nanoTime());
  }

  @Override
  public void requestRouted(Request request, String route) {
    if (request != null && route != null) {
      request.routed = route;
    }
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    if (request == null) {
      return;
    }
    request.method.requestBytes.record(bytesRead);
    request.requestEnded = true;
    if (request.responseEnded && !request.reset) {
      request.method.active.decrement();
    }
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    if (request == null) {
      return;
    }
    String routed = request.routed;
    String route = routed == null ? "" : routeLabels.computeIfAbsent(routed, RouteMeters::routeLabel);
    ResponseMeters meters = responseMeters.computeIfAbsent(
        new ResponseKey(route, request.method.method, response.statusCode()), this::responseMeters);
    meters.requests.increment();
    meters.responseTime.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
    meters.responseBytes.record(bytesWritten);
    request.responseEnded = true;
    if (request.requestEnded && !request.reset) {
      request.method.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    if (request == null || request.reset) {
      return;
    }
    request.reset = true;
    request.method.resets.increment();
    // Still active unless both ends were already counted; the ends that come after a reset decrement nothing.
    if (!(request.requestEnded && request.responseEnded)) {
      request.method.active.decrement();
    }
  }

  // ---- connections: the library's

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return connections.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    connections.disconnected(socket, remoteAddress);
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesRead(socket, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesWritten(socket, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable t) {
    connections.exceptionOccurred(socket, remoteAddress, t);
  }

  @Override
  public void close() {
    connections.close();
  }

  // ---- the meters, made once

  private MethodMeters methodMeters(HttpMethod method) {
    MethodMeters meters = methodMeters.get(method);
    return meters != null ? meters : methodMeters.computeIfAbsent(method, m -> new MethodMeters(m, registry, names));
  }

  private ResponseMeters responseMeters(ResponseKey key) {
    String method = key.method().name();
    String code = Integer.toString(key.code());
    return new ResponseMeters(
        Counter.builder(PREFIX + names.getHttpRequestsCount()).description("Number of processed requests")
            .tags("route", key.route(), "method", method, "code", code).register(registry),
        Timer.builder(PREFIX + names.getHttpResponseTime()).description("Request processing time")
            .tags("route", key.route(), "method", method, "code", code).register(registry),
        DistributionSummary.builder(PREFIX + names.getHttpResponseBytes()).description("Size of responses in bytes")
            .tags("route", key.route(), "method", method, "code", code).register(registry));
  }

  private record ResponseKey(String route, HttpMethod method, int code) {}

  private record ResponseMeters(Counter requests, Timer responseTime, DistributionSummary responseBytes) {}

  /** The meters tagged by method alone (as vertx-micrometer tags them). */
  private static final class MethodMeters {
    final HttpMethod method;
    final LongAdder active = new LongAdder();
    final DistributionSummary requestBytes;
    final Counter resets;

    MethodMeters(HttpMethod method, MeterRegistry registry, MetricsNaming names) {
      this.method = method;
      String name = method.name();
      Gauge.builder(PREFIX + names.getHttpActiveRequests(), active, LongAdder::doubleValue)
          .description("Number of requests being processed").tag("method", name).register(registry);
      requestBytes = DistributionSummary.builder(PREFIX + names.getHttpRequestBytes()).description("Size of requests in bytes")
          .tag("method", name).register(registry);
      resets = Counter.builder(PREFIX + names.getHttpRequestResetsCount()).description("Number of request resets")
          .tag("method", name).register(registry);
    }
  }

  /** One request's state, from its first byte to the end of its response. */
  public static final class Request {
    private final MethodMeters method;
    private final long startNanos;
    private String routed;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(MethodMeters method, long startNanos) {
      this.method = method;
      this.startNanos = startNanos;
    }
  }
}
