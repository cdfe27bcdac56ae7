package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.geo.GeoMath;

/**
 * Which alerts a listener wants (an alert stream, a webhook): every field optional. A circle keeps alerts whose
 * area reaches it; a box ({@code west, south, east, north}, possibly across the antimeridian) those whose point
 * lies in it; a type and a least severity narrow further.
 */
public record AlertFilter(Double latitude, Double longitude, double radiusKm, double[] bbox, Hazard type,
                          RiskLevel minSeverity) {

  public static final AlertFilter ALL = new AlertFilter(null, null, 0, null, null, null);

  public AlertFilter {
    if ((latitude == null) != (longitude == null)) {
      throw new IllegalArgumentException("give latitude and longitude together, or neither");
    }
    if (bbox != null && (bbox.length != 4 || bbox[1] > bbox[3] || Math.abs(bbox[1]) > 90 || Math.abs(bbox[3]) > 90
        || Math.abs(bbox[0]) > 180 || Math.abs(bbox[2]) > 180)) {
      throw new IllegalArgumentException("bbox must be west,south,east,north in degrees, south <= north");
    }
  }

  public boolean accepts(Alert alert) {
    if (type != null && type != alert.alertType()) {
      return false;
    }
    if (minSeverity != null && !alert.severity().atLeast(minSeverity)) {
      return false;
    }
    if (latitude != null && GeoMath.distanceKm(latitude, longitude, alert.latitude(), alert.longitude())
        > radiusKm + alert.radiusKm()) {
      return false;
    }
    if (bbox != null) {
      double west = bbox[0], south = bbox[1], east = bbox[2], north = bbox[3];
      boolean inLongitude = west <= east ? alert.longitude() >= west && alert.longitude() <= east
          : alert.longitude() >= west || alert.longitude() <= east;
      return inLongitude && alert.latitude() >= south && alert.latitude() <= north;
    }
    return true;
  }

  public JsonObject toJson() {
    JsonArray box = null;
    if (bbox != null) {
      box = new JsonArray().add(bbox[0]).add(bbox[1]).add(bbox[2]).add(bbox[3]);
    }
    return new JsonObject().put("latitude", latitude).put("longitude", longitude)
        .put("radius_km", latitude == null ? null : radiusKm).put("bbox", box).put("type", type == null ? null : type.wireName())
        .put("min_severity", minSeverity == null ? null : minSeverity.wireName());
  }

  public static AlertFilter fromJson(JsonObject json) {
    JsonArray box = json.getJsonArray("bbox");
    double[] bbox = null;
    if (box != null) {
      bbox = new double[box.size()];
      for (int i = 0; i < bbox.length; i++) {
        bbox[i] = box.getDouble(i);
      }
    }
    String severity = json.getString("min_severity");
    // toJson writes an explicit null radius when there is no centre, so the default must cover null as well
    Double radius = json.getDouble("radius_km");
    return new AlertFilter(json.getDouble("latitude"), json.getDouble("longitude"), radius == null ? 50.0 : radius,
        bbox, json.getString("type") == null ? null : Hazard.fromWire(json.getString("type")), severity == null ? null : RiskLevel.fromWire(severity));
  }
}
