package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.Failure;
import org.geohazard.bus.UploadDeletion;
import org.geohazard.reference.SceneSpec;
import org.geohazard.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting an upload (its owner's {@code DELETE /api/v1/results/{id}}, or the retention sweep), in one transaction:
 * the upload row always; the content's rows (image, analyses, shadow rows) when no other upload refers to it, since
 * the analysis is shared by everyone who uploaded the same bytes and another tenant's upload must keep working. With
 * the content go the objects only it read or made (its bytes, a pair's before scene, its flood masks), named in the
 * answer for the caller to remove.
 *
 * <p>Alerts raised from the content are not deleted: a public alert is a warning others may act on, and deleting an
 * upload needs no {@code operate} scope, so it must not cancel one (resolving is an operator's act). It stays as
 * published, until resolved or expired, with its reference to the image removed (null). An unverified alert (never
 * public) is rejected: an operator has nothing left to review it by.
 *
 * <p>The content row is locked first ({@code FOR UPDATE}): an upload of the same bytes recorded meanwhile either
 * commits before (the content then has another upload and stays) or waits and then fails on the missing content
 * (the uploader retries, and its retry stores the bytes afresh).
 */
final class UploadDeletions {

  private static final Logger LOG = LoggerFactory.getLogger(UploadDeletions.class);

  /** Who rejected an unverified alert whose image was deleted (alerts.resolved_by). */
  static final String REJECTED_BY = "deleted with its source image";

  private final Pool primary;

  UploadDeletions(Pool primary) {
    this.primary = primary;
  }

  Future<UploadDeletion> delete(String uploadId) {
    return Transactions.run(primary, conn -> conn.preparedQuery("""
            SELECT i.id, i.sha256, i.object_key, i.before_object_key, i.other_sensor_object_key,
              i.other_sensor_before_object_key FROM uploads u
            JOIN satellite_images i ON i.id = u.image_id
            WHERE u.id = ? FOR UPDATE""")
        .execute(Tuple.of(uploadId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failure.notFound("no image with id " + uploadId));
          }
          Row content = rows.iterator().next();
          String imageId = content.getString("id");
          return conn.preparedQuery("DELETE FROM uploads WHERE id = ?").execute(Tuple.of(uploadId))
              .compose(v -> conn.preparedQuery("SELECT COUNT(*) AS n FROM uploads WHERE image_id = ?")
                  .execute(Tuple.of(imageId)))
              .compose(left -> left.iterator().next().getLong("n") > 0
                  ? Future.succeededFuture(new UploadDeletion(uploadId, imageId, content.getString("sha256"),
                      List.of(), false, 0))
                  : maskKeys(conn, imageId).compose(masks -> deleteContent(conn, imageId)
                      .compose(alerts -> orphaned(conn, content)
                          .map(objects -> new UploadDeletion(uploadId, imageId, content.getString("sha256"),
                              concat(objects, orphanedMasks(masks, content.getString("sha256"), imageId)), true,
                              alerts)))));
        }));
  }

  /**
   * Of the objects the deleted content read (its bytes, a pair's before scene, another sensor's scene looked at with
   * it and that scene's before scene), those no remaining content row reads: a scene alone and a before/after pair
   * of it share the after scene's bytes, a pair reads its before scene's, and a look with another sensor's scene
   * reads that scene's, so an object goes only with the last row that reads it. A scene read by reference was never
   * stored here.
   */
  private static Future<List<String>> orphaned(SqlConnection conn, Row content) {
    List<String> keys = new ArrayList<>();
    for (String key : new String[] {content.getString("object_key"), content.getString("before_object_key"),
        content.getString("other_sensor_object_key"), content.getString("other_sensor_before_object_key")}) {
      if (key != null && !SceneSpec.isReference(key)) {
        keys.add(key);
      }
    }
    List<String> orphaned = new ArrayList<>();
    Future<Void> checked = Future.succeededFuture();
    for (String key : keys) {
      checked = checked.compose(v -> conn.preparedQuery(
              "SELECT COUNT(*) AS n FROM satellite_images WHERE object_key = ? OR before_object_key = ?"
                  + " OR other_sensor_object_key = ? OR other_sensor_before_object_key = ?")
          .execute(Tuple.of(key, key, key, key))
          .map(rows -> {
            if (rows.iterator().next().getLong("n") == 0) {
              orphaned.add(key);
            }
            return null;
          }));
    }
    return checked.map(v -> List.copyOf(orphaned));
  }

  /**
   * The flood masks the content's analyses name ({@code $.extent.mask_key}), read before their rows go: every model's
   * (a re-analysis by another mask model stores another mask beside the first), the shadow comparisons' included.
   */
  private static Future<List<String>> maskKeys(SqlConnection conn, String imageId) {
    return conn.preparedQuery("""
            SELECT JSON_VALUE(analysis, '$.extent.mask_key') AS mask_key FROM ml_predictions WHERE image_id = ?
            UNION SELECT JSON_VALUE(serving_analysis, '$.extent.mask_key') FROM ml_shadow_predictions WHERE image_id = ?
            UNION SELECT JSON_VALUE(candidate_analysis, '$.extent.mask_key') FROM ml_shadow_predictions
              WHERE image_id = ?""")
        .execute(Tuple.of(imageId, imageId, imageId))
        .map(rows -> {
          List<String> keys = new ArrayList<>();
          rows.forEach(row -> {
            String key = row.getString("mask_key");
            if (key != null) {
              keys.add(key);
            }
          });
          return keys;
        });
  }

  /**
   * Of the masks a deleted content's analyses named, those that go with it: the ones under its own prefix. A node
   * stores a content's mask only under that content's hash ({@code ObjectStore#maskKey}), the hash is one content
   * row's (unique), and that row is gone in this transaction, so no remaining row names such a key: not the scene
   * alone beside a pair of it (a pair's hash is its own, of both scenes), nor a reference read again after its
   * objects changed (a new hash, a new row). That needs no scan of every analysis for the key (JSON, unindexed). A
   * key outside the prefix was not made for this content and may be another's: it is left, and logged.
   */
  static List<String> orphanedMasks(List<String> keys, String sha256, String imageId) {
    List<String> orphaned = new ArrayList<>();
    for (String key : keys) {
      if (ObjectStore.isMaskOf(key, sha256)) {
        if (!orphaned.contains(key)) {
          orphaned.add(key);
        }
      } else {
        LOG.warn("mask {} named by deleted content {} is not under its own prefix: left in the store", key, imageId);
      }
    }
    return List.copyOf(orphaned);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** The content's rows, children first; answers how many alerts lost their reference. */
  private static Future<Integer> deleteContent(SqlConnection conn, String imageId) {
    Tuple id = Tuple.of(imageId);
    // MariaDB assigns left to right, each seeing the ones before: state is changed last.
    return conn.preparedQuery("""
            UPDATE alerts SET resolved_at = IF(state = 'unverified', NOW(3), resolved_at),
              resolved_by = IF(state = 'unverified', ?, resolved_by),
              state = IF(state = 'unverified', 'rejected', state), image_id = NULL
            WHERE image_id = ?""")
        .execute(Tuple.of(REJECTED_BY, imageId))
        .compose(alerts -> conn.preparedQuery("DELETE FROM ml_shadow_predictions WHERE image_id = ?").execute(id)
            .compose(v -> conn.preparedQuery("DELETE FROM ml_predictions WHERE image_id = ?").execute(id))
            .compose(v -> conn.preparedQuery("DELETE FROM satellite_images WHERE id = ?").execute(id))
            .map(v -> alerts.rowCount()));
  }
}
