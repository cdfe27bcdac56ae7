package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.ShadowSave;
import org.geohazard.bus.ShadowService;

/** SQL for shadow (candidate) analyses: a table of their own, which no result or alert path reads. */
final class ShadowStore implements ShadowService {

  /** The most rows one report reads. */
  static final int MAX_ROWS = 5000;

  private final Pool primary;
  private final Pool reads;

  ShadowStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  /** Stores a comparison once per (image, candidate): a redelivered claim's second look is dropped. */
  @Override
  public Future<Void> save(ShadowSave save) {
    return primary.preparedQuery("""
            INSERT IGNORE INTO ml_shadow_predictions (image_id, candidate_version, candidate_sha256, replaced_version,
              serving_ms, candidate_ms, serving_analysis, candidate_analysis)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
        .execute(Tuple.of(save.imageId(), save.candidateVersion(), save.candidateSha256(), save.replacedVersion(),
            save.servingMs(), save.candidateMs(), save.servingAnalysis().toJson().encode(),
            save.candidateAnalysis().toJson().encode()))
        .mapEmpty();
  }

  /** The newest comparisons, of one candidate or of all. */
  @Override
  public Future<List<ShadowSave>> list(String candidateVersion, int limit) {
    int rows = Math.max(1, Math.min(MAX_ROWS, limit));
    String sql = """
        SELECT image_id, candidate_version, candidate_sha256, replaced_version, serving_ms, candidate_ms,
          serving_analysis, candidate_analysis
        FROM ml_shadow_predictions""" + (candidateVersion == null ? "" : " WHERE candidate_version = ?")
        + " ORDER BY id DESC LIMIT ?";
    Tuple params = candidateVersion == null ? Tuple.of(rows) : Tuple.of(candidateVersion, rows);
    return reads.preparedQuery(sql).execute(params).map(found -> {
      List<ShadowSave> out = new ArrayList<>(found.size());
      for (Row row : found) {
        out.add(new ShadowSave(row.getString("image_id"), row.getString("candidate_version"),
            row.getString("candidate_sha256"), row.getString("replaced_version"), Rows.nullableDouble(row, "serving_ms"),
            row.getDouble("candidate_ms"), Analysis.fromJson(new JsonObject(row.getValue("serving_analysis").toString())),
            Analysis.fromJson(new JsonObject(row.getValue("candidate_analysis").toString()))));
      }
      return out;
    });
  }
}
