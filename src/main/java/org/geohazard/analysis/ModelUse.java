package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Which model looked at an image and how: its version, the view it was shown, the bands that made it
 * (for a multi-band raster), and the scale the image was resampled by to reach the model's ground
 * sample distance (1 when kept as it was; null when the image's scale was unknown).
 */
public record ModelUse(String version, String view, int[] bands, Double gsdM, Double scale) {

  public JsonObject toJson() {
    JsonArray bandList = null;
    if (bands != null) {
      bandList = new JsonArray();
      for (int band : bands) {
        bandList.add(band);
      }
    }
    return new JsonObject().put("version", version).put("view", view).put("bands", bandList)
        .put("gsd_m", gsdM).put("scale", scale == null ? null : AnalyzedDetection.round(scale, 4));
  }

  public static ModelUse fromJson(JsonObject json) {
    JsonArray list = json.getJsonArray("bands");
    int[] bands = null;
    if (list != null) {
      bands = new int[list.size()];
      for (int i = 0; i < bands.length; i++) {
        bands[i] = list.getInteger(i);
      }
    }
    return new ModelUse(json.getString("version"), json.getString("view"), bands, json.getDouble("gsd_m"),
        json.getDouble("scale"));
  }
}
