package org.geohazard.bus;

import io.vertx.core.Future;

/** The alerts verticle's work for other parts of the cluster. */
@BusService("alerts")
public interface AlertRulesService {

  /**
   * A durable analysis for the alert rules: sent, not published, so exactly one alerts verticle of the cluster
   * evaluates each result (several would each merge the same alert again).
   */
  Future<Void> evaluate(ResultSaved result);

  /** An operator's acknowledgement or resolution: stored, then announced like any change of the alert. */
  Future<Alert> transition(AlertTransition change);
}
