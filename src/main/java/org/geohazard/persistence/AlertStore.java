package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertDraft;
import org.geohazard.bus.AlertList;
import org.geohazard.bus.AlertSaved;
import org.geohazard.bus.AlertsQuery;
import org.geohazard.geo.GeoMath;

/**
 * Alert rows. Locations are stored as {@code Point(longitude, latitude)}: MariaDB keeps no
 * column-level SRID and {@code ST_Distance_Sphere} reads X as longitude, Y as latitude.
 */
final class AlertStore {

  private static final String COLUMNS = """
      a.id, a.image_id, a.alert_type, a.severity, a.latitude, a.longitude, a.radius_km, a.probability,
      a.confidence, a.title, a.description, UNIX_TIMESTAMP(a.created_at) AS created_at,
      UNIX_TIMESTAMP(a.expires_at) AS expires_at""";

  private final Pool primary;
  private final Pool reads;

  AlertStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  /**
   * Stores an alert, merging it into an active alert of the same type whose circle contains the new
   * location: the merged alert keeps the higher probability and severity, and its expiry restarts.
   */
  Future<AlertSaved> save(AlertDraft draft) {
    return primary.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS + """
                , ST_Distance_Sphere(a.location, Point(?, ?)) AS distance_m FROM alerts a
                WHERE a.alert_type = ? AND a.expires_at > NOW(3)
                  AND ST_Distance_Sphere(a.location, Point(?, ?)) <= a.radius_km * 1000
                ORDER BY distance_m LIMIT 1 FOR UPDATE""")
        .execute(Tuple.of(draft.longitude(), draft.latitude(), draft.alertType(), draft.longitude(), draft.latitude()))
        .compose(rows -> {
          if (rows.size() > 0) {
            String id = rows.iterator().next().getString("id");
            return conn.preparedQuery("""
                    UPDATE alerts SET probability = GREATEST(probability, ?), confidence = GREATEST(confidence, ?),
                      severity = IF(FIELD(severity, 'medium', 'high', 'critical') < FIELD(?, 'medium', 'high', 'critical'), ?, severity),
                      expires_at = GREATEST(expires_at, NOW(3) + INTERVAL ? HOUR)
                    WHERE id = ?""")
                .execute(Tuple.of(draft.probability(), draft.confidence(), draft.severity().wireName(),
                    draft.severity().wireName(), draft.ttlHours(), id))
                .compose(v -> byId(conn, id))
                .map(alert -> new AlertSaved(false, alert));
          }
          String id = UUID.randomUUID().toString();
          return conn.preparedQuery("""
                  INSERT INTO alerts (id, image_id, alert_type, severity, latitude, longitude, location, radius_km,
                    probability, confidence, title, description, expires_at)
                  VALUES (?, ?, ?, ?, ?, ?, Point(?, ?), ?, ?, ?, ?, ?, NOW(3) + INTERVAL ? HOUR)""")
              .execute(Tuple.of(id, draft.imageId(), draft.alertType(), draft.severity().wireName(),
                      draft.latitude(), draft.longitude(), draft.longitude(), draft.latitude(), draft.radiusKm(),
                      draft.probability())
                  .addDouble(draft.confidence()).addString(draft.title()).addString(draft.description())
                  .addInteger(draft.ttlHours()))
              .compose(v -> byId(conn, id))
              .map(alert -> new AlertSaved(true, alert));
        }));
  }

  private static Future<Alert> byId(io.vertx.sqlclient.SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + ", 0 AS distance_m FROM alerts a WHERE a.id = ?")
        .execute(Tuple.of(id))
        .map(rows -> alertOf(rows.iterator().next()));
  }

  /**
   * Active alerts whose circle reaches the query circle. The bounding box lets the spatial index
   * narrow the scan; the exact test is the spherical distance.
   */
  Future<AlertList> active(AlertsQuery query) {
    double latitude = query.latitude();
    double longitude = query.longitude();
    double radiusKm = query.radiusKm();
    double reachKm = radiusKm + AlertDraft.MAX_RADIUS_KM;
    GeoMath.BoundingBox box = GeoMath.boundingBox(latitude, longitude, reachKm);
    String spatialFilter = box.crossesAntimeridian() ? "" : "AND MBRContains(ST_GeomFromText(?), a.location)";
    Tuple params = Tuple.of(longitude, latitude);
    if (!box.crossesAntimeridian()) {
      params.addString(box.toWkt());
    }
    params.addDouble(longitude).addDouble(latitude).addDouble(radiusKm).addInteger(query.limit());
    return reads.preparedQuery("SELECT " + COLUMNS + """
                , ST_Distance_Sphere(a.location, Point(?, ?)) AS distance_m FROM alerts a
                WHERE a.expires_at > NOW(3) """ + spatialFilter + """
                 AND ST_Distance_Sphere(a.location, Point(?, ?)) <= (? + a.radius_km) * 1000
                ORDER BY distance_m LIMIT ?""")
        .execute(params)
        .map(rows -> {
          List<Alert> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(alertOf(row));
          }
          return new AlertList(out);
        });
  }

  private static Alert alertOf(Row row) {
    return new Alert(row.getString("id"), row.getString("image_id"), row.getString("alert_type"),
        RiskLevel.fromWire(row.getString("severity")), row.getDouble("latitude"), row.getDouble("longitude"),
        row.getDouble("radius_km"), row.getDouble("probability"), row.getDouble("confidence"), row.getString("title"),
        row.getString("description"), Rows.instant(row, "created_at"), Rows.instant(row, "expires_at"),
        Math.round(((Number) row.getValue("distance_m")).doubleValue()) / 1000.0);
  }
}
