package org.geohazard.bus;

/**
 * Every event-bus address, in one place, named {@code <area>.<verb>}. Addresses marked local carry
 * pixels or node-local work and are sent with {@code DeliveryOptions#setLocalOnly(true)}.
 */
public final class Addresses {
  private Addresses() {}

  /** Local: run the detector on one stored image ({@link ImageClaim} in, analysis JSON out). */
  public static final String INFERENCE_DETECT = "inference.detect";
  /** Local: model name, version, classes and input size; fails when the model is not loaded. */
  public static final String INFERENCE_HEALTH = "inference.health";

  /** Insert-or-get an image row by content hash. */
  public static final String PERSISTENCE_IMAGES_REGISTER = "persistence.images.register";
  /** The result document of one image ({@code {image_id}} in). */
  public static final String PERSISTENCE_IMAGES_GET = "persistence.images.get";
  /** Status change: processing (with attempt count) or failed (with reason). */
  public static final String PERSISTENCE_IMAGES_STATUS = "persistence.images.status";
  /** Store an analysis idempotently (unique per image and model version). */
  public static final String PERSISTENCE_PREDICTIONS_SAVE = "persistence.predictions.save";
  public static final String PERSISTENCE_BATCHES_CREATE = "persistence.batches.create";
  public static final String PERSISTENCE_BATCHES_GET = "persistence.batches.get";
  /** Insert or merge an alert; replies with the stored alert and whether it is new. */
  public static final String PERSISTENCE_ALERTS_SAVE = "persistence.alerts.save";
  public static final String PERSISTENCE_ALERTS_ACTIVE = "persistence.alerts.active";
  public static final String PERSISTENCE_API_KEYS_FIND = "persistence.apikeys.find";
  public static final String PERSISTENCE_HEALTH = "persistence.health";

  /** Published after an analysis is durable (image id, location, analysis). */
  public static final String RESULTS_SAVED = "results.saved";
  /** Published cluster-wide when an alert is raised or merged. */
  public static final String ALERTS_RAISED = "alerts.raised";
}
