package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Locale;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.geohazard.auth.Scope;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertRulesService;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.AlertTransition;
import org.geohazard.bus.AlertsHistoryQuery;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ServiceBus;

/**
 * One alert (JSON or CAP 1.2), its acknowledgement and resolution (with an API key), the history of alerts
 * in a window, and the Atom feed of active alerts with their CAP messages.
 */
final class AlertHandlers {

  static final String CAP = "application/cap+xml";
  static final int FEED_LIMIT = 500;

  private final Vertx vertx;
  private final AlertService alerts;
  private final AlertRulesService rules;
  private final CapWriter cap;

  AlertHandlers(Vertx vertx, CapWriter cap) {
    this.vertx = vertx;
    this.alerts = ServiceBus.client(vertx.eventBus(), AlertService.class);
    this.rules = ServiceBus.client(vertx.eventBus(), AlertRulesService.class);
    this.cap = cap;
  }

  void alert(RoutingContext ctx) {
    String alertId = QueryHandlers.uuidPathParameter(ctx, "alert_id");
    boolean asCap = "cap".equals(ctx.request().getParam("format")) || prefersCap(ctx.request().getHeader("Accept"));
    alerts.get(alertId)
        .onSuccess(alert -> {
          if (!alert.state().isPublic() && !ContractSecurity.keyGrants(ctx, Scope.OPERATE)) {
            // An alert held for an operator does not exist for anyone else (the same answer as an unknown id).
            ErrorResponses.send(ctx, Failure.notFound("no alert with id " + alertId));
            return;
          }
          if (asCap) {
            ctx.response().setStatusCode(200).putHeader("Content-Type", CAP).end(cap.message(alert, Instant.now()));
          } else {
            // Operators see which upload raised it; the public sees the alert alone.
            QueryHandlers.json(ctx, 200, ContractSecurity.keyGrants(ctx, Scope.OPERATE) ? alert.toOperatorJson()
                : alert.toJson());
          }
        })
        .onFailure(ctx::fail);
  }

  void acknowledge(RoutingContext ctx) {
    transition(ctx, AlertTransition.Action.ACKNOWLEDGE);
  }

  void resolve(RoutingContext ctx) {
    transition(ctx, AlertTransition.Action.RESOLVE);
  }

  /** An operator vouches for an unverified alert: it is published (see {@code alerts.AlertsVerticle}). */
  void confirm(RoutingContext ctx) {
    transition(ctx, AlertTransition.Action.CONFIRM);
  }

  /** {@code GET /api/v1/alerts/unverified}: what waits for an operator's confirmation, newest first. */
  void unverified(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    int limit = (int) QueryHandlers.number(request.getQuery(), "limit", 200);
    Instant now = Instant.now();
    // Unverified alerts expire as any alert does: raised within the longest possible life of one (a year).
    AlertsHistoryQuery held = new AlertsHistoryQuery(now.minusSeconds(366L * 24 * 3600).toString(),
        now.plusSeconds(1).toString(), null, null, null, false, true, limit);
    alerts.history(held)
        .onSuccess(found -> QueryHandlers.json(ctx, 200, new JsonObject()
            .put("alerts", Alert.toOperatorJson(found))
            .put("count", found.size())))
        .onFailure(ctx::fail);
  }

  /** A change of an alert's state is an operator's act: a key with {@code operate} (the contract), whose name is recorded. */
  private void transition(RoutingContext ctx, AlertTransition.Action action) {
    String alertId = QueryHandlers.uuidPathParameter(ctx, "alert_id");
    String by = ctx.get(ApiVerticle.API_KEY_NAME);
    if (by == null) {
      throw new Failure(Failure.Code.API_KEY_REQUIRED, "to " + action.name().toLowerCase(Locale.ROOT) + " an alert, send the X-API-Key of an operator");
    }
    rules.transition(new AlertTransition(alertId, action, by))
        .onSuccess(alert -> QueryHandlers.json(ctx, 200, alert.toOperatorJson()))
        .onFailure(ctx::fail);
  }

  void history(RoutingContext ctx) {
    ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    Map<String, RequestParameter> query = request.getQuery();
    Instant from = instant(query, "from", null);
    Instant to = instant(query, "to", Instant.now());
    if (!from.isBefore(to)) {
      throw Failure.invalidRequest("'from' must be before 'to'");
    }
    double latitude = QueryHandlers.number(query, "latitude", Double.NaN);
    double longitude = QueryHandlers.number(query, "longitude", Double.NaN);
    if (Double.isNaN(latitude) != Double.isNaN(longitude)) {
      throw Failure.invalidRequest("give latitude and longitude together, or neither");
    }
    double radiusKm = QueryHandlers.number(query, "radius_km", QueryHandlers.DEFAULT_RADIUS_KM);
    int limit = (int) QueryHandlers.number(query, "limit", 200);
    AlertsHistoryQuery history = new AlertsHistoryQuery(from.toString(), to.toString(),
        Double.isNaN(latitude) ? null : latitude, Double.isNaN(longitude) ? null : longitude,
        Double.isNaN(latitude) ? null : radiusKm, false, false, limit);
    alerts.history(history)
        .onSuccess(found -> QueryHandlers.json(ctx, 200, new JsonObject()
            .put("alerts", Alert.toJson(found))
            .put("count", found.size())))
        .onFailure(ctx::fail);
  }

  void feed(RoutingContext ctx) {
    Instant now = Instant.now();
    // Active now: raised within the longest possible life of an alert (a year bounds the scan).
    AlertsHistoryQuery active = new AlertsHistoryQuery(now.minusSeconds(366L * 24 * 3600).toString(),
        now.plusSeconds(1).toString(), null, null, null, true, false, FEED_LIMIT);
    alerts.history(active)
        .onSuccess(found -> ctx.response().setStatusCode(200).putHeader("Content-Type", "application/atom+xml")
            .end(cap.feed(found, now, feedUrl(ctx))))
        .onFailure(ctx::fail);
  }

  private static String feedUrl(RoutingContext ctx) {
    String host = ctx.request().getHeader("Host");
    return (host == null ? "" : "http://" + host) + "/api/v1/alerts/feed";
  }

  static boolean prefersCap(String accept) {
    if (accept == null) {
      return false;
    }
    int cap = accept.indexOf(CAP);
    int json = accept.indexOf("application/json");
    return cap >= 0 && (json < 0 || cap < json);
  }

  private static Instant instant(Map<String, RequestParameter> query, String name, Instant fallback) {
    RequestParameter parameter = query.get(name);
    if (parameter == null || parameter.isNull()) {
      if (fallback == null) {
        throw Failure.invalidRequest("'" + name + "' is required");
      }
      return fallback;
    }
    OffsetDateTime parsed;
    try {
      parsed = OffsetDateTime.parse(parameter.get().toString());
    } catch (DateTimeParseException e) {
      throw Failure.invalidRequest("'" + name + "' must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T00:00:00Z");
    }
    // java.time takes years to ±999 999 999, whose milliseconds overflow a long further on.
    if (parsed.getYear() < 0 || parsed.getYear() > 9999) {
      throw Failure.invalidRequest("'" + name + "' must lie in the years 0000 to 9999");
    }
    return parsed.toInstant();
  }
}
