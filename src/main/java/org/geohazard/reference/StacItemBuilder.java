package org.geohazard.reference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;

/**
 * A completed result as a STAC Item (1.0.0, {@code application/geo+json}), so that catalogues can index the node's
 * outputs: the scene's footprint as geometry and bbox, its datetime, the models that analysed it as properties, and
 * the result's GeoJSON detections (and extent mask, when there is one) as assets. Uses no STAC extension, so the
 * core schema is all a validator needs; the node's own fields are prefixed {@code geohazard:}.
 *
 * <p>Fill it with the builder methods, then {@link #build()}; it checks what the core schema requires (id,
 * datetime, a footprint or none, a self link, an href per asset) and throws {@link IllegalStateException} otherwise.
 */
public final class StacItemBuilder {

  public static final String STAC_VERSION = "1.0.0";
  public static final String MEDIA_TYPE = "application/geo+json";

  /** One model that analysed the scene. */
  public record ModelUsed(String name, String version, String view) {
    public ModelUsed {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(view, "view");
    }
  }

  private final String id;
  private List<LonLat> footprint;
  private Instant datetime;
  private Instant processed;
  private final List<ModelUsed> models = new ArrayList<>();
  private String selfHref;
  private String resultHref;
  private String detectionsHref;
  private String maskHref;
  private String sourceHref;
  private Integer detectionCount;

  public StacItemBuilder(String imageId) {
    if (imageId == null || imageId.isBlank()) {
      throw new IllegalArgumentException("an Item needs an id");
    }
    this.id = imageId;
  }

  /**
   * The scene's footprint: its four corners mapped to WGS84 through its georeferencing, as a closed ring
   * counter-clockwise (RFC 7946), for a scene of {@code width × height} pixels.
   */
  public static List<LonLat> footprint(GeoReference reference, int width, int height) {
    List<LonLat> corners = new ArrayList<>(List.of(reference.toWgs84(0, 0), reference.toWgs84(0, height),
        reference.toWgs84(width, height), reference.toWgs84(width, 0)));
    if (signedArea(corners) < 0) {
      Collections.reverse(corners);
    }
    corners.add(corners.get(0));
    return List.copyOf(corners);
  }

  /** The footprint as a closed WGS84 ring (first position repeated last); none for an image without geography. */
  public StacItemBuilder footprint(List<LonLat> ring) {
    if (ring.size() < 4 || !ring.get(0).equals(ring.get(ring.size() - 1))) {
      throw new IllegalArgumentException("a footprint is a closed ring of at least 3 positions");
    }
    this.footprint = List.copyOf(ring);
    return this;
  }

  /** When the scene was taken (or, when that is unknown, when it was received). */
  public StacItemBuilder datetime(Instant datetime) {
    this.datetime = datetime;
    return this;
  }

  /** When the analysis was completed. */
  public StacItemBuilder processed(Instant processed) {
    this.processed = processed;
    return this;
  }

  public StacItemBuilder model(ModelUsed model) {
    models.add(model);
    return this;
  }

  public StacItemBuilder detectionCount(int count) {
    this.detectionCount = count;
    return this;
  }

  /** The URL of this Item (the result's STAC endpoint). */
  public StacItemBuilder selfHref(String href) {
    this.selfHref = href;
    return this;
  }

  /** The URL of the result's own JSON. */
  public StacItemBuilder resultHref(String href) {
    this.resultHref = href;
    return this;
  }

  /** The URL of the result's detections as a GeoJSON FeatureCollection. */
  public StacItemBuilder detectionsHref(String href) {
    this.detectionsHref = href;
    return this;
  }

  /** The URL of the result's extent mask (a GeoTIFF), when the result has one. */
  public StacItemBuilder maskHref(String href) {
    this.maskHref = href;
    return this;
  }

  /** The reference the scene was analysed from (an s3:// or https:// URL), when it came by reference. */
  public StacItemBuilder sourceHref(String href) {
    this.sourceHref = href;
    return this;
  }

  public JsonObject build() {
    require(datetime != null, "an Item needs a datetime");
    require(selfHref != null, "an Item needs a self link");
    require(detectionsHref != null, "the detections asset needs an href");
    JsonObject properties = new JsonObject().put("datetime", rfc3339(datetime));
    if (processed != null) {
      properties.put("geohazard:processed", rfc3339(processed));
    }
    JsonArray modelArray = new JsonArray();
    for (ModelUsed model : models) {
      modelArray.add(new JsonObject().put("name", model.name()).put("version", model.version())
          .put("view", model.view()));
    }
    properties.put("geohazard:models", modelArray);
    if (detectionCount != null) {
      properties.put("geohazard:detection_count", detectionCount);
    }
    JsonArray links = new JsonArray()
        .add(link("self", selfHref, MEDIA_TYPE));
    if (resultHref != null) {
      links.add(link("alternate", resultHref, "application/json"));
    }
    if (sourceHref != null) {
      links.add(link("derived_from", sourceHref, null));
    }
    JsonObject assets = new JsonObject()
        .put("detections", asset(detectionsHref, MEDIA_TYPE, "Detections", "data"));
    if (maskHref != null) {
      assets.put("mask", asset(maskHref, "image/tiff; application=geotiff", "Extent mask", "data"));
    }
    JsonObject item = new JsonObject()
        .put("type", "Feature")
        .put("stac_version", STAC_VERSION)
        .put("stac_extensions", new JsonArray())
        .put("id", id)
        .put("geometry", footprint == null ? null : polygon(footprint));
    if (footprint != null) {
      item.put("bbox", bbox(footprint));
    }
    return item.put("properties", properties).put("links", links).put("assets", assets);
  }

  private static JsonObject polygon(List<LonLat> ring) {
    JsonArray positions = new JsonArray();
    for (LonLat p : ring) {
      positions.add(new JsonArray().add(p.lon()).add(p.lat()));
    }
    return new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(positions));
  }

  /** West, south, east, north; a footprint across the antimeridian is not split (east may be less than west). */
  private static JsonArray bbox(List<LonLat> ring) {
    double west = Double.POSITIVE_INFINITY;
    double south = Double.POSITIVE_INFINITY;
    double east = Double.NEGATIVE_INFINITY;
    double north = Double.NEGATIVE_INFINITY;
    for (LonLat p : ring) {
      west = Math.min(west, p.lon());
      east = Math.max(east, p.lon());
      south = Math.min(south, p.lat());
      north = Math.max(north, p.lat());
    }
    return new JsonArray().add(west).add(south).add(east).add(north);
  }

  private static double signedArea(List<LonLat> ring) {
    double area = 0;
    for (int i = 0; i < ring.size(); i++) {
      LonLat a = ring.get(i);
      LonLat b = ring.get((i + 1) % ring.size());
      area += a.lon() * b.lat() - b.lon() * a.lat();
    }
    return area / 2;
  }

  private static JsonObject link(String rel, String href, String type) {
    JsonObject link = new JsonObject().put("rel", rel).put("href", href);
    return type == null ? link : link.put("type", type);
  }

  private static JsonObject asset(String href, String type, String title, String role) {
    return new JsonObject().put("href", href).put("type", type).put("title", title)
        .put("roles", new JsonArray().add(role));
  }

  private static String rfc3339(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
