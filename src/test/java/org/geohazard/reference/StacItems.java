package org.geohazard.reference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * STAC Items written for the tests, laid out as public Sentinel-2 L2A and Sentinel-1 catalogues publish them (COG
 * band assets with eo:bands and projection fields; 10 m visible and NIR bands, 20 m SWIR), with made-up places.
 */
final class StacItems {

  static final String BASE = "https://catalogue.example.org/collections/sentinel-2-l2a/items/S2B_33UUP_20261201/";

  private StacItems() {
  }

  static JsonObject sentinel2(boolean commonNameKeys) {
    JsonObject assets = new JsonObject();
    band(assets, commonNameKeys ? "blue" : "B02", "B02", "blue", 10);
    band(assets, commonNameKeys ? "green" : "B03", "B03", "green", 10);
    band(assets, commonNameKeys ? "red" : "B04", "B04", "red", 10);
    band(assets, commonNameKeys ? "nir" : "B08", "B08", "nir", 10);
    band(assets, commonNameKeys ? "nir08" : "B8A", "B8A", "nir08", 20);
    band(assets, commonNameKeys ? "swir16" : "B11", "B11", "swir16", 20);
    assets.put("visual", new JsonObject().put("href", "TCI.tif")
        .put("type", "image/tiff; application=geotiff; profile=cloud-optimized")
        .put("eo:bands", new JsonArray().add(new JsonObject().put("name", "B04").put("common_name", "red"))
            .add(new JsonObject().put("name", "B03").put("common_name", "green"))
            .add(new JsonObject().put("name", "B02").put("common_name", "blue")))
        .put("roles", new JsonArray().add("visual")));
    assets.put("thumbnail", new JsonObject().put("href", "thumbnail.jpg").put("type", "image/jpeg")
        .put("roles", new JsonArray().add("thumbnail")));
    return item("S2B_33UUP_20261201_0_L2A", "sentinel-2b", assets)
        .put("stac_extensions", new JsonArray()
            .add("https://stac-extensions.github.io/eo/v1.1.0/schema.json")
            .add("https://stac-extensions.github.io/projection/v1.1.0/schema.json"));
  }

  static JsonObject sentinel1() {
    JsonObject assets = new JsonObject();
    for (String polarisation : new String[] {"vv", "vh"}) {
      assets.put(polarisation, new JsonObject().put("href", "s3://geohazard-images/s1/" + polarisation + ".tif")
          .put("type", "image/tiff; application=geotiff; profile=cloud-optimized")
          .put("roles", new JsonArray().add("data")));
    }
    JsonObject item = item("S1A_IW_GRDH_20261201", "sentinel-1a", assets);
    item.getJsonObject("properties").put("sar:polarizations", new JsonArray().add("VV").add("VH"));
    return item;
  }

  static JsonObject item(String id, String platform, JsonObject assets) {
    JsonArray ring = new JsonArray()
        .add(new JsonArray().add(13.58).add(53.16)).add(new JsonArray().add(15.22).add(53.19))
        .add(new JsonArray().add(15.25).add(52.20)).add(new JsonArray().add(13.64).add(52.17))
        .add(new JsonArray().add(13.58).add(53.16));
    return new JsonObject()
        .put("type", "Feature")
        .put("stac_version", "1.0.0")
        .put("id", id)
        .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring)))
        .put("bbox", new JsonArray().add(13.58).add(52.17).add(15.25).add(53.19))
        .put("properties", new JsonObject().put("datetime", "2026-12-01T10:23:49.024000Z")
            .put("platform", platform).put("proj:epsg", 32633).put("eo:cloud_cover", 3.2))
        .put("links", new JsonArray()
            .add(new JsonObject().put("rel", "self").put("href", BASE + "item.json"))
            .add(new JsonObject().put("rel", "collection").put("href", "../../")))
        .put("assets", assets);
  }

  static void band(JsonObject assets, String key, String name, String commonName, int gsd) {
    int side = 109_800 / gsd;
    assets.put(key, new JsonObject()
        .put("href", "./" + name + ".tif")
        .put("type", "image/tiff; application=geotiff; profile=cloud-optimized")
        .put("title", name)
        .put("eo:bands", new JsonArray().add(new JsonObject().put("name", name).put("common_name", commonName)))
        .put("gsd", gsd)
        .put("proj:shape", new JsonArray().add(side).add(side))
        .put("proj:transform", new JsonArray().add(gsd).add(0).add(399_960).add(0).add(-gsd).add(5_900_040))
        .put("roles", new JsonArray().add("data")));
  }
}
