package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** A shadow model's analyses, stored apart from the results (never published, never alerting). */
@BusService("persistence.shadow")
public interface ShadowService {

  Future<Void> save(ShadowSave comparison);

  /** The newest stored comparisons of one candidate version, at most {@code limit}. */
  Future<List<ShadowSave>> list(String candidateVersion, int limit);
}
