package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** Batch uploads, as stored (served by persistence). */
@BusService("persistence.batches")
public interface BatchService {

  /**
   * The batch and its files (their uploads' ids), as they were accepted or rejected, belonging to {@code ownerId}
   * (null: anonymous).
   */
  Future<Void> create(String batchId, Long ownerId, List<BatchEntry> items);

  /**
   * Its progress from its images' live status, with its owner for the API to check ({@link Failure.Code#NOT_FOUND}
   * for an unknown id).
   */
  Future<BatchProgress> progress(String batchId);
}
