package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.bus.BatchEntry;
import org.geohazard.bus.BatchItem;
import org.geohazard.bus.BatchItemStatus;
import org.geohazard.bus.BatchProgress;
import org.geohazard.bus.BatchService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.ItemError;

/** SQL for batch uploads: the batch and its files when it is created, its progress from its images' live status. */
final class BatchStore implements BatchService {

  private final Pool primary;
  private final Pool reads;

  BatchStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  @Override
  public Future<Void> create(String batchId, Long ownerId, List<BatchEntry> items) {
    List<Tuple> rows = new ArrayList<>();
    for (BatchEntry item : items) {
      rows.add(Tuple.of(batchId, item.index(), item.filename(), item.imageId(), item.errorCode(),
          ImageStore.truncate(item.errorMessage(), 1000)));
    }
    return Transactions.run(primary, conn -> conn
        .preparedQuery("INSERT INTO batches (id, total, owner_id) VALUES (?, ?, ?)")
        .execute(Tuple.of(batchId, rows.size(), ownerId))
        .compose(v -> rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery("""
                INSERT INTO batch_items (batch_id, item_index, filename, image_id, error_code, error_message)
                VALUES (?, ?, ?, ?, ?, ?)""").executeBatch(rows))
        .mapEmpty());
  }

  @Override
  public Future<BatchProgress> progress(String batchId) {
    return ReadYourWrites.byId(reads, primary, pool -> progress(batchId, pool))
        .map(found -> found.orElseThrow(() -> Failure.notFound("no batch with id " + batchId)));
  }

  private static Future<Optional<BatchProgress>> progress(String batchId, Pool reads) {
    Future<RowSet<Row>> header = reads.preparedQuery(
            "SELECT id, total, owner_id, UNIX_TIMESTAMP(created_at) AS created_at FROM batches WHERE id = ?")
        .execute(Tuple.of(batchId));
    return header.compose(head -> {
      if (head.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row batch = head.iterator().next();
      return reads.preparedQuery("""
              SELECT bi.item_index, bi.filename, bi.image_id, bi.error_code, bi.error_message, i.status
              FROM batch_items bi LEFT JOIN uploads u ON u.id = bi.image_id
                LEFT JOIN satellite_images i ON i.id = u.image_id
              WHERE bi.batch_id = ? ORDER BY bi.item_index""")
          .execute(Tuple.of(batchId))
          .map(items -> Optional.of(progressOf(batch, items)));
    });
  }

  private static BatchProgress progressOf(Row batch, RowSet<Row> items) {
    int pending = 0, processing = 0, completed = 0, failed = 0, rejected = 0;
    List<BatchItem> list = new ArrayList<>();
    for (Row row : items) {
      // The image row is gone: counted as failed rather than pending forever.
      BatchItemStatus status = row.getString("error_code") != null ? BatchItemStatus.REJECTED
          : BatchItemStatus.of(row.getString("status") == null ? null : ImageStatus.fromWire(row.getString("status")));
      switch (status) {
        case PENDING -> pending++;
        case PROCESSING -> processing++;
        case COMPLETED -> completed++;
        case REJECTED -> rejected++;
        case FAILED -> failed++;
      }
      ItemError error = row.getString("error_code") == null ? null
          : new ItemError(row.getString("error_code"), row.getString("error_message"), "");
      list.add(new BatchItem(row.getInteger("item_index"), row.getString("filename"), row.getString("image_id"),
          status, error));
    }
    int total = batch.getInteger("total");
    int finished = completed + failed + rejected;
    return new BatchProgress(batch.getString("id"), total, pending, processing, completed, failed, rejected,
        pending == 0 && processing == 0, total == 0 ? 1.0 : (double) finished / total, list,
        Rows.instant(batch, "created_at"), batch.getLong("owner_id"));
  }
}
