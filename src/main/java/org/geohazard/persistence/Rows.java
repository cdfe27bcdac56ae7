package org.geohazard.persistence;

import io.vertx.sqlclient.Row;
import java.time.Instant;

/** Column readers shared by the stores: timestamps are selected as UNIX_TIMESTAMP(...) so no session time zone is involved. */
final class Rows {
  private Rows() {}

  /** ISO-8601 UTC text of a {@code UNIX_TIMESTAMP(col)} column, or null. */
  static String instant(Row row, String column) {
    Object value = row.getValue(column);
    if (value == null) {
      return null;
    }
    double seconds = ((Number) value).doubleValue();
    return Instant.ofEpochMilli(Math.round(seconds * 1000)).toString();
  }

  static Double nullableDouble(Row row, String column) {
    Object value = row.getValue(column);
    return value == null ? null : ((Number) value).doubleValue();
  }
}
