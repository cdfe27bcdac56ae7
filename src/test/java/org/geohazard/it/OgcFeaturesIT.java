package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OGC API - Features read by GDAL's own OAPIF driver, the client QGIS uses too: {@code ogrinfo} lists the
 * collections, {@code ogr2ogr} copies {@code alerts} and {@code detections} into a GeoPackage, which GDAL reads back,
 * and what it holds is compared with what the API answers (count, geometries within 1e-7°, attributes); a bbox
 * through GDAL ({@code -spat}) gives exactly the API's answer. Skips visibly where GDAL is not installed
 * ({@code scripts/local-stack.sh up} installs gdal-bin). Also: the STAC Item of a result.
 *
 * <p>The data are made through the API: GeoTIFF scenes (UTM 33N, a turbid-water rectangle) uploaded with keys, two
 * by a publishing tenant (two published alerts ~60 km apart) and one by another tenant.
 */
class OgcFeaturesIT {

  private static final double PIXEL_METRES = 10;
  /**
   * A different place every run, so that this run's alerts are not merged into an earlier run's; always in Chad
   * (14-19° N, 14.8-17.5° E, the scenes 60 km east and south of it, clear of Lake Chad), on land: a flood at sea is
   * permanent water. Earlier runs' features may lie in this run's boxes: what is compared is GDAL with the API, and
   * this run's own features by id.
   */
  private static final double EASTING = 480_000 + new Random().nextInt(280_000);
  private static final double NORTHING = 1_560_000 + new Random().nextInt(540_000);
  private static final double SECOND_SCENE_OFFSET_M = 60_000;

  private static TestNode node;
  private static String publisher;
  private static String otherTenant;
  private static String firstUpload;
  private static String thirdUpload;
  private static String root;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNodeAndMakeData() throws Exception {
    node = TestNode.start(Map.of());
    root = "http://127.0.0.1:" + node.node.httpPort() + "/ogc";
    publisher = node.createKey("ogc-it-publisher", "read,upload,publish");
    otherTenant = node.createKey("ogc-it-other", "read,upload,publish");
    firstUpload = analysed(scene(EASTING, NORTHING), publisher);
    analysed(scene(EASTING + SECOND_SCENE_OFFSET_M, NORTHING), publisher);
    thirdUpload = analysed(scene(EASTING, NORTHING - SECOND_SCENE_OFFSET_M), otherTenant);
    // The alerts are raised after the results are saved: wait until both of the publisher's are listed.
    node.pollUntil(() -> node.client.get("/ogc/collections/alerts/items").addQueryParam("bbox", regionBox())
            .addQueryParam("limit", "100").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getInteger("numberMatched") >= 3, TestNode.TIMEOUT);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** A 1024 × 768 uint16 scene, grey with a sparse pattern and a flood rectangle; a random corner makes it new. */
  private static byte[] scene(double easting, double northing) throws Exception {
    int salt = new Random().nextInt(1000);
    int[] flood = {120, 90, 60};
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      boolean water = x >= 400 && x < 700 && y >= 250 && y < 550;
      int level = water ? flood[band] : (x * 7 + y * 3) % 23 == 0 ? 0 : (x * 7 + y * 3) % 23 == 11 ? 255 : 128;
      return x == 1 && y == 1 ? level * 100 + salt : level * 100;
    };
    Path file = Files.createTempFile(dir, "ogc-", ".tif");
    new GeoTiffFixture(1024, 768).bands(3, SampleType.UINT16).compression(GeoTiffFixture.Compression.DEFLATE)
        .tiles(256).georeferenced(32633, true, easting, northing, PIXEL_METRES, PIXEL_METRES).samples(samples)
        .write(file);
    return Files.readAllBytes(file);
  }

  private static String analysed(byte[] scene, String key) {
    HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "scene.tif", scene,
        Map.of("bands", "1,2,3"), key);
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(202);
    String id = accepted.bodyAsJsonObject().getString("image_id");
    JsonObject result = node.awaitFinished(id);
    assertThat(result.getString("status")).as(result.encodePrettily()).isEqualTo("completed");
    assertThat(result.getJsonObject("analysis").getString("georeference")).isEqualTo("exact");
    assertThat(result.getJsonObject("analysis").getInteger("flood_count")).as(result.encodePrettily()).isPositive();
    return id;
  }

  private static GeoReference utm() {
    try {
      return GeoReference.ofGeoTransform(32633, true, EASTING, PIXEL_METRES, 0, NORTHING, 0, -PIXEL_METRES);
    } catch (UnsupportedGeoReferenceException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Around all three scenes (and nothing an earlier run left, which lies elsewhere). */
  private static String regionBox() {
    return box(utm().toWgs84(-1000, 2 * SECOND_SCENE_OFFSET_M / PIXEL_METRES),
        utm().toWgs84(2 * SECOND_SCENE_OFFSET_M / PIXEL_METRES, -1000));
  }

  /** Around the first scene only (the second is 60 km east, the third 60 km south). */
  private static String firstSceneBox() {
    return box(utm().toWgs84(-500, 1300), utm().toWgs84(1500, -500));
  }

  private static String box(LonLat southWest, LonLat northEast) {
    return southWest.lon() + "," + southWest.lat() + "," + northEast.lon() + "," + northEast.lat();
  }

  // ---- the API as a GIS client walks it -------------------------------------------------------------------

  @Test
  void landingConformanceAndCollectionsAreWhatTheContractDeclares() {
    JsonObject landing = node.checked("getOgcLanding", node.get("/ogc"));
    assertThat(rels(landing.getJsonArray("links"))).containsKeys("self", "conformance", "data", "service-desc");
    assertThat(rels(landing.getJsonArray("links")).get("service-desc"))
        .endsWith("/openapi.yaml");
    assertThat(node.get("/ogc/").statusCode()).isEqualTo(200);
    JsonObject conformance = node.checked("getOgcConformance", node.get("/ogc/conformance"));
    assertThat(conformance.getJsonArray("conformsTo").getList()).contains(
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    JsonObject collections = node.checked("getOgcCollections", node.get("/ogc/collections"));
    assertThat(collections.getJsonArray("collections").stream().map(c -> ((JsonObject) c).getString("id")))
        .containsExactly("alerts", "detections", "flood_extents");
    assertThat(node.checked("getOgcCollection", node.get("/ogc/collections/alerts")).getString("id"))
        .isEqualTo("alerts");
  }

  @Test
  void badQueriesAre400AndUnknownCollectionsAndFeaturesAre404() {
    for (String query : new String[] {"bbox=1,2,3", "bbox=10,50,20,40", "bbox=a,b,c,d", "datetime=yesterday",
        "datetime=2026-12-02T00:00:00Z/2026-12-01T00:00:00Z", "limit=0", "limit=ten", "type=fire"}) {
      HttpResponse<Buffer> response = node.get("/ogc/collections/alerts/items?" + query);
      assertThat(response.statusCode()).as(query + ": " + response.bodyAsString()).isEqualTo(400);
      node.checked("getOgcItems", response);
    }
    assertThat(node.get("/ogc/collections/detections/items?severity=high").statusCode()).isEqualTo(400);
    for (String path : new String[] {"/ogc/collections/rivers", "/ogc/collections/rivers/items",
        "/ogc/collections/alerts/items/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10", "/ogc/collections/alerts/items/x",
        "/ogc/collections/detections/items/" + firstUpload + ".999",
        "/ogc/collections/detections/items/" + thirdUpload + ".1"}) {
      HttpResponse<Buffer> response = node.get(path, publisher);
      assertThat(response.statusCode()).as(path + ": " + response.bodyAsString()).isEqualTo(404);
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
    }
  }

  @Test
  void pagesFollowNextLinksAndCountEveryMatch() {
    JsonObject all = items("/ogc/collections/alerts/items?limit=100&bbox=" + regionBox(), null);
    long matched = all.getLong("numberMatched");
    assertThat(matched).isGreaterThanOrEqualTo(3);
    List<String> paged = new ArrayList<>();
    String next = "/ogc/collections/alerts/items?limit=1&bbox=" + regionBox();
    int pages = 0;
    while (next != null) {
      JsonObject page = items(next, null);
      assertThat(page.getLong("numberMatched")).isEqualTo(matched);
      assertThat(page.getInteger("numberReturned")).isEqualTo(page.getJsonArray("features").size()).isEqualTo(1);
      assertThat(Instant.parse(page.getString("timeStamp"))).isBefore(Instant.now().plusSeconds(5));
      page.getJsonArray("features").forEach(f -> paged.add(((JsonObject) f).getString("id")));
      String href = rels(page.getJsonArray("links")).get("next");
      next = href == null ? null : href.substring(href.indexOf("/ogc/"));
      pages++;
    }
    assertThat(pages).isEqualTo(matched);
    assertThat(paged).containsExactlyElementsOf(ids(all));
    // The raise times of these alerts: an interval from an hour ago holds every one raised since (this run's, and
    // any earlier run's still active in the box), one that ended yesterday none.
    Instant windowStart = Instant.now().minusSeconds(3600);
    long raisedSince = all.getJsonArray("features").stream()
        .map(f -> Instant.parse(((JsonObject) f).getJsonObject("properties").getString("created_at")))
        .filter(raised -> !raised.isBefore(windowStart)).count();
    assertThat(raisedSince).isGreaterThanOrEqualTo(2);
    assertThat(items("/ogc/collections/alerts/items?limit=100&bbox=" + regionBox() + "&datetime=" + windowStart
        + "/..", null).getLong("numberMatched")).isEqualTo(raisedSince);
    assertThat(items("/ogc/collections/alerts/items?bbox=" + regionBox() + "&datetime=../"
        + Instant.now().minusSeconds(86_400), null).getLong("numberMatched")).isZero();
    assertThat(items("/ogc/collections/alerts/items?bbox=" + regionBox() + "&type=landslide", null)
        .getLong("numberMatched")).isZero();
  }

  @Test
  void alertsArePublicAndNameNoUpload() {
    JsonObject page = items("/ogc/collections/alerts/items?limit=100&bbox=" + regionBox(), null);
    for (Object item : page.getJsonArray("features")) {
      JsonObject feature = (JsonObject) item;
      assertThat(feature.getJsonObject("geometry").getString("type")).isEqualTo("Point");
      JsonObject properties = feature.getJsonObject("properties");
      assertThat(properties.containsKey("image_id")).isFalse();
      assertThat(properties.getString("state")).isIn("active", "acknowledged", "resolved");
      assertThat(properties.getString("alert_type")).isEqualTo("flood");
      assertThat(properties.getString("expires_at")).isNotNull();
      JsonObject one = items("/ogc/collections/alerts/items/" + feature.getString("id"), null);
      assertThat(one.getJsonObject("properties")).isEqualTo(properties);
    }
  }

  @Test
  void detectionsAreTheCallersTenantsAnOperatorsAllAndNoneToAnonymous() {
    String query = "/ogc/collections/detections/items?limit=1000&bbox=" + regionBox();
    JsonObject mine = items(query, publisher);
    JsonObject theirs = items(query, otherTenant);
    JsonObject operator = items(query, node.operatorKey());
    JsonObject anonymous = items(query, null);
    assertThat(anonymous.getLong("numberMatched")).isZero();
    assertThat(anonymous.getJsonArray("features")).isEmpty();
    assertThat(mine.getLong("numberMatched")).isPositive();
    assertThat(theirs.getLong("numberMatched")).isPositive();
    assertThat(ids(mine)).allMatch(id -> !id.startsWith(thirdUpload));
    assertThat(ids(theirs)).allMatch(id -> id.startsWith(thirdUpload));
    // Every tenant's (earlier runs' too, should they lie in the box): this run's two tenants' at least.
    assertThat(ids(operator)).containsAll(ids(mine)).containsAll(ids(theirs));
    assertThat(operator.getLong("numberMatched"))
        .isGreaterThanOrEqualTo(mine.getLong("numberMatched") + theirs.getLong("numberMatched"));
    // Each feature is its result's detection, placed where GET /results/{id}/geojson places it.
    JsonObject geoJson = node.checked("getResultGeoJson", node.get("/api/v1/results/" + firstUpload + "/geojson",
        publisher));
    JsonObject first = items("/ogc/collections/detections/items/" + firstUpload + ".1", publisher);
    assertThat(first.getJsonObject("geometry")).isEqualTo(geoJson.getJsonArray("features").getJsonObject(0)
        .getJsonObject("geometry"));
    assertThat(node.get("/ogc/collections/detections/items/" + firstUpload + ".1", otherTenant).statusCode())
        .isEqualTo(404);
  }

  // ---- GDAL as the client ------------------------------------------------------------------------------------

  @Test
  void ogrinfoListsTheCollections() throws Exception {
    Gdal.require();
    String listing = Gdal.run(null, "ogrinfo", "-ro", "OAPIF:" + root);
    assertThat(listing).contains("alerts").contains("detections").contains("flood_extents");
  }

  @Test
  void ogr2ogrCopiesTheAlertsIntoAGeoPackageAsTheApiHoldsThem() throws Exception {
    Gdal.require();
    Path gpkg = dir.resolve("alerts-" + System.nanoTime() + ".gpkg");
    // One feature per request, so that GDAL walks the pages by their next links.
    Gdal.run(null, "ogr2ogr", "-f", "GPKG", gpkg.toString(), "OAPIF:" + root, "-oo", "PAGE_SIZE=1", "alerts");
    Map<String, JsonObject> copied = byId(Gdal.readBack(dir, gpkg, "alerts"), "alert_id");
    Map<String, JsonObject> api = byId(allFeatures("/ogc/collections/alerts/items?limit=1000", null), null);
    assertThat(api).hasSizeGreaterThanOrEqualTo(3);
    assertThat(copied.keySet()).isEqualTo(api.keySet());
    for (Map.Entry<String, JsonObject> entry : api.entrySet()) {
      JsonObject expected = entry.getValue();
      JsonObject actual = copied.get(entry.getKey());
      Gdal.assertSameGeometry(actual.getJsonObject("geometry"), expected.getJsonObject("geometry"), entry.getKey());
      JsonObject want = expected.getJsonObject("properties");
      JsonObject got = actual.getJsonObject("properties");
      assertThat(got.containsKey("image_id")).isFalse();
      for (String field : new String[] {"alert_type", "severity", "state", "title"}) {
        assertThat(got.getString(field)).as(field).isEqualTo(want.getString(field));
      }
      for (String field : new String[] {"probability", "confidence", "radius_km", "latitude", "longitude"}) {
        assertThat(got.getDouble(field)).as(field).isCloseTo(want.getDouble(field), within(1e-9));
      }
      assertThat(got.getInteger("version")).isEqualTo(want.getInteger("version"));
      assertThat(sameInstant(got.getString("expires_at"), want.getString("expires_at"))).as("expires_at %s / %s",
          got.getString("expires_at"), want.getString("expires_at")).isTrue();
    }
  }

  @Test
  void aBboxThroughGdalGivesExactlyTheApisAnswer() throws Exception {
    Gdal.require();
    String[] corners = firstSceneBox().split(",");
    Path gpkg = dir.resolve("spat-" + System.nanoTime() + ".gpkg");
    Gdal.run(null, "ogr2ogr", "-f", "GPKG", "-spat", corners[0], corners[1], corners[2], corners[3], gpkg.toString(),
        "OAPIF:" + root, "alerts");
    List<String> throughGdal = new ArrayList<>(byId(Gdal.readBack(dir, gpkg, "alerts"), "alert_id").keySet());
    List<String> fromApi = ids(items("/ogc/collections/alerts/items?limit=1000&bbox=" + firstSceneBox(), null));
    assertThat(fromApi).isNotEmpty();
    assertThat(fromApi.size()).isLessThan(ids(items("/ogc/collections/alerts/items?limit=1000&bbox=" + regionBox(),
        null)).size());
    assertThat(throughGdal).containsExactlyInAnyOrderElementsOf(fromApi);
  }

  @Test
  void ogr2ogrCopiesTheCallersDetectionsWithItsKey() throws Exception {
    Gdal.require();
    Path gpkg = dir.resolve("detections-" + System.nanoTime() + ".gpkg");
    String[] corners = regionBox().split(",");
    Gdal.run("X-API-Key: " + publisher, "ogr2ogr", "-f", "GPKG", "-spat", corners[0], corners[1], corners[2],
        corners[3], gpkg.toString(), "OAPIF:" + root, "detections");
    JsonArray copied = Gdal.readBack(dir, gpkg, "detections");
    Map<String, JsonObject> api = byId(allFeatures("/ogc/collections/detections/items?limit=1000&bbox="
        + regionBox(), publisher), null);
    assertThat(copied.size()).isEqualTo(api.size()).isPositive();
    for (Object item : copied) {
      JsonObject actual = (JsonObject) item;
      JsonObject properties = actual.getJsonObject("properties");
      String id = properties.getString("image_id") + "." + properties.getInteger("detection");
      JsonObject expected = api.get(id);
      assertThat(expected).as(id).isNotNull();
      Gdal.assertSameGeometry(actual.getJsonObject("geometry"), expected.getJsonObject("geometry"), id);
      assertThat(properties.getString("class_name")).isEqualTo(expected.getJsonObject("properties")
          .getString("class_name"));
      assertThat(properties.getDouble("confidence")).isCloseTo(expected.getJsonObject("properties")
          .getDouble("confidence"), within(1e-9));
    }
  }

  // ---- STAC out ----------------------------------------------------------------------------------------------

  @Test
  void aCompletedResultIsAStacItemWithTheScenesFootprint() {
    HttpResponse<Buffer> response = node.get("/api/v1/results/" + firstUpload + "/stac", publisher);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/geo+json");
    JsonObject item = response.bodyAsJsonObject();
    // STAC 1.0.0 Item core: type, stac_version, id, geometry, bbox (with a geometry), properties.datetime, links
    // (each with href and rel), assets (each with href).
    assertThat(item.getString("type")).isEqualTo("Feature");
    assertThat(item.getString("stac_version")).isEqualTo("1.0.0");
    assertThat(item.getString("id")).isEqualTo(firstUpload);
    assertThat(Instant.parse(item.getJsonObject("properties").getString("datetime"))).isBefore(Instant.now());
    assertThat(item.getJsonObject("properties").getJsonArray("geohazard:models")).isNotEmpty();
    for (Object link : item.getJsonArray("links")) {
      assertThat(((JsonObject) link).getString("href")).isNotBlank();
      assertThat(((JsonObject) link).getString("rel")).isNotBlank();
    }
    assertThat(rels(item.getJsonArray("links"))).containsKeys("self", "alternate");
    item.getJsonObject("assets").forEach(asset -> assertThat(((JsonObject) asset.getValue()).getString("href"))
        .isNotBlank());
    assertThat(item.getJsonObject("assets").getJsonObject("detections").getString("href"))
        .endsWith("/api/v1/results/" + firstUpload + "/geojson");
    // An upload, not a reference: nothing it is derived from. The mask is an asset exactly when there is an extent.
    assertThat(rels(item.getJsonArray("links"))).doesNotContainKey("derived_from");
    JsonObject result = node.checked("getResult", node.get("/api/v1/results/" + firstUpload, publisher));
    assertThat(item.getJsonObject("assets").containsKey("mask"))
        .isEqualTo(result.getJsonObject("analysis").containsKey("extent"));
    // The footprint is the scene's corners: pixel (0, 0) and (1024, 768) of the GeoTIFF.
    JsonArray ring = item.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring).hasSize(5);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(4));
    List<LonLat> corners = List.of(utm().toWgs84(0, 0), utm().toWgs84(0, 768), utm().toWgs84(1024, 768),
        utm().toWgs84(1024, 0));
    for (LonLat corner : corners) {
      assertThat(ring.stream().map(JsonArray.class::cast).anyMatch(p -> Math.abs(p.getDouble(0) - corner.lon())
          < Gdal.TOLERANCE_DEGREES && Math.abs(p.getDouble(1) - corner.lat()) < Gdal.TOLERANCE_DEGREES))
          .as("corner %s in %s", corner, ring).isTrue();
    }
    JsonArray bbox = item.getJsonArray("bbox");
    assertThat(bbox).hasSize(4);
    assertThat(bbox.getDouble(0)).isLessThan(bbox.getDouble(2));
    assertThat(bbox.getDouble(1)).isLessThan(bbox.getDouble(3));
    // As GET /results/{id}: another tenant and an anonymous caller are told it does not exist, as is an unknown id.
    assertThat(node.get("/api/v1/results/" + firstUpload + "/stac", otherTenant).statusCode()).isEqualTo(404);
    assertThat(node.get("/api/v1/results/" + firstUpload + "/stac").statusCode()).isEqualTo(404);
    assertThat(node.get("/api/v1/results/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10/stac", publisher).statusCode())
        .isEqualTo(404);
    node.checked("getResultStac", node.get("/api/v1/results/not-a-uuid/stac", publisher));
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private static JsonObject items(String path, String key) {
    return OgcPages.items(node, path, key);
  }

  private static JsonArray allFeatures(String path, String key) {
    return OgcPages.allFeatures(node, path, key);
  }

  private static Map<String, String> rels(JsonArray links) {
    return OgcPages.rels(links);
  }

  private static List<String> ids(JsonObject collection) {
    return collection.getJsonArray("features").stream().map(f -> ((JsonObject) f).getString("id")).toList();
  }

  /** Features by their id, or (a GeoPackage keeps no GeoJSON id) by a property. */
  private static Map<String, JsonObject> byId(JsonArray features, String property) {
    Map<String, JsonObject> byId = new TreeMap<>();
    for (Object item : features) {
      JsonObject feature = (JsonObject) item;
      byId.put(property == null ? feature.getString("id") : feature.getJsonObject("properties").getString(property),
          feature);
    }
    return byId;
  }

  /** GDAL writes date-times its own way ("2026/12/08 10:00:00.123+00" or ISO): the same instant either way. */
  private static boolean sameInstant(String gdal, String api) {
    String iso = gdal.replace('/', '-').replace(' ', 'T').replaceAll("\\+00$", "Z").replaceAll("\\+00:00$", "Z");
    return Instant.parse(iso.endsWith("Z") ? iso : iso + "Z").equals(Instant.parse(api));
  }
}
