package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** Alerts, as stored (served by persistence). */
@BusService("persistence.alerts")
public interface AlertService {

  /** Insert or merge an alert: the stored alert and whether it is new. */
  Future<AlertSaved> save(AlertDraft draft);

  /** Active alerts whose area reaches the circle, nearest first, at most {@code limit}. */
  Future<List<Alert>> active(double latitude, double longitude, double radiusKm, int limit);

  /** One alert by id, in any state ({@link Failure.Code#NOT_FOUND} for an unknown id). */
  Future<Alert> get(String alertId);

  /** Alerts raised in a window (and near a point), any state. */
  Future<List<Alert>> history(AlertsHistoryQuery query);

  /** Published alerts (any state the public sees) in a box, a time window, of a type and severity: one page. */
  Future<AlertPage> features(AlertFeatureQuery query);

  /** An acknowledgement or resolution applied to the stored alert (NOT_FOUND, or CONFLICT for a wrong state). */
  Future<Alert> transition(AlertTransition change);
}
