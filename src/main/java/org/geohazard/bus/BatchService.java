package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** Batch uploads, as stored (served by persistence). */
@BusService("persistence.batches")
public interface BatchService {

  /** The batch and its files, as they were accepted or rejected. */
  Future<Void> create(String batchId, List<BatchEntry> items);

  /** Its progress from its images' live status ({@link Failure.Code#NOT_FOUND} for an unknown id). */
  Future<BatchProgress> progress(String batchId);
}
