package org.geohazard.bus;

import org.geohazard.analysis.Analysis;

/**
 * Every event-bus address, in one place, named {@code <area>.<verb>}, each with the record it takes and the
 * record it answers with (codecs: {@link Messages}). Local addresses carry pixels or node-local work.
 */
public final class Addresses {
  private Addresses() {}

  /** Local: analyse one stored image with the node's models. */
  public static final Address<ImageClaim, Analysis> INFERENCE_DETECT =
      new Address<>("inference.detect", ImageClaim.class, Analysis.class, true);
  /** Local: the loaded models; fails when none is loaded. */
  public static final Address<HealthQuery, InferenceStatus> INFERENCE_HEALTH =
      new Address<>("inference.health", HealthQuery.class, InferenceStatus.class, true);

  /**
   * Local, one per inference verticle (suffix: its device id): change the models it serves without a restart;
   * replies with what it serves afterwards.
   */
  public static final Address<ModelInstall, InferenceStatus> INFERENCE_MODELS_INSTALL =
      new Address<>("inference.models.install", ModelInstall.class, InferenceStatus.class, true);
  /**
   * One per node (suffix: its cluster member id): hands a model change to each of the node's inference verticles;
   * replies with what the node serves afterwards.
   */
  public static final Address<ModelInstall, InferenceStatus> NODE_MODELS_INSTALL =
      new Address<>("node.models.install", ModelInstall.class, InferenceStatus.class, false);
  /** One per node (suffix: its cluster member id): the whole summaries of the models it serves, cards included. */
  public static final Address<HealthQuery, InferenceStatus> NODE_MODELS_DESCRIBE =
      new Address<>("node.models.describe", HealthQuery.class, InferenceStatus.class, false);

  /** Insert-or-get an image row by content hash. */
  public static final Address<ImageRegistration, Registration> PERSISTENCE_IMAGES_REGISTER =
      new Address<>("persistence.images.register", ImageRegistration.class, Registration.class, false);
  /** The result document of one image ({@link Failure#NOT_FOUND} for an unknown id). */
  public static final Address<ImageQuery, ImageResult> PERSISTENCE_IMAGES_GET =
      new Address<>("persistence.images.get", ImageQuery.class, ImageResult.class, false);
  /**
   * A claim is about to be analysed: the asker takes the image (processing, with a lease), or learns that
   * another consumer holds it, or that the claim is stale (completed, with its stored result, or failed), so
   * that redelivered work is not analysed twice.
   */
  public static final Address<ClaimStartRequest, ClaimStart> PERSISTENCE_IMAGES_START =
      new Address<>("persistence.images.start", ClaimStartRequest.class, ClaimStart.class, false);
  /** A stored image queued again for analysis (by the models served, or one named): the claim to send. */
  public static final Address<Reanalysis, ImageClaim> PERSISTENCE_IMAGES_REQUEUE =
      new Address<>("persistence.images.requeue", Reanalysis.class, ImageClaim.class, false);
  /** Every analysis stored for an image, newest first ({@link Failure#NOT_FOUND} for an unknown id). */
  public static final Address<ImageQuery, AnalysisHistory> PERSISTENCE_IMAGES_ANALYSES =
      new Address<>("persistence.images.analyses", ImageQuery.class, AnalysisHistory.class, false);
  /** A shadow model's analysis, stored apart from the results (never published, never alerting). */
  public static final Address<ShadowSave, Done> PERSISTENCE_SHADOW_SAVE =
      new Address<>("persistence.shadow.save", ShadowSave.class, Done.class, false);
  /** The newest stored shadow comparisons, for the report. */
  public static final Address<ShadowQuery, ShadowRows> PERSISTENCE_SHADOW_LIST =
      new Address<>("persistence.shadow.list", ShadowQuery.class, ShadowRows.class, false);
  /** An API node's request counts since its last batch, added to {@code api_usage}. */
  public static final Address<UsageBatch, Done> PERSISTENCE_USAGE_RECORD =
      new Address<>("persistence.usage.record", UsageBatch.class, Done.class, false);
  /** One API key's requests per hour, endpoint and status. */
  public static final Address<UsageQuery, UsageQuery> PERSISTENCE_USAGE_QUERY =
      new Address<>("persistence.usage.query", UsageQuery.class, UsageQuery.class, false);
  /** The images an owner is still analysing: their leases are extended. */
  public static final Address<ClaimLeases, Done> PERSISTENCE_IMAGES_RENEW =
      new Address<>("persistence.images.renew", ClaimLeases.class, Done.class, false);
  /** An image failed for good: status failed, with its attempts and the reason (processing starts through START). */
  public static final Address<StatusChange, Done> PERSISTENCE_IMAGES_STATUS =
      new Address<>("persistence.images.status", StatusChange.class, Done.class, false);
  /** These images' claims are on Kafka: they are not lost claims any more. */
  public static final Address<ClaimsQueued, Done> PERSISTENCE_IMAGES_QUEUED =
      new Address<>("persistence.images.queued", ClaimsQueued.class, Done.class, false);
  /** Pending images whose claim never reached Kafka (the node that took them died before sending it). */
  public static final Address<LostClaimsQuery, LostClaims> PERSISTENCE_IMAGES_LOST_CLAIMS =
      new Address<>("persistence.images.lostclaims", LostClaimsQuery.class, LostClaims.class, false);
  /** Store an analysis idempotently (unique per image and model version). */
  public static final Address<PredictionSave, PredictionSaved> PERSISTENCE_PREDICTIONS_SAVE =
      new Address<>("persistence.predictions.save", PredictionSave.class, PredictionSaved.class, false);
  public static final Address<BatchCreation, Done> PERSISTENCE_BATCHES_CREATE =
      new Address<>("persistence.batches.create", BatchCreation.class, Done.class, false);
  public static final Address<BatchQuery, BatchProgress> PERSISTENCE_BATCHES_GET =
      new Address<>("persistence.batches.get", BatchQuery.class, BatchProgress.class, false);
  /** Insert or merge an alert; replies with the stored alert and whether it is new. */
  public static final Address<AlertDraft, AlertSaved> PERSISTENCE_ALERTS_SAVE =
      new Address<>("persistence.alerts.save", AlertDraft.class, AlertSaved.class, false);
  public static final Address<AlertsQuery, AlertList> PERSISTENCE_ALERTS_ACTIVE =
      new Address<>("persistence.alerts.active", AlertsQuery.class, AlertList.class, false);
  /** One alert by id, in any state ({@link Failure#NOT_FOUND} for an unknown id). */
  public static final Address<AlertQuery, Alert> PERSISTENCE_ALERTS_GET =
      new Address<>("persistence.alerts.get", AlertQuery.class, Alert.class, false);
  /** Alerts raised in a window (and near a point), any state. */
  public static final Address<AlertsHistoryQuery, AlertList> PERSISTENCE_ALERTS_HISTORY =
      new Address<>("persistence.alerts.history", AlertsHistoryQuery.class, AlertList.class, false);
  /** An acknowledgement or resolution applied to the stored alert. */
  public static final Address<AlertTransition, Alert> PERSISTENCE_ALERTS_TRANSITION =
      new Address<>("persistence.alerts.transition", AlertTransition.class, Alert.class, false);
  /** An operator's acknowledgement or resolution: stored, then announced like any change of the alert. */
  public static final Address<AlertTransition, Alert> ALERTS_TRANSITION =
      new Address<>("alerts.transition", AlertTransition.class, Alert.class, false);
  public static final Address<WebhookCreate, Webhook> PERSISTENCE_WEBHOOKS_CREATE =
      new Address<>("persistence.webhooks.create", WebhookCreate.class, Webhook.class, false);
  public static final Address<WebhooksQuery, WebhookList> PERSISTENCE_WEBHOOKS_LIST =
      new Address<>("persistence.webhooks.list", WebhooksQuery.class, WebhookList.class, false);
  public static final Address<WebhookDelete, Done> PERSISTENCE_WEBHOOKS_DELETE =
      new Address<>("persistence.webhooks.delete", WebhookDelete.class, Done.class, false);
  public static final Address<DeliveryOutcome, Done> PERSISTENCE_WEBHOOKS_DELIVERED =
      new Address<>("persistence.webhooks.delivered", DeliveryOutcome.class, Done.class, false);
  public static final Address<DeliveriesQuery, DeliveryList> PERSISTENCE_WEBHOOKS_DELIVERIES =
      new Address<>("persistence.webhooks.deliveries", DeliveriesQuery.class, DeliveryList.class, false);
  public static final Address<ApiKeyQuery, ApiKeyMatch> PERSISTENCE_API_KEYS_FIND =
      new Address<>("persistence.apikeys.find", ApiKeyQuery.class, ApiKeyMatch.class, false);
  /** Key management by an administrator: create, list, revoke, rotate. */
  public static final Address<ApiKeyCommand, ApiKeyRows> PERSISTENCE_API_KEYS_ADMIN =
      new Address<>("persistence.apikeys.admin", ApiKeyCommand.class, ApiKeyRows.class, false);
  /**
   * A key revoked or rotated: every API node drops it from its key cache at once (the key's SHA-256), so that a
   * revocation holds on every node within the bus's latency rather than the cache's minute.
   */
  public static final Broadcast<ApiKeyQuery> API_KEYS_EVICTED = new Broadcast<>("apikeys.evicted", ApiKeyQuery.class);
  public static final Address<HealthQuery, DatabaseHealth> PERSISTENCE_HEALTH =
      new Address<>("persistence.health", HealthQuery.class, DatabaseHealth.class, false);

  /** Published to every node after an analysis is durable (a notification; nothing here must act on it once). */
  public static final Broadcast<ResultSaved> RESULTS_SAVED = new Broadcast<>("results.saved", ResultSaved.class);
  /** Published to every node when a stored image is queued again: its cached result documents are dropped. */
  public static final Broadcast<ImageQuery> RESULTS_INVALIDATED =
      new Broadcast<>("results.invalidated", ImageQuery.class);
  /**
   * A durable analysis for the alert rules: sent, not published, so exactly one alerts verticle of the cluster
   * evaluates each result (several would each merge the same alert again).
   */
  public static final Address<ResultSaved, Done> ALERTS_EVALUATE =
      new Address<>("alerts.evaluate", ResultSaved.class, Done.class, false);
  /** Every node's heartbeat, every {@code HEARTBEAT_INTERVAL_MS}: what it runs and how busy it is. */
  public static final Broadcast<NodeHeartbeat> CLUSTER_HEARTBEAT =
      new Broadcast<>("cluster.heartbeat", NodeHeartbeat.class);
  public static final long HEARTBEAT_INTERVAL_MS = 2000;
  /** Published to every node when an alert is raised or merged. */
  public static final Broadcast<AlertRaised> ALERTS_RAISED = new Broadcast<>("alerts.raised", AlertRaised.class);
}
