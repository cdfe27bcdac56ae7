package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.DetectionFeature;
import org.geohazard.bus.DetectionFeatureQuery;
import org.geohazard.bus.DetectionPage;

/**
 * The georeferenced detections of completed results, one row per detection, for OGC API - Features
 * ({@link ImageStore#detections}). The detections live in the analysis JSON of the newest prediction of each image;
 * {@code JSON_TABLE} unnests them in SQL so that the box, window, tenant and page are applied by the database, not by
 * reading every result. A detection's footprint is a closed ring of four corners
 * ({@code geo.GeoFootprint}): its envelope is the least and greatest of the four corners; one without a footprint
 * (an image with no ground position) is no feature.
 */
final class DetectionFeatures {

  private static final String CORNERS = """
      x0 DOUBLE PATH '$.geometry.coordinates[0][0][0]', y0 DOUBLE PATH '$.geometry.coordinates[0][0][1]',
      x1 DOUBLE PATH '$.geometry.coordinates[0][1][0]', y1 DOUBLE PATH '$.geometry.coordinates[0][1][1]',
      x2 DOUBLE PATH '$.geometry.coordinates[0][2][0]', y2 DOUBLE PATH '$.geometry.coordinates[0][2][1]',
      x3 DOUBLE PATH '$.geometry.coordinates[0][3][0]', y3 DOUBLE PATH '$.geometry.coordinates[0][3][1]'""";

  private static final String FROM = """
       FROM uploads u JOIN satellite_images i ON i.id = u.image_id
      JOIN ml_predictions p ON p.id = (SELECT MAX(p2.id) FROM ml_predictions p2 WHERE p2.image_id = i.id)
      JOIN JSON_TABLE(p.analysis, '$.detections[*]' COLUMNS (n FOR ORDINALITY, detection JSON PATH '$',
      """ + CORNERS + ")) d ON TRUE WHERE i.status = 'completed' AND d.x0 IS NOT NULL";

  private DetectionFeatures() {}

  static Future<DetectionPage> page(Pool reads, DetectionFeatureQuery query) {
    if (!query.everyTenant() && query.tenantId() == null) {
      // Nobody's uploads are listed to a caller without a tenant (see docs/DECISIONS.md).
      return Future.succeededFuture(new DetectionPage(List.of(), 0));
    }
    StringBuilder where = new StringBuilder(FROM);
    Tuple params = Tuple.tuple();
    if (!query.everyTenant()) {
      where.append(" AND u.owner_id = ?");
      params.addLong(query.tenantId());
    }
    FeatureFilters.box(where, params, query.bbox(), "LEAST(d.x0, d.x1, d.x2, d.x3)",
        "GREATEST(d.x0, d.x1, d.x2, d.x3)", "LEAST(d.y0, d.y1, d.y2, d.y3)", "GREATEST(d.y0, d.y1, d.y2, d.y3)");
    FeatureFilters.window(where, params, "i.completed_at", query.from(), query.to());
    Tuple pageParams = FeatureFilters.copy(params).addInteger(query.limit()).addInteger(query.offset());
    Future<Long> matched = reads.preparedQuery("SELECT COUNT(*) AS matched" + where).execute(params)
        .map(rows -> rows.iterator().next().getLong("matched"));
    Future<List<DetectionFeature>> page = reads.preparedQuery("""
            SELECT u.id AS upload_id, d.n, d.detection, p.model_version,
              UNIX_TIMESTAMP(i.completed_at) AS completed_at""" + where
            + " ORDER BY u.created_at DESC, u.id, d.n LIMIT ? OFFSET ?")
        .execute(pageParams)
        .map(rows -> {
          List<DetectionFeature> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(new DetectionFeature(row.getString("upload_id"), row.getInteger("n"),
                Rows.instant(row, "completed_at"), row.getString("model_version"),
                new JsonObject(row.getValue("detection").toString())));
          }
          return out;
        });
    return Future.all(matched, page).map(both -> new DetectionPage(page.result(), matched.result()));
  }
}
