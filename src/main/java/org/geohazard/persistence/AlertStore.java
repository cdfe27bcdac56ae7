package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.auth.Publication;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertDraft;
import org.geohazard.bus.AlertFeatureQuery;
import org.geohazard.bus.AlertPage;
import org.geohazard.bus.AlertSaved;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.AlertState;
import org.geohazard.bus.AlertTransition;
import org.geohazard.bus.AlertsHistoryQuery;
import org.geohazard.bus.Failure;
import org.geohazard.geo.GeoMath;

/**
 * Alert rows. Locations are stored as {@code Point(longitude, latitude)}: MariaDB keeps no
 * column-level SRID and {@code ST_Distance_Sphere} reads X as longitude, Y as latitude.
 */
final class AlertStore implements AlertService {

  private static final String COLUMNS = """
      a.id, a.image_id, a.alert_type, a.severity, a.latitude, a.longitude, a.radius_km, a.probability,
      a.confidence, a.title, a.description, UNIX_TIMESTAMP(a.created_at) AS created_at,
      UNIX_TIMESTAMP(a.expires_at) AS expires_at, a.version, UNIX_TIMESTAMP(a.updated_at) AS updated_at, a.state,
      a.evidence, a.area_polygons""";

  /** The states of an alert the public sees (lists, feed, stream, webhooks); see {@link Publication}. */
  static final String PUBLIC_STATES = "('active','acknowledged','resolved')";

  private final Pool primary;
  private final Pool reads;
  private final boolean anonymousPublishes;

  /** @param anonymousPublishes alerts from anonymous uploads are published at once (not by default) */
  AlertStore(Pool primary, Pool reads, boolean anonymousPublishes) {
    this.primary = primary;
    this.reads = reads;
    this.anonymousPublishes = anonymousPublishes;
  }

  /**
   * Stores an alert, merging it into an active alert of the same type whose circle contains the new
   * location: the merged alert keeps the higher probability and severity, and its expiry restarts. Whether it is
   * published or held {@code unverified} follows who asked for the analysis ({@link Publication}; the upload that
   * created the content, or whoever queued it again since: {@code analysis_key_id}); an unverified draft
   * merges only into unverified alerts and a published one only into public ones, so that an anonymous upload can
   * neither raise, renew nor worsen a public alert.
   */
  @Override
  public Future<AlertSaved> save(AlertDraft draft) {
    return Transactions.run(primary, conn -> conn.preparedQuery("""
            SELECT i.analysis_key_id AS api_key_id, k.scopes,
              (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > NOW(3))) AS key_live
            FROM satellite_images i LEFT JOIN api_keys k ON k.id = i.analysis_key_id WHERE i.id = ?""")
        .execute(Tuple.of(draft.imageId()))
        .compose(owners -> {
          Row owner = owners.size() == 0 ? null : owners.iterator().next();
          boolean publish = owner != null && Publication.publishes(owner.getLong("api_key_id"),
              owner.getString("scopes"), Boolean.TRUE.equals(owner.getBoolean("key_live")), anonymousPublishes);
          return save(conn, draft, publish);
        }));
  }

  private Future<AlertSaved> save(SqlConnection conn, AlertDraft draft, boolean publish) {
    String mergeStates = publish ? "('active','acknowledged')" : "('unverified')";
    return conn.preparedQuery("SELECT " + COLUMNS + """
                , ST_Distance_Sphere(a.location, Point(?, ?)) AS distance_m FROM alerts a
                WHERE a.alert_type = ? AND a.expires_at > NOW(3) AND a.state IN """ + mergeStates + """
                  AND ST_Distance_Sphere(a.location, Point(?, ?)) <= a.radius_km * 1000
                ORDER BY distance_m LIMIT 1 FOR UPDATE""")
        .execute(Tuple.of(draft.longitude(), draft.latitude(), draft.alertType().wireName(), draft.longitude(),
            draft.latitude()))
        .compose(rows -> {
          if (rows.size() > 0) {
            String id = rows.iterator().next().getString("id");
            return conn.preparedQuery("""
                    UPDATE alerts SET probability = GREATEST(probability, ?), confidence = GREATEST(confidence, ?),
                      evidence = IF(FIELD(severity, 'medium', 'high', 'critical') <= FIELD(?, 'medium', 'high', 'critical'), ?, evidence),
                      severity = IF(FIELD(severity, 'medium', 'high', 'critical') < FIELD(?, 'medium', 'high', 'critical'), ?, severity),
                      expires_at = GREATEST(expires_at, NOW(3) + INTERVAL ? HOUR),
                      area_polygons = COALESCE(?, area_polygons),
                      version = version + 1, updated_at = NOW(3)
                    WHERE id = ?""")
                .execute(Tuple.of(draft.probability(), draft.confidence(), draft.severity().wireName(),
                    evidenceText(draft), draft.severity().wireName(), draft.severity().wireName(), draft.ttlHours(),
                    areaText(draft)).addString(id))
                .compose(v -> byId(conn, id))
                .map(alert -> new AlertSaved(false, alert));
          }
          String id = UUID.randomUUID().toString();
          return conn.preparedQuery("""
                  INSERT INTO alerts (id, image_id, alert_type, severity, latitude, longitude, location, radius_km,
                    probability, confidence, title, description, expires_at, evidence, state, area_polygons)
                  VALUES (?, ?, ?, ?, ?, ?, Point(?, ?), ?, ?, ?, ?, ?, NOW(3) + INTERVAL ? HOUR, ?, ?, ?)""")
              .execute(Tuple.of(id, draft.imageId(), draft.alertType().wireName(), draft.severity().wireName(),
                      draft.latitude(), draft.longitude(), draft.longitude(), draft.latitude(), draft.radiusKm(),
                      draft.probability())
                  .addDouble(draft.confidence()).addString(draft.title()).addString(draft.description())
                  .addInteger(draft.ttlHours()).addString(evidenceText(draft))
                  .addString((publish ? AlertState.ACTIVE : AlertState.UNVERIFIED).wireName())
                  .addString(areaText(draft)))
              .compose(v -> byId(conn, id))
              .map(alert -> new AlertSaved(true, alert))
              // The image has its alert of this hazard already, one this draft may not merge into (settled, or of
              // the other publication class): it stays as it is (uq_alerts_image_type). A duplicate key fails the
              // statement only, so the transaction reads it on.
              .recover(error -> ImageStore.isDuplicate(error) ? conn.preparedQuery("SELECT " + COLUMNS
                      + ", 0 AS distance_m FROM alerts a WHERE a.image_id = ? AND a.alert_type = ?")
                  .execute(Tuple.of(draft.imageId(), draft.alertType().wireName()))
                  .map(existing -> new AlertSaved(false, alertOf(existing.iterator().next()), true))
                  : Future.failedFuture(error));
        });
  }

  private static Future<Alert> byId(SqlClient client, String id) {
    return client.preparedQuery("SELECT " + COLUMNS + ", 0 AS distance_m FROM alerts a WHERE a.id = ?")
        .execute(Tuple.of(id))
        .map(rows -> alertOf(rows.iterator().next()));
  }

  /**
   * Active alerts whose circle reaches the query circle. The bounding box lets the spatial index
   * narrow the scan; the exact test is the spherical distance.
   */
  @Override
  public Future<List<Alert>> active(double latitude, double longitude, double radiusKm, int limit) {
    double reachKm = radiusKm + AlertDraft.MAX_RADIUS_KM;
    GeoMath.BoundingBox box = GeoMath.boundingBox(latitude, longitude, reachKm);
    String spatialFilter = box.crossesAntimeridian() ? "" : "AND MBRContains(ST_GeomFromText(?), a.location)";
    Tuple params = Tuple.of(longitude, latitude);
    if (!box.crossesAntimeridian()) {
      params.addString(box.toWkt());
    }
    params.addDouble(longitude).addDouble(latitude).addDouble(radiusKm).addInteger(limit);
    return reads.preparedQuery("SELECT " + COLUMNS + """
                , ST_Distance_Sphere(a.location, Point(?, ?)) AS distance_m FROM alerts a
                WHERE a.expires_at > NOW(3) AND a.state IN ('active','acknowledged') """ + spatialFilter + """
                 AND ST_Distance_Sphere(a.location, Point(?, ?)) <= (? + a.radius_km) * 1000
                ORDER BY distance_m LIMIT ?""")
        .execute(params)
        .map(rows -> {
          List<Alert> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(alertOf(row));
          }
          return out;
        });
  }

  @Override
  public Future<Alert> get(String alertId) {
    return ReadYourWrites.byId(reads, primary, pool -> pool
        .preparedQuery("SELECT " + COLUMNS + ", 0 AS distance_m FROM alerts a WHERE a.id = ?")
        .execute(Tuple.of(alertId))
        .map(rows -> rows.size() == 0 ? Optional.<Alert>empty()
            : Optional.of(alertOf(rows.iterator().next()))))
        .map(found -> found.orElseThrow(() -> Failure.notFound("no alert with id " + alertId)));
  }

  /**
   * Alerts raised in [from, to), optionally whose circle reaches the query circle, newest first: the public ones,
   * or with {@code unverifiedOnly} those held for an operator (not expired).
   */
  @Override
  public Future<List<Alert>> history(AlertsHistoryQuery query) {
    boolean near = query.latitude() != null && query.longitude() != null;
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(near
        ? ", ST_Distance_Sphere(a.location, Point(?, ?)) AS distance_m" : ", 0 AS distance_m")
        .append(" FROM alerts a WHERE a.created_at >= FROM_UNIXTIME(?) AND a.created_at < FROM_UNIXTIME(?)");
    Tuple params = Tuple.tuple();
    if (near) {
      params.addDouble(query.longitude()).addDouble(query.latitude());
    }
    params.addDouble(java.time.Instant.parse(query.from()).toEpochMilli() / 1000.0)
        .addDouble(java.time.Instant.parse(query.to()).toEpochMilli() / 1000.0);
    if (near) {
      sql.append(" AND ST_Distance_Sphere(a.location, Point(?, ?)) <= (? + a.radius_km) * 1000");
      params.addDouble(query.longitude()).addDouble(query.latitude())
          .addDouble(query.radiusKm() == null ? 0 : query.radiusKm());
    }
    if (query.unverifiedOnly()) {
      sql.append(" AND a.state = 'unverified' AND a.expires_at > NOW(3)");
    } else if (query.activeOnly()) {
      sql.append(" AND a.expires_at > NOW(3) AND a.state IN ('active','acknowledged')");
    } else {
      sql.append(" AND a.state IN ").append(PUBLIC_STATES);
    }
    sql.append(" ORDER BY a.created_at DESC LIMIT ?");
    params.addInteger(query.limit());
    return reads.preparedQuery(sql.toString()).execute(params).map(rows -> {
      List<Alert> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        out.add(alertOf(row));
      }
      return out;
    });
  }

  /**
   * A page of published alerts for OGC API - Features, newest first (ties by id, so pages do not overlap), with the
   * count of all that match. The box and window are compared with the stored point and raise time, edges included.
   */
  @Override
  public Future<AlertPage> features(AlertFeatureQuery query) {
    StringBuilder where = new StringBuilder(" FROM alerts a WHERE a.state IN ").append(PUBLIC_STATES);
    Tuple params = Tuple.tuple();
    FeatureFilters.box(where, params, query.bbox(), "a.longitude", "a.longitude", "a.latitude", "a.latitude");
    FeatureFilters.window(where, params, "a.created_at", query.from(), query.to());
    if (query.type() != null) {
      where.append(" AND a.alert_type = ?");
      params.addString(query.type());
    }
    if (query.severity() != null) {
      where.append(" AND a.severity = ?");
      params.addString(query.severity());
    }
    Tuple pageParams = FeatureFilters.copy(params).addInteger(query.limit()).addInteger(query.offset());
    Future<Long> matched = reads.preparedQuery("SELECT COUNT(*) AS matched" + where).execute(params)
        .map(rows -> rows.iterator().next().getLong("matched"));
    Future<List<Alert>> page = reads.preparedQuery("SELECT " + COLUMNS + ", 0 AS distance_m" + where
            + " ORDER BY a.created_at DESC, a.id LIMIT ? OFFSET ?")
        .execute(pageParams)
        .map(rows -> {
          List<Alert> out = new ArrayList<>(rows.size());
          for (Row row : rows) {
            out.add(alertOf(row));
          }
          return out;
        });
    return Future.all(matched, page).map(both -> new AlertPage(page.result(), matched.result()));
  }

  /**
   * Acknowledges (the alert stays active; an internal step, not a new version), resolves (it ends: a new version,
   * the public Cancel) or confirms an alert (an unverified one becomes active: published), recording who did it. A
   * resolved alert stays resolved; resolving an unverified alert rejects it (it never becomes public). Acknowledging
   * an alert that is not public, or confirming one that is not unverified (or has expired), is a conflict. Read back
   * on the primary, so the caller sees its own change.
   */
  @Override
  public Future<Alert> transition(AlertTransition change) {
    return Transactions.run(primary, conn -> conn.preparedQuery(
            "SELECT state, expires_at > NOW(3) AS live FROM alerts WHERE id = ? FOR UPDATE")
        .execute(Tuple.of(change.alertId()))
        .compose(found -> {
          if (found.size() == 0) {
            return Future.failedFuture(Failure.notFound("no alert with id " + change.alertId()));
          }
          Row current = found.iterator().next();
          AlertState state = AlertState.fromWire(current.getString("state"));
          String sql;
          switch (change.action()) {
            case CONFIRM -> {
              if (state != AlertState.UNVERIFIED || !Boolean.TRUE.equals(current.getBoolean("live"))) {
                return Future.failedFuture(new Failure(Failure.Code.CONFLICT, "alert " + change.alertId()
                    + " is not awaiting confirmation (state " + state.wireName() + (Boolean.TRUE.equals(current.getBoolean("live"))
                    ? "" : ", expired") + ")"));
              }
              sql = "UPDATE alerts SET state = 'active', confirmed_at = NOW(3), confirmed_by = ? WHERE id = ?";
            }
            case ACKNOWLEDGE -> {
              if (!state.isPublic()) {
                return Future.failedFuture(new Failure(Failure.Code.CONFLICT, "alert " + change.alertId()
                    + " is " + state.wireName() + ": confirm it before acknowledging it"));
              }
              sql = "UPDATE alerts SET state = IF(state = 'resolved', state, 'acknowledged'), acknowledged_at = COALESCE(acknowledged_at, NOW(3)), acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ?";
            }
            default -> sql = state.isPublic() // RESOLVE
                ? "UPDATE alerts SET version = IF(state = 'resolved', version, version + 1), updated_at = IF(state = 'resolved', updated_at, NOW(3)), state = 'resolved', resolved_at = COALESCE(resolved_at, NOW(3)), resolved_by = COALESCE(resolved_by, ?) WHERE id = ?"
                : "UPDATE alerts SET state = 'rejected', resolved_at = COALESCE(resolved_at, NOW(3)), resolved_by = COALESCE(resolved_by, ?) WHERE id = ?";
          }
          return conn.preparedQuery(sql).execute(Tuple.of(change.by(), change.alertId()))
              .compose(updated -> byId(conn, change.alertId()));
        }));
  }

  /** The evidence as stored (JSON text): the merged alert keeps the evidence of the version that set its severity. */
  private static String evidenceText(AlertDraft draft) {
    return draft.evidence() == null ? null : draft.evidence().encode();
  }

  /** The extent area as stored (a JSON array of CAP polygon values); null without one, so a merge keeps the last. */
  private static String areaText(AlertDraft draft) {
    return draft.areaPolygons().isEmpty() ? null : new JsonArray(new ArrayList<>(draft.areaPolygons())).encode();
  }

  private static Alert alertOf(Row row) {
    String evidence = row.getString("evidence");
    String area = row.getString("area_polygons");
    List<String> polygons = new ArrayList<>();
    if (area != null) {
      new JsonArray(area).forEach(polygon -> polygons.add((String) polygon));
    }
    return new Alert(row.getString("id"), row.getString("image_id"), Hazard.fromWire(row.getString("alert_type")),
        RiskLevel.fromWire(row.getString("severity")), row.getDouble("latitude"), row.getDouble("longitude"),
        row.getDouble("radius_km"), row.getDouble("probability"), row.getDouble("confidence"), row.getString("title"),
        row.getString("description"), Rows.instant(row, "created_at"), Rows.instant(row, "expires_at"),
        Math.round(((Number) row.getValue("distance_m")).doubleValue()) / 1000.0, row.getInteger("version"),
        Rows.instant(row, "updated_at"), AlertState.fromWire(row.getString("state")),
        evidence == null ? null : new JsonObject(evidence), polygons);
  }
}
