package org.geohazard.ogc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The documents of OGC API - Features Part 1 a client walks: landing page → conformance and collections → a
 * collection → its items, page by page through {@code next} links. Every href is absolute, made from the node's
 * {@code base} URL as the client reached it ({@code http://host:port}), so links work behind the name the client used.
 */
public final class OgcDocuments {

  public static final String GEO_JSON = "application/geo+json";
  public static final String JSON = "application/json";
  /** OGC API - Features Part 1 requirement classes this node implements. */
  public static final String CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core";
  public static final String GEOJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson";
  public static final String OAS30 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30";
  public static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
  public static final String ROOT = "/ogc";

  private OgcDocuments() {}

  public static JsonObject landing(String base) {
    String root = base + ROOT;
    return new JsonObject()
        .put("title", "geohazard")
        .put("description",
            "Landslide and flood alerts, detections and flood extents as OGC API - Features collections.")
        .put("links", new JsonArray()
            .add(link(root, "self", JSON, "This document"))
            .add(link(root + "/conformance", "conformance", JSON, "Conformance classes"))
            .add(link(root + "/collections", "data", JSON, "Feature collections"))
            // The contract is OpenAPI 3.1 YAML; 3.1 is a superset of what oas30 asks of the description.
            .add(link(base + "/openapi.yaml", "service-desc", "application/vnd.oai.openapi;version=3.0",
                "The API definition"))
            .add(link(base + "/docs/", "service-doc", "text/html", "The API documentation")));
  }

  public static JsonObject conformance() {
    return new JsonObject().put("conformsTo", new JsonArray().add(CORE).add(GEOJSON).add(OAS30));
  }

  public static JsonObject collections(String base) {
    JsonArray collections = new JsonArray();
    for (OgcCollection collection : OgcCollection.values()) {
      collections.add(collection(base, collection));
    }
    return new JsonObject()
        .put("links", new JsonArray().add(link(base + ROOT + "/collections", "self", JSON, "Feature collections")))
        .put("collections", collections);
  }

  public static JsonObject collection(String base, OgcCollection collection) {
    String href = base + ROOT + "/collections/" + collection.id();
    return new JsonObject()
        .put("id", collection.id())
        .put("title", collection.title())
        .put("description", collection.description())
        .put("itemType", "feature")
        .put("crs", new JsonArray().add(CRS84))
        .put("extent", new JsonObject()
            .put("spatial", new JsonObject().put("bbox", new JsonArray().add(new JsonArray().add(-180).add(-90)
                .add(180).add(90))).put("crs", CRS84))
            .put("temporal", new JsonObject().put("interval", new JsonArray().add(new JsonArray().addNull()
                .addNull())).put("trs", "http://www.opengis.net/def/uri/ISO-8601/0/Gregorian")))
        .put("links", new JsonArray()
            .add(link(href, "self", JSON, collection.title()))
            .add(link(href + "/items", "items", GEO_JSON, collection.title() + " as GeoJSON")));
  }

  /**
   * One page of features: {@code numberMatched} (all that match the query), {@code numberReturned}, {@code timeStamp}
   * and links {@code self} and, when more match, {@code next}.
   */
  public static JsonObject page(String base, ItemsQuery query, JsonArray features, long matched, Instant now) {
    String items = base + ROOT + "/collections/" + query.collection().id() + "/items?";
    JsonArray links = new JsonArray()
        .add(link(items + query.queryString(query.offset()), "self", GEO_JSON, "This page"));
    int next = query.nextOffset(features.size(), matched);
    if (next >= 0) {
      links.add(link(items + query.queryString(next), "next", GEO_JSON, "Next page"));
    }
    links.add(link(base + ROOT + "/collections/" + query.collection().id(), "collection", JSON,
        query.collection().title()));
    return new JsonObject()
        .put("type", "FeatureCollection")
        .put("features", features)
        .put("numberMatched", matched)
        .put("numberReturned", features.size())
        .put("timeStamp", now.truncatedTo(ChronoUnit.SECONDS).toString())
        .put("links", links);
  }

  /** A single feature with its links to itself and its collection. */
  public static JsonObject feature(String base, OgcCollection collection, JsonObject feature) {
    String collectionHref = base + ROOT + "/collections/" + collection.id();
    return feature.copy().put("links", new JsonArray()
        .add(link(collectionHref + "/items/" + feature.getString("id"), "self", GEO_JSON, "This feature"))
        .add(link(collectionHref, "collection", JSON, collection.title())));
  }

  private static JsonObject link(String href, String rel, String type, String title) {
    return new JsonObject().put("href", href).put("rel", rel).put("type", type).put("title", title);
  }
}
