package org.geohazard.persistence;

import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * The WHERE clauses of the OGC API - Features queries (a box and a time window), shared by the alert and detection
 * stores: an envelope meets the box when it overlaps it, edges included; a box whose west is east of its east
 * crosses the antimeridian and takes the longitudes on either side.
 */
final class FeatureFilters {

  private FeatureFilters() {}

  /**
   * Appends the box test of an envelope given as SQL expressions (for a point, min and max are the same column).
   *
   * @param bbox west, south, east, north; null appends nothing
   */
  static void box(StringBuilder where, Tuple params, double[] bbox, String minLon, String maxLon, String minLat,
                  String maxLat) {
    if (bbox == null) {
      return;
    }
    where.append(" AND ").append(maxLat).append(" >= ? AND ").append(minLat).append(" <= ?");
    params.addDouble(bbox[1]).addDouble(bbox[3]);
    String join = bbox[0] > bbox[2] ? " OR " : " AND ";
    where.append(" AND (").append(maxLon).append(" >= ?").append(join).append(minLon).append(" <= ?)");
    params.addDouble(bbox[0]).addDouble(bbox[2]);
  }

  /** Appends {@code column} within [from, to], either end open when null (ISO-8601 instants). */
  static void window(StringBuilder where, Tuple params, String column, String from, String to) {
    if (from != null) {
      where.append(" AND ").append(column).append(" >= FROM_UNIXTIME(?)");
      params.addDouble(Instant.parse(from).toEpochMilli() / 1000.0);
    }
    if (to != null) {
      where.append(" AND ").append(column).append(" <= FROM_UNIXTIME(?)");
      params.addDouble(Instant.parse(to).toEpochMilli() / 1000.0);
    }
  }

  /** A copy of {@code params}, to extend for the page query while the count query keeps the original. */
  static Tuple copy(Tuple params) {
    Tuple copy = Tuple.tuple();
    for (int i = 0; i < params.size(); i++) {
      copy.addValue(params.getValue(i));
    }
    return copy;
  }
}
