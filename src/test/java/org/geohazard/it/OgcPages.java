package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/** The node's OGC API - Features read page by page, as the ITs compare GDAL's copies with it. */
final class OgcPages {

  private OgcPages() {}

  /** One page (or feature) of {@code path}, with a key or anonymously (null); 200 and GeoJSON, or the test fails. */
  static JsonObject items(TestNode node, String path, String key) {
    HttpResponse<Buffer> response = key == null ? node.get(path) : node.get(path, key);
    assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/geo+json");
    return response.bodyAsJsonObject();
  }

  /** Every feature of a query, following its next links. */
  static JsonArray allFeatures(TestNode node, String path, String key) {
    JsonArray all = new JsonArray();
    String next = path;
    while (next != null) {
      JsonObject page = items(node, next, key);
      page.getJsonArray("features").forEach(all::add);
      String href = rels(page.getJsonArray("links")).get("next");
      next = href == null ? null : href.substring(href.indexOf("/ogc/"));
    }
    return all;
  }

  /** Links by their rel. */
  static Map<String, String> rels(JsonArray links) {
    Map<String, String> byRel = new HashMap<>();
    links.forEach(link -> byRel.put(((JsonObject) link).getString("rel"), ((JsonObject) link).getString("href")));
    return byRel;
  }
}
