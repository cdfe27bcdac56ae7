package org.geohazard.alerts;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Addresses;
import org.geohazard.cache.CacheKeys;
import org.geohazard.config.AppConfig;
import org.geohazard.node.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored results into alerts: applies {@link AlertRules}, stores (or merges) each alert through
 * persistence, sends it to {@code alerts.critical}, invalidates the cached active-alert queries and
 * publishes {@code alerts.raised} to every node. Saving is idempotent (one alert per image and
 * hazard, merged with nearby ones), so a redelivered result cannot raise a second alert.
 */
public final class AlertsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertsVerticle.class);

  private final NodeServices services;
  private final AlertRules rules;
  private MessageConsumer<JsonObject> consumer;

  public AlertsVerticle(NodeServices services) {
    this.services = services;
    AppConfig.Alerts config = services.config().alerts();
    this.rules = new AlertRules(RiskLevel.fromWire(config.minRiskLevel()), config.ttlHours());
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.RESULTS_SAVED, message -> onResult(message.body()));
    return consumer.completion();
  }

  private void onResult(JsonObject event) {
    List<AlertDraft> drafts;
    try {
      drafts = rules.evaluate(event.getString("image_id"), Analysis.fromJson(event.getJsonObject("analysis")),
          event.getDouble("latitude"), event.getDouble("longitude"), event.getDouble("gsd_m"));
    } catch (RuntimeException e) {
      LOG.warn("cannot evaluate alerts for image {}: {}", event.getString("image_id"), e.getMessage());
      return;
    }
    List<Future<?>> raised = new ArrayList<>();
    for (AlertDraft draft : drafts) {
      raised.add(raise(draft));
    }
    Future.join(raised).onFailure(error -> LOG.warn("alert for image {} not raised: {}",
        event.getString("image_id"), error.getMessage()));
  }

  private Future<Void> raise(AlertDraft draft) {
    return vertx.eventBus().<JsonObject>request(Addresses.PERSISTENCE_ALERTS_SAVE, draft.toJson())
        .compose(reply -> {
          JsonObject alert = reply.body().getJsonObject("alert");
          boolean created = reply.body().getBoolean("created");
          JsonObject record = new JsonObject().put("v", 1).put("created", created).put("alert", alert);
          // Invalidate first: a client that hears about the alert must find it in the active list.
          return services.cache().increment(CacheKeys.ALERTS_GENERATION)
              .<Void>mapEmpty()
              .recover(error -> Future.succeededFuture())
              .compose(v -> services.publisher().send(services.config().kafka().topicAlerts(),
                  alert.getString("alert_id"), record))
              .onSuccess(v -> {
                vertx.eventBus().publish(Addresses.ALERTS_RAISED, record);
                LOG.info("alert {} {} ({}) at {}, {}", created ? "raised" : "merged", alert.getString("alert_id"),
                    alert.getString("severity"), alert.getDouble("latitude"), alert.getDouble("longitude"));
              });
        });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
