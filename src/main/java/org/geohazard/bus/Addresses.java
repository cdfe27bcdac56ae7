package org.geohazard.bus;

import org.geohazard.analysis.Analysis;

/**
 * The typed addresses that are not store services, each named {@code <area>.<verb>} with the record it takes and
 * the record it answers with: the node's inference and model changes (local ones carry pixels or node-local work),
 * and the broadcasts every node hears. The stores are services: {@link ImageService} and its siblings.
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

  /**
   * A key revoked or rotated: every API node drops it from its key cache at once (the key's SHA-256), so that a
   * revocation holds on every node within the bus's latency rather than the cache's minute.
   */
  public static final Broadcast<String> API_KEYS_EVICTED = new Broadcast<>("apikeys.evicted", String.class);

  /** Published to every node after an analysis is durable (a notification; nothing here must act on it once). */
  public static final Broadcast<ResultSaved> RESULTS_SAVED = new Broadcast<>("results.saved", ResultSaved.class);
  /** Published to every node when a stored image is queued again: its cached result documents are dropped. */
  public static final Broadcast<String> RESULTS_INVALIDATED = new Broadcast<>("results.invalidated", String.class);
  /**
   * Published to every node when an upload is deleted: each API verticle forgets the upload (its tenancy memory and
   * its near-cached document) and, when the content went too, every document of that content.
   */
  public static final Broadcast<UploadDeletion> UPLOADS_DELETED =
      new Broadcast<>("uploads.deleted", UploadDeletion.class);
  /** A webhook's secret rotated (its id): every alerts verticle reads its list of subscriptions afresh. */
  public static final Broadcast<String> WEBHOOKS_CHANGED = new Broadcast<>("webhooks.changed", String.class);
  /** Every node's heartbeat, every {@code HEARTBEAT_INTERVAL_MS}: what it runs and how busy it is. */
  public static final Broadcast<NodeHeartbeat> CLUSTER_HEARTBEAT =
      new Broadcast<>("cluster.heartbeat", NodeHeartbeat.class);
  public static final long HEARTBEAT_INTERVAL_MS = 2000;
  /** Published to every node when an alert is raised or merged. */
  public static final Broadcast<AlertRaised> ALERTS_RAISED = new Broadcast<>("alerts.raised", AlertRaised.class);
}
