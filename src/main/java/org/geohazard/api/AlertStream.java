package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.auth.ApiKeyHash;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertFilter;
import org.geohazard.bus.AlertRaised;
import org.geohazard.bus.Failure;

/**
 * {@code GET /api/v1/alerts/stream}: Server-Sent Events of every alert raised or changed anywhere in the
 * cluster ({@code alerts.raised} is published to every node). Each event's id is the change's own id, the
 * same on every node, so a client that reconnects (to this node or another) with {@code Last-Event-ID} is
 * sent what it missed from the last {@link #REPLAY} changes this node holds. A comment every
 * {@link #HEARTBEAT_MS} keeps proxies from closing idle streams; a client that cannot keep up (its write
 * queue full) is disconnected rather than buffered without bound. Lives on its API verticle's event loop.
 */
final class AlertStream {

  static final int REPLAY = 1000;
  static final long HEARTBEAT_MS = 15_000;

  private record Event(String id, long atMillis, Alert alert, String data) {}

  /** {@code keyHash}: the SHA-256 of the key the stream was opened with (null: none), to end it when it is revoked. */
  private record Client(HttpServerResponse response, AlertFilter filter, String keyHash) {}

  private final ArrayDeque<Event> replay = new ArrayDeque<>();
  private final Set<Client> clients = new HashSet<>();

  private final StreamCaps caps;

  AlertStream(Vertx vertx, StreamCaps caps) {
    this.caps = caps;
    Addresses.ALERTS_RAISED.subscribe(vertx.eventBus(), this::onChange);
    // A key revoked or rotated away: its open streams end (a client reconnecting with it is then refused, or,
    // during a rotation's overlap, let in again); otherwise a leaked key's stream would outlive its revocation.
    Addresses.API_KEYS_EVICTED.subscribe(vertx.eventBus(), this::endStreamsOf);
    vertx.setPeriodic(HEARTBEAT_MS, id -> {
      for (Client client : List.copyOf(clients)) {
        send(client, ": keep-alive\n\n");
      }
    });
  }

  void open(RoutingContext ctx) {
    AlertFilter filter = filter(ctx);
    // Counted per key, else per address (what admission resolved, a trusted proxy's forwarded client included).
    Long keyId = ctx.get(ApiVerticle.API_KEY_ID);
    String holder = keyId != null ? "key:" + keyId : "ip:" + ctx.get(Admission.CLIENT_ADDRESS);
    if (!caps.tryOpen(holder)) {
      throw new Failure(Failure.Code.RATE_LIMITED, "this client holds " + caps.cap() + " open alert streams on this"
          + " node, the most allowed (rateLimit.streamsPerClient); close one first",
          new JsonObject().put("limit", caps.cap()).put("retry_after_seconds", 5));
    }
    HttpServerResponse response = ctx.response();
    boolean[] released = {false};
    Runnable release = () -> {
      if (!released[0]) {
        released[0] = true;
        caps.closed(holder);
      }
    };
    response.endHandler(v -> release.run());
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        // nginx would otherwise buffer the stream.
        .putHeader("X-Accel-Buffering", "no");
    String presented = ctx.request().getHeader(ApiVerticle.API_KEY_HEADER);
    Client client = new Client(response, filter, keyId == null || presented == null ? null
        : ApiKeyHash.of(presented.trim()));
    clients.add(client);
    response.closeHandler(v -> {
      clients.remove(client);
      release.run();
    });
    response.exceptionHandler(e -> clients.remove(client));
    send(client, "retry: 3000\n: connected\n\n");
    String last = ctx.request().getHeader("Last-Event-ID");
    if (last != null && !last.isBlank()) {
      for (Event event : missedAfter(last.strip())) {
        if (filter.accepts(event.alert())) {
          send(client, event.data());
        }
      }
    }
  }

  private void endStreamsOf(String keyHash) {
    for (Client client : List.copyOf(clients)) {
      if (keyHash.equals(client.keyHash())) {
        clients.remove(client);
        if (!client.response().ended() && !client.response().closed()) {
          client.response().end();
        }
      }
    }
  }

  private void onChange(AlertRaised change) {
    JsonObject data = change.alert().toJson().put("created", change.created());
    String id = change.eventId();
    Event event = new Event(id, Instant.parse(change.at()).toEpochMilli(), change.alert(),
        "id: " + id + "\nevent: alert\ndata: " + data.encode() + "\n\n");
    replay.addLast(event);
    while (replay.size() > REPLAY) {
      replay.removeFirst();
    }
    for (Client client : List.copyOf(clients)) {
      if (client.filter().accepts(event.alert())) {
        send(client, event.data());
      }
    }
  }

  /** The held events after the one with this id; if it is not held any more, those after its time. */
  private List<Event> missedAfter(String lastId) {
    List<Event> after = new ArrayList<>();
    boolean found = replay.stream().anyMatch(e -> e.id().equals(lastId));
    long lastMillis = parseMillis(lastId);
    boolean passed = false;
    for (Event event : replay) {
      if (found) {
        if (passed) {
          after.add(event);
        } else if (event.id().equals(lastId)) {
          passed = true;
        }
      } else if (event.atMillis() > lastMillis) {
        after.add(event);
      }
    }
    return after;
  }

  private static long parseMillis(String id) {
    try {
      return Long.parseLong(id.substring(0, Math.max(0, id.indexOf('-'))));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;  // an id this node never gave: nothing to replay
    }
  }

  private void send(Client client, String text) {
    if (client.response().closed() || client.response().ended()) {
      clients.remove(client);
      return;
    }
    if (client.response().writeQueueFull()) {
      // Too slow to follow: drop it (it reconnects with Last-Event-ID) rather than hold its backlog.
      clients.remove(client);
      client.response().reset();
      return;
    }
    client.response().write(text);
  }

  private static AlertFilter filter(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    Map<String, RequestParameter> query = request.getQuery();
    double latitude = QueryHandlers.number(query, "latitude", Double.NaN);
    double longitude = QueryHandlers.number(query, "longitude", Double.NaN);
    double radiusKm = QueryHandlers.number(query, "radius_km", QueryHandlers.DEFAULT_RADIUS_KM);
    RequestParameter box = query.get("bbox");
    RequestParameter type = query.get("type");
    RequestParameter severity = query.get("min_severity");
    try {
      double[] bbox = null;
      if (box != null && !box.isNull()) {
        // The contract's pattern lets "1.2.3" through: a NumberFormatException here is the caller's 400 too.
        String[] parts = box.get().toString().split(",");
        bbox = new double[4];
        for (int i = 0; i < 4; i++) {
          bbox[i] = Double.parseDouble(parts[i]);
        }
      }
      return new AlertFilter(Double.isNaN(latitude) ? null : latitude, Double.isNaN(longitude) ? null : longitude,
          radiusKm, bbox, type == null || type.isNull() ? null : Hazard.fromWire(type.get().toString()),
          severity == null || severity.isNull() ? null : RiskLevel.fromWire(severity.get().toString()));
    } catch (IllegalArgumentException e) {
      throw Failure.invalidRequest(e.getMessage());
    }
  }
}
