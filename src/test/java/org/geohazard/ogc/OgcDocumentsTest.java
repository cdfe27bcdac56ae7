package org.geohazard.ogc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OgcDocumentsTest {

  private static final String BASE = "http://gis.example:8080";

  private static Map<String, String> hrefByRel(JsonArray links) {
    return links.stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(l -> l.getString("rel"), l -> l.getString("href")));
  }

  @Test
  void landingLinksWhatAClientWalksNext() {
    Map<String, String> links = hrefByRel(OgcDocuments.landing(BASE).getJsonArray("links"));
    assertThat(links).containsEntry("self", BASE + "/ogc")
        .containsEntry("conformance", BASE + "/ogc/conformance")
        .containsEntry("data", BASE + "/ogc/collections")
        .containsEntry("service-desc", BASE + "/openapi.yaml");
  }

  @Test
  void conformanceDeclaresCoreGeoJsonAndOpenApi() {
    assertThat(OgcDocuments.conformance().getJsonArray("conformsTo").getList())
        .containsExactly(OgcDocuments.CORE, OgcDocuments.GEOJSON, OgcDocuments.OAS30);
  }

  @Test
  void everyCollectionLinksItsItemsAsGeoJson() {
    JsonArray collections = OgcDocuments.collections(BASE).getJsonArray("collections");
    assertThat(collections.stream().map(c -> ((JsonObject) c).getString("id"))).containsExactly("alerts", "detections",
        "flood_extents");
    JsonObject alerts = collections.getJsonObject(0);
    JsonObject items = alerts.getJsonArray("links").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("rel").equals("items")).findFirst().orElseThrow();
    assertThat(items.getString("href")).isEqualTo(BASE + "/ogc/collections/alerts/items");
    assertThat(items.getString("type")).isEqualTo("application/geo+json");
    assertThat(alerts.getString("itemType")).isEqualTo("feature");
  }

  @Test
  void aPageCountsAndLinksTheNextOnlyWhileMoreMatch() {
    ItemsQuery query = ItemsQuery.parse(OgcCollection.DETECTIONS, Map.of("limit", "2", "offset", "2")::get);
    JsonArray two = new JsonArray().add(new JsonObject()).add(new JsonObject());
    JsonObject middle = OgcDocuments.page(BASE, query, two, 5, Instant.parse("2026-12-07T10:00:00.123Z"));
    assertThat(middle.getLong("numberMatched")).isEqualTo(5);
    assertThat(middle.getInteger("numberReturned")).isEqualTo(2);
    assertThat(middle.getString("timeStamp")).isEqualTo("2026-12-07T10:00:00Z");
    Map<String, String> links = hrefByRel(middle.getJsonArray("links"));
    assertThat(links.get("self")).isEqualTo(BASE + "/ogc/collections/detections/items?limit=2&offset=2");
    assertThat(links.get("next")).isEqualTo(BASE + "/ogc/collections/detections/items?limit=2&offset=4");
    JsonObject last = OgcDocuments.page(BASE, query, two, 4, Instant.now());
    assertThat(hrefByRel(last.getJsonArray("links"))).doesNotContainKey("next");
  }
}
