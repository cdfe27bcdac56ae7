package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.change.PairCandidate;
import org.geohazard.change.SceneFootprint;

/**
 * The lookup behind automatic pairing (Flyway V8): one tenant's earlier uploads of one scene family in one CRS whose
 * envelopes meet a new scene's, newest first, read on the index {@code ix_uploads_pair_candidates}. Which of them is
 * the before scene is {@code change.AutoPairing}'s to decide.
 *
 * <p>Read on the primary: a scene uploaded a moment ago must be found, and a replica may not have it yet.
 */
final class PairCandidateStore {

  private final Pool primary;

  PairCandidateStore(Pool primary) {
    this.primary = primary;
  }

  Future<List<PairCandidate>> candidates(long ownerId, SceneFootprint scene, int limit) {
    // scene_sha256: the scene's own bytes (a pair's content row is identified by both scenes, its object key is the
    // scene's bytes), so that a scene is never paired with an earlier upload of the very same bytes. Both keys of the
    // order descending: the index (its last column created_at, then the primary key) is read backwards and the scan
    // stops at the limit, no sort.
    return primary.preparedQuery("""
            SELECT u.id, u.image_id, SUBSTRING_INDEX(i.object_key, '/', -1) AS scene_sha256, u.scene_family,
              u.footprint_epsg, u.footprint_min_x, u.footprint_min_y, u.footprint_max_x, u.footprint_max_y,
              UNIX_TIMESTAMP(u.created_at) AS created_at
            FROM uploads u JOIN satellite_images i ON i.id = u.image_id
            WHERE u.owner_id = ? AND u.scene_family = ? AND u.footprint_epsg = ?
              AND u.footprint_min_x < ? AND u.footprint_max_x > ? AND u.footprint_min_y < ? AND u.footprint_max_y > ?
              AND i.object_key LIKE 'images/sha256/%'
            ORDER BY u.created_at DESC, u.id DESC
            LIMIT ?""")
        .execute(Tuple.of(ownerId, scene.family(), scene.epsg(), scene.maxX(), scene.minX(), scene.maxY(),
            scene.minY()).addInteger(limit))
        .map(rows -> {
          List<PairCandidate> found = new ArrayList<>(rows.size());
          for (Row row : rows) {
            found.add(new PairCandidate(row.getString("id"), row.getString("image_id"), row.getString("scene_sha256"),
                new SceneFootprint(row.getString("scene_family"), row.getInteger("footprint_epsg"),
                    row.getDouble("footprint_min_x"), row.getDouble("footprint_min_y"),
                    row.getDouble("footprint_max_x"), row.getDouble("footprint_max_y")),
                Instant.parse(Rows.instant(row, "created_at"))));
          }
          return found;
        });
  }
}
