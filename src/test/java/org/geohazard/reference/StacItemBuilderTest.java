package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.junit.jupiter.api.Test;

class StacItemBuilderTest {

  private static final String API = "https://node.example.org/api/v1/results/img-42";

  private static StacItemBuilder completed() throws Exception {
    GeoReference utm33 = GeoReference.ofGeoTransform(32633, true, 399_960, 10, 0, 5_900_040, 0, -10);
    return new StacItemBuilder("img-42")
        .footprint(StacItemBuilder.footprint(utm33, 10_980, 10_980))
        .datetime(Instant.parse("2026-12-01T10:23:49.024Z"))
        .processed(Instant.parse("2026-12-07T08:00:00Z"))
        .model(new StacItemBuilder.ModelUsed("geohazard-s2flood", "3", "swir_nir_green"))
        .detectionCount(2)
        .selfHref(API + "/stac")
        .resultHref(API)
        .detectionsHref(API + "?format=geojson")
        .sourceHref("s3://geohazard-images/scenes/S2B_33UUP.tif");
  }

  @Test
  void completedResultIsACoreStacItem() throws Exception {
    JsonObject item = completed().build();
    // The core Item schema's required fields and their types.
    assertThat(item.getString("type")).isEqualTo("Feature");
    assertThat(item.getString("stac_version")).isEqualTo("1.0.0");
    assertThat(item.getString("id")).isEqualTo("img-42");
    assertThat(item.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
    assertThat(item.getJsonArray("bbox")).hasSize(4);
    assertThat(item.getJsonObject("properties").getString("datetime")).isEqualTo("2026-12-01T10:23:49.024Z");
    for (Object link : item.getJsonArray("links")) {
      assertThat(((JsonObject) link).fieldNames()).contains("rel", "href");
    }
    for (String key : item.getJsonObject("assets").fieldNames()) {
      assertThat(item.getJsonObject("assets").getJsonObject(key).getString("href")).isNotBlank();
    }
    assertThat(item.getJsonArray("links").getJsonObject(0).getString("rel")).isEqualTo("self");
    assertThat(item.getJsonObject("assets").getJsonObject("detections").getString("type"))
        .isEqualTo("application/geo+json");
    assertThat(item.getJsonObject("assets").containsKey("mask")).isFalse();
    assertThat(item.getJsonObject("properties").getJsonArray("geohazard:models").getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "geohazard-s2flood").put("version", "3").put("view", "swir_nir_green"));
  }

  @Test
  void footprintIsTheScenesCornersCounterClockwiseAndBboxHoldsThem() throws Exception {
    JsonObject item = completed().build();
    JsonArray ring = item.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring).hasSize(5);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(4));
    // Counter-clockwise (RFC 7946) from the north-west corner: south along the west edge, then east.
    assertThat(ring.getJsonArray(1).getDouble(1)).isLessThan(ring.getJsonArray(0).getDouble(1));
    assertThat(ring.getJsonArray(2).getDouble(0)).isGreaterThan(ring.getJsonArray(1).getDouble(0));
    assertThat(ring.getJsonArray(3).getDouble(1)).isGreaterThan(ring.getJsonArray(2).getDouble(1));
    // Tile 33UUP's grid: about 13.5–15.2° E, 52.2–53.2° N.
    JsonArray bbox = item.getJsonArray("bbox");
    assertThat(bbox.getDouble(0)).isBetween(13.4, 13.7);
    assertThat(bbox.getDouble(1)).isBetween(52.1, 52.3);
    assertThat(bbox.getDouble(2)).isBetween(15.0, 15.3);
    assertThat(bbox.getDouble(3)).isBetween(53.1, 53.3);
  }

  @Test
  void maskIsAnAssetWhenTheResultHasOne() throws Exception {
    JsonObject item = completed().maskHref(API + "/mask.tif").build();
    assertThat(item.getJsonObject("assets").getJsonObject("mask").getString("type"))
        .isEqualTo("image/tiff; application=geotiff");
  }

  @Test
  void imageWithoutGeographyHasANullGeometryAndNoBbox() {
    JsonObject item = new StacItemBuilder("img-7").datetime(Instant.EPOCH).selfHref("s").detectionsHref("d").build();
    assertThat(item.containsKey("geometry")).isTrue();
    assertThat(item.getValue("geometry")).isNull();
    assertThat(item.containsKey("bbox")).isFalse();
  }

  @Test
  void refusesToBuildWithoutWhatTheSchemaRequires() {
    assertThatThrownBy(() -> new StacItemBuilder("x").selfHref("s").detectionsHref("d").build())
        .hasMessageContaining("datetime");
    assertThatThrownBy(() -> new StacItemBuilder("x").datetime(Instant.EPOCH).detectionsHref("d").build())
        .hasMessageContaining("self link");
    assertThatThrownBy(() -> new StacItemBuilder(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StacItemBuilder("x").footprint(List.of(new LonLat(0, 0), new LonLat(1, 0))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
