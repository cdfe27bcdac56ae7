package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.geohazard.bus.DetectionFeature;
import org.geohazard.bus.DetectionFeatureQuery;
import org.geohazard.bus.DetectionPage;
import org.geohazard.bus.ExtentFeature;
import org.geohazard.bus.ExtentPage;

/**
 * The features of completed results for OGC API - Features, one row per feature: the georeferenced detections
 * ({@link ImageStore#detections}) and the flood extent polygons ({@link ImageStore#floodExtents}). Both live in the
 * analysis JSON of the newest prediction of each image; {@code JSON_TABLE} unnests them in SQL so that the box,
 * window, tenant and page are applied by the database, not by reading every result.
 *
 * <p>A detection's footprint is a closed ring of four corners ({@code geo.GeoFootprint}): its envelope is the least
 * and greatest of the four corners; one without a footprint (an image with no ground position) is no feature. An
 * extent polygon has any number of vertices: its envelope is MariaDB's {@code ST_Envelope} of the GeoJSON geometry
 * (a rectangle whose ring starts at the south-west corner and whose third point is the north-east one), computed
 * only when a box is asked for. Holes lie inside the outer ring, so they never widen it.
 */
final class DetectionFeatures {

  private static final String CORNERS = """
      x0 DOUBLE PATH '$.geometry.coordinates[0][0][0]', y0 DOUBLE PATH '$.geometry.coordinates[0][0][1]',
      x1 DOUBLE PATH '$.geometry.coordinates[0][1][0]', y1 DOUBLE PATH '$.geometry.coordinates[0][1][1]',
      x2 DOUBLE PATH '$.geometry.coordinates[0][2][0]', y2 DOUBLE PATH '$.geometry.coordinates[0][2][1]',
      x3 DOUBLE PATH '$.geometry.coordinates[0][3][0]', y3 DOUBLE PATH '$.geometry.coordinates[0][3][1]'""";

  /** The completed results, each with its newest prediction. */
  private static final String RESULTS = """
       FROM uploads u JOIN satellite_images i ON i.id = u.image_id
      JOIN ml_predictions p ON p.id = (SELECT MAX(p2.id) FROM ml_predictions p2 WHERE p2.image_id = i.id)
      """;

  private static final String DETECTIONS = RESULTS + """
      JOIN JSON_TABLE(p.analysis, '$.detections[*]' COLUMNS (n FOR ORDINALITY, detection JSON PATH '$',
      """ + CORNERS + ")) d ON TRUE WHERE i.status = 'completed' AND d.x0 IS NOT NULL";

  private static final String EXTENTS = RESULTS + """
      JOIN JSON_TABLE(p.analysis, '$.extent.polygons[*]' COLUMNS (n FOR ORDINALITY, region JSON PATH '$',
        geometry JSON PATH '$.geometry')) e ON TRUE WHERE i.status = 'completed' AND e.geometry IS NOT NULL""";

  /** The extent polygon's envelope as a ring: south-west, south-east, north-east, north-west, south-west. */
  private static final String ENVELOPE = "ST_ExteriorRing(ST_Envelope(ST_GeomFromGeoJSON(e.geometry)))";

  private DetectionFeatures() {}

  static Future<DetectionPage> page(Pool reads, DetectionFeatureQuery query) {
    return page(reads, query, DETECTIONS, new String[] {"LEAST(d.x0, d.x1, d.x2, d.x3)",
        "GREATEST(d.x0, d.x1, d.x2, d.x3)", "LEAST(d.y0, d.y1, d.y2, d.y3)", "GREATEST(d.y0, d.y1, d.y2, d.y3)"},
        "d.n, d.detection, p.model_version", "d.n",
        row -> new DetectionFeature(row.getString("upload_id"), row.getInteger("n"), Rows.instant(row, "completed_at"),
            row.getString("model_version"), new JsonObject(row.getValue("detection").toString())),
        DetectionPage::new);
  }

  static Future<ExtentPage> extents(Pool reads, DetectionFeatureQuery query) {
    return page(reads, query, EXTENTS, new String[] {"ST_X(ST_PointN(" + ENVELOPE + ", 1))",
        "ST_X(ST_PointN(" + ENVELOPE + ", 3))", "ST_Y(ST_PointN(" + ENVELOPE + ", 1))",
        "ST_Y(ST_PointN(" + ENVELOPE + ", 3))"},
        "e.n, e.region, JSON_VALUE(p.analysis, '$.extent.model') AS model,"
            + " JSON_VALUE(p.analysis, '$.extent.flooded_km2') AS flooded_km2", "e.n",
        row -> new ExtentFeature(row.getString("upload_id"), row.getInteger("n"), Rows.instant(row, "completed_at"),
            row.getString("model"), Double.parseDouble(row.getValue("flooded_km2").toString()),
            new JsonObject(row.getValue("region").toString())),
        ExtentPage::new);
  }

  /**
   * One page of the features {@code from} unnests, of the uploads the query's caller may see, with the count of all
   * that match.
   *
   * @param envelope SQL expressions of the feature's least and greatest longitude, least and greatest latitude
   * @param columns what a feature's row needs besides its upload and completion time
   * @param order the feature's place within its result
   */
  private static <F, P> Future<P> page(Pool reads, DetectionFeatureQuery query, String from, String[] envelope,
                                       String columns, String order, Function<Row, F> feature,
                                       BiFunction<List<F>, Long, P> pageOf) {
    if (!query.everyTenant() && query.tenantId() == null) {
      // Nobody's uploads are listed to a caller without a tenant (see docs/DECISIONS.md).
      return Future.succeededFuture(pageOf.apply(List.of(), 0L));
    }
    StringBuilder where = new StringBuilder(from);
    Tuple params = Tuple.tuple();
    if (!query.everyTenant()) {
      where.append(" AND u.owner_id = ?");
      params.addLong(query.tenantId());
    }
    FeatureFilters.box(where, params, query.bbox(), envelope[0], envelope[1], envelope[2], envelope[3]);
    FeatureFilters.window(where, params, "i.completed_at", query.from(), query.to());
    Tuple pageParams = FeatureFilters.copy(params).addInteger(query.limit()).addInteger(query.offset());
    Future<Long> matched = reads.preparedQuery("SELECT COUNT(*) AS matched" + where).execute(params)
        .map(rows -> rows.iterator().next().getLong("matched"));
    Future<List<F>> page = reads.preparedQuery("SELECT u.id AS upload_id, " + columns
            + ", UNIX_TIMESTAMP(i.completed_at) AS completed_at" + where
            + " ORDER BY u.created_at DESC, u.id, " + order + " LIMIT ? OFFSET ?")
        .execute(pageParams)
        .map(rows -> {
          List<F> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(feature.apply(row));
          }
          return out;
        });
    return Future.all(matched, page).map(both -> pageOf.apply(page.result(), matched.result()));
  }
}
