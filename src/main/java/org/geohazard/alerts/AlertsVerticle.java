package org.geohazard.alerts;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertDraft;
import org.geohazard.bus.AlertRaised;
import org.geohazard.bus.AlertRulesService;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.AlertTransition;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ResultSaved;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
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

  private final RedisCache cache;
  private final KafkaPublisher publisher;
  private final String alertsTopic;
  private final AlertRules rules;
  private final AppConfig.Webhooks webhookConfig;
  private WebhookDelivery webhooks;
  private List<MessageConsumer<Envelope>> consumers = List.of();
  private AlertService alerts;

  private final NodeMetrics metrics;

  /**
   * @param cache holds the generation that invalidates cached active-alert queries
   * @param publisher sends {@code alerts.critical}
   */
  public AlertsVerticle(AppConfig.Alerts config, String alertsTopic, RedisCache cache, KafkaPublisher publisher,
                        NodeMetrics metrics) {
    this.metrics = metrics;
    this.cache = cache;
    this.publisher = publisher;
    this.alertsTopic = alertsTopic;
    this.webhookConfig = config.webhooks();
    this.rules = new AlertRules(RiskLevel.fromWire(config.minRiskLevel()), config.ttlHours());
  }

  @Override
  public Future<?> start() {
    webhooks = new WebhookDelivery(vertx, webhookConfig);
    alerts = ServiceBus.client(vertx.eventBus(), AlertService.class);
    AlertRulesService service = new AlertRulesService() {
      @Override
      public Future<Void> evaluate(ResultSaved result) {
        return onResult(result);
      }

      @Override
      public Future<Alert> transition(AlertTransition change) {
        return AlertsVerticle.this.transition(change);
      }
    };
    consumers = ServiceBus.serve(vertx.eventBus(), AlertRulesService.class, service,
        (operation, error) -> Failure.unavailable(String.valueOf(error.getMessage())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /**
   * Completes once every alert of the result is stored and announced, and fails if one is not: the pipeline then
   * sends the result again (saving merges, so nothing is raised twice). A result the rules cannot read is logged
   * and settled: evaluating it again would fail the same way.
   */
  private Future<Void> onResult(ResultSaved event) {
    List<AlertDraft> drafts;
    try {
      drafts = rules.evaluate(event.imageId(), event.analysis(), event.latitude(), event.longitude(), event.gsdM());
    } catch (RuntimeException e) {
      LOG.warn("cannot evaluate alerts for image {}: {}", event.imageId(), e.getMessage());
      return Future.succeededFuture();
    }
    List<Future<?>> raised = new ArrayList<>();
    for (AlertDraft draft : drafts) {
      raised.add(raise(draft));
    }
    return Future.join(raised).<Void>mapEmpty().onFailure(error -> LOG.warn("alert for image {} not raised: {};"
        + " the result will be sent again", event.imageId(), error.getMessage()));
  }

  private Future<Void> raise(AlertDraft draft) {
    return alerts.save(draft)
        .compose(saved -> {
          if (saved.unchanged()) {
            LOG.info("image {} has its {} alert {} already ({}): nothing raised", draft.imageId(),
                draft.alertType().wireName(), saved.alert().alertId(), saved.alert().state().wireName());
            return Future.<Void>succeededFuture();
          }
          if (!saved.alert().state().isPublic()) {
            // Held for an operator: nothing goes out (no Kafka record, stream event or webhook) until confirmed.
            LOG.info("alert {} {} unverified ({}) at {}, {}: held for an operator", saved.alert().alertId(),
                saved.created() ? "raised" : "changed", saved.alert().severity().wireName(),
                saved.alert().latitude(), saved.alert().longitude());
            return Future.<Void>succeededFuture();
          }
          return announce(saved.created(), saved.alert());
        });
  }

  /**
   * An operator's acknowledgement or resolution: stored, then announced like a merge (not a new alert). A
   * confirmation publishes an unverified alert: announced as raised. A change of an alert that is not public
   * (an unverified one rejected) is announced to no one.
   */
  private Future<Alert> transition(AlertTransition change) {
    return alerts.transition(change)
        .compose(alert -> alert.state().isPublic()
            ? announce(change.action() == AlertTransition.Action.CONFIRM, alert).map(alert)
            : Future.succeededFuture(alert));
  }

  /**
   * Every change of an alert goes out the same way: the cached active lists are invalidated first (a client
   * that hears of the alert must find it), then {@code alerts.critical}, then {@code alerts.raised} to every node.
   */
  private Future<Void> announce(boolean created, Alert alert) {
    AlertRaised record = new AlertRaised(created, alert, Instant.now().toString());
    // Invalidate first: a client that hears about the alert must find it in the active list.
    return cache.increment(CacheKeys.ALERTS_GENERATION)
        .<Void>mapEmpty()
        .recover(error -> Future.succeededFuture())
        .compose(v -> publisher.send(alertsTopic, alert.alertId(), record.toJson()))
        .onSuccess(v -> {
          Addresses.ALERTS_RAISED.publish(vertx.eventBus(), record);
          metrics.alertAnnounced(created, alert.alertType().wireName(), alert.severity().wireName());
          webhooks.deliver(record);
          LOG.info("alert {} {} ({}, {}) at {}, {}", created ? "raised" : "changed", alert.alertId(),
              alert.severity().wireName(), alert.state().wireName(), alert.latitude(), alert.longitude());
        });
  }


  @Override
  public Future<?> stop() {
    if (webhooks != null) {
      webhooks.close();
    }
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
