package org.geohazard.reference;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.geohazard.detection.SceneView;
import org.geohazard.detection.Sensor;

/**
 * A STAC Item (1.0 or 1.1) read for what the node needs to analyse the scene it describes: which of its assets are
 * the bands of a view a served model expects, where they are, when the scene was taken and where on the earth.
 * Only the JSON is read here; nothing is fetched.
 *
 * <p>Bands are found by asset key or by the asset's band names ({@code eo:bands[].name} / {@code common_name} in
 * STAC 1.0, {@code bands[].name} / {@code eo:common_name} in 1.1), see {@link StacBand}. Only single-band GeoTIFF
 * assets are band candidates: a multi-band asset (Sentinel-2's 8-bit {@code visual} true-colour image) is not a
 * band, and a JPEG 2000 asset (the Copernicus SAFE layout) is refused with a message, since the raster reader reads
 * GeoTIFF. Relative hrefs are resolved against the Item's {@code self} link, else against the URL the Item was
 * fetched from.
 *
 * @param id the Item's id
 * @param base what relative hrefs resolve against; null when the Item has neither a self link nor a URL
 * @param datetime {@code properties.datetime}, or {@code start_datetime} when the Item gives a range
 * @param geometry the footprint (GeoJSON geometry, WGS84), empty when the Item has none
 * @param bbox its bounding box, 4 or 6 numbers, empty when the Item has no geometry
 */
public record StacItem(String id, URI base, Instant datetime, Optional<JsonObject> geometry, Optional<double[]> bbox,
                       Optional<Sensor> sensor, JsonObject properties, Map<String, JsonObject> assets) {

  /** The largest Item accepted (a Sentinel-2 L2A Item is 20–40 KB). */
  public static final int MAX_JSON_BYTES = 1 << 20;

  public StacItem {
    assets = Map.copyOf(assets);
    properties = properties.copy();
  }

  /** One band of a view: the band, the asset that holds it, where it is, and its grid when the Item says. */
  public record BandAsset(StacBand band, String assetKey, SceneReference href, Optional<BandGrid> grid) {}

  /**
   * The bands of {@code view}, in the order the view stacks them (red, green, blue for a colour view; SWIR, NIR,
   * green for the flood composite; VV for radar), and their common grid when every band's asset states one.
   *
   * @param commonGrid empty when some asset has no projection fields: then check the grids once the rasters are
   *     open ({@link BandGrid#of} and {@link BandGrid#common}) before reading
   */
  public record Selection(SceneView view, List<BandAsset> bands, Optional<BandGrid.Common> commonGrid) {
    public Selection {
      bands = List.copyOf(bands);
    }
  }

  /** The bands each view is made of, in the order the view stacks them. */
  public static List<StacBand> bandsOf(SceneView view) {
    return switch (view) {
      case RGB, TRUE_COLOUR -> List.of(StacBand.RED, StacBand.GREEN, StacBand.BLUE);
      case SWIR_NIR_GREEN -> List.of(StacBand.SWIR16, StacBand.NIR, StacBand.GREEN);
      case SAR_VV_PAIR -> List.of(StacBand.VV);
    };
  }

  /**
   * Reads an Item.
   *
   * @param fetchedFrom the URL the Item was fetched from, or null for an Item posted in a request body
   * @throws ReferenceRefused if it is not a STAC Item, or lacks a date or assets
   */
  public static StacItem parse(JsonObject json, URI fetchedFrom) throws ReferenceRefused {
    if (!"Feature".equals(json.getValue("type"))) {
      throw new ReferenceRefused("Not a STAC Item: its \"type\" is " + quoted(json.getValue("type"))
          + ", \"Feature\" expected.");
    }
    if (!(json.getValue("stac_version") instanceof String)) {
      throw new ReferenceRefused("Not a STAC Item: it has no \"stac_version\".");
    }
    String id = text(json, "id");
    JsonObject properties = object(json, "properties");
    JsonObject assetsJson = object(json, "assets");
    URI base = selfLink(json).orElse(fetchedFrom);
    Instant datetime = datetime(properties);
    Optional<JsonObject> geometry = Optional.ofNullable(json.getValue("geometry") instanceof JsonObject g ? g : null);
    Optional<double[]> bbox = Optional.empty();
    if (geometry.isPresent()) {
      bbox = Optional.of(bbox(json));
    }
    Map<String, JsonObject> assets = new LinkedHashMap<>();
    for (String key : assetsJson.fieldNames()) {
      if (assetsJson.getValue(key) instanceof JsonObject asset) {
        assets.put(key, asset);
      }
    }
    if (assets.isEmpty()) {
      throw new ReferenceRefused("The STAC Item '" + id + "' has no assets.");
    }
    return new StacItem(id, base, datetime, geometry, bbox, sensor(properties), properties, assets);
  }

  /**
   * The first of {@code views} (the views of the served models, in the node's order of preference) whose bands
   * this Item has as readable assets.
   *
   * @throws ReferenceRefused naming, per view, the bands that are missing or unreadable, when none can be made; or
   *     when the chosen bands' grids cannot be read together ({@link BandGrid#common})
   */
  public Selection select(List<SceneView> views) throws ReferenceRefused {
    if (views.isEmpty()) {
      throw new IllegalArgumentException("no served view");
    }
    List<String> why = new ArrayList<>();
    for (SceneView view : views) {
      List<BandAsset> bands = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (StacBand band : bandsOf(view)) {
        Optional<BandAsset> asset = find(band, missing);
        asset.ifPresent(bands::add);
      }
      if (missing.isEmpty()) {
        return new Selection(view, bands, commonGrid(bands));
      }
      why.add(view.wireName() + ": " + String.join(", ", missing));
    }
    throw new ReferenceRefused("The STAC Item '" + id + "' has no usable bands for the views this node serves ("
        + String.join("; ", why) + "). Bands are single-band GeoTIFF assets keyed or named by their common name "
        + "(red, green, blue, nir, swir16, vv) or Sentinel-2 name (B02, B03, B04, B08, B11).");
  }

  private Optional<BandAsset> find(StacBand band, List<String> missing) throws ReferenceRefused {
    String unreadable = null;
    for (Map.Entry<String, JsonObject> entry : assets.entrySet()) {
      JsonObject asset = entry.getValue();
      List<JsonObject> assetBands = assetBands(asset);
      boolean named = band.isNamed(entry.getKey()) || assetBands.stream().anyMatch(b -> isNamed(band, b));
      if (!named || hasRole(asset, "thumbnail") || hasRole(asset, "overview")) {
        continue;
      }
      if (assetBands.size() > 1) {
        unreadable = "'" + entry.getKey() + "' holds " + assetBands.size() + " bands";
        continue;
      }
      String type = asset.getValue("type") instanceof String t ? t.toLowerCase(Locale.ROOT) : "";
      if (!type.isEmpty() && !type.startsWith("image/tiff")) {
        unreadable = "'" + entry.getKey() + "' is " + type + ", not a GeoTIFF";
        continue;
      }
      if (!(asset.getValue("href") instanceof String href)) {
        throw new ReferenceRefused("The asset '" + entry.getKey() + "' of the STAC Item '" + id + "' has no href.");
      }
      SceneReference reference;
      try {
        reference = SceneReference.resolve(base, href);
      } catch (ReferenceRefused e) {
        throw new ReferenceRefused("The asset '" + entry.getKey() + "' (" + band.commonName() + ") of the STAC Item '"
            + id + "': " + e.getMessage());
      }
      return Optional.of(new BandAsset(band, entry.getKey(), reference, grid(asset)));
    }
    missing.add(band.commonName() + (unreadable == null ? " missing" : " unreadable (" + unreadable + ")"));
    return Optional.empty();
  }

  private Optional<BandGrid.Common> commonGrid(List<BandAsset> bands) throws ReferenceRefused {
    List<BandGrid> grids = new ArrayList<>();
    for (BandAsset band : bands) {
      if (band.grid().isEmpty()) {
        return Optional.empty();
      }
      grids.add(band.grid().get());
    }
    return Optional.of(BandGrid.common(grids));
  }

  /** The asset's grid from the projection extension (asset fields, else the Item's properties), if complete. */
  private Optional<BandGrid> grid(JsonObject asset) throws ReferenceRefused {
    Object epsgValue = either(asset, "proj:epsg");
    Object code = either(asset, "proj:code");
    Object shape = either(asset, "proj:shape");
    Object transform = either(asset, "proj:transform");
    Integer epsg = epsgValue instanceof Number n ? Integer.valueOf(n.intValue())
        : code instanceof String c && c.toUpperCase(Locale.ROOT).startsWith("EPSG:") ? parseEpsg(c) : null;
    if (epsg == null || !(shape instanceof JsonArray s) || !(transform instanceof JsonArray t) || s.size() != 2
        || t.size() < 6) {
      return Optional.empty();
    }
    try {
      if (t.getDouble(1) != 0 || t.getDouble(3) != 0) {
        throw new ReferenceRefused("The STAC Item '" + id + "' has a band on a rotated grid; north-up grids only.");
      }
      // proj:shape is [rows, columns]; proj:transform is GDAL's geotransform reordered: [a, b, c, d, e, f].
      return Optional.of(new BandGrid(epsg, s.getInteger(1), s.getInteger(0), t.getDouble(2), t.getDouble(5),
          t.getDouble(0), t.getDouble(4)));
    } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
      throw new ReferenceRefused("The STAC Item '" + id + "' has malformed proj:shape or proj:transform fields.");
    }
  }

  private Object either(JsonObject asset, String field) {
    return asset.containsKey(field) ? asset.getValue(field) : properties.getValue(field);
  }

  private Integer parseEpsg(String code) throws ReferenceRefused {
    try {
      return Integer.parseInt(code.substring(5).strip());
    } catch (NumberFormatException e) {
      throw new ReferenceRefused("The STAC Item '" + id + "' has proj:code '" + code + "', not EPSG:<number>.");
    }
  }

  private static List<JsonObject> assetBands(JsonObject asset) {
    Object bands = asset.containsKey("eo:bands") ? asset.getValue("eo:bands") : asset.getValue("bands");
    List<JsonObject> list = new ArrayList<>();
    if (bands instanceof JsonArray array) {
      for (Object band : array) {
        if (band instanceof JsonObject b) {
          list.add(b);
        }
      }
    }
    return list;
  }

  /** Whether an {@code eo:bands} (1.0) or {@code bands} (1.1) entry names {@code band}. */
  private static boolean isNamed(StacBand band, JsonObject entry) {
    for (String field : new String[] {"common_name", "eo:common_name", "name"}) {
      if (entry.getValue(field) instanceof String name && band.isNamed(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasRole(JsonObject asset, String role) {
    return asset.getValue("roles") instanceof JsonArray roles && roles.contains(role);
  }

  private static Optional<URI> selfLink(JsonObject json) throws ReferenceRefused {
    if (!(json.getValue("links") instanceof JsonArray links)) {
      throw new ReferenceRefused("Not a STAC Item: it has no \"links\" array.");
    }
    for (Object link : links) {
      if (link instanceof JsonObject l && "self".equals(l.getValue("rel")) && l.getValue("href") instanceof String h) {
        try {
          URI self = new URI(h);
          return self.isAbsolute() ? Optional.of(self) : Optional.empty();
        } catch (Exception e) {
          throw new ReferenceRefused("The STAC Item's self link '" + h + "' is not a URL.");
        }
      }
    }
    return Optional.empty();
  }

  private static Instant datetime(JsonObject properties) throws ReferenceRefused {
    Object value = properties.getValue("datetime");
    String field = "datetime";
    if (value == null) {
      value = properties.getValue("start_datetime");
      field = "start_datetime";
    }
    if (!(value instanceof String text)) {
      throw new ReferenceRefused("The STAC Item has no properties.datetime (nor a start_datetime).");
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ReferenceRefused("The STAC Item's properties." + field + " '" + text + "' is not an RFC 3339 date "
          + "and time.");
    }
  }

  private static double[] bbox(JsonObject json) throws ReferenceRefused {
    if (!(json.getValue("bbox") instanceof JsonArray array) || (array.size() != 4 && array.size() != 6)) {
      throw new ReferenceRefused("The STAC Item has a geometry but no bbox of 4 or 6 numbers.");
    }
    double[] bbox = new double[array.size()];
    for (int i = 0; i < bbox.length; i++) {
      if (!(array.getValue(i) instanceof Number n)) {
        throw new ReferenceRefused("The STAC Item's bbox holds " + quoted(array.getValue(i)) + ", not a number.");
      }
      bbox[i] = n.doubleValue();
    }
    return bbox;
  }

  /** Sentinel-1/-2 and Landsat 8/9 from {@code platform} or {@code constellation}; empty for others. */
  private static Optional<Sensor> sensor(JsonObject properties) {
    String platform = (properties.getValue("platform") instanceof String p ? p
        : properties.getValue("constellation") instanceof String c ? c : "").toLowerCase(Locale.ROOT);
    if (platform.startsWith("sentinel-2")) {
      return Optional.of(Sensor.SENTINEL2);
    }
    if (platform.startsWith("sentinel-1")) {
      return Optional.of(Sensor.SENTINEL1);
    }
    if (platform.equals("landsat-8") || platform.equals("landsat-9")) {
      return Optional.of(Sensor.LANDSAT8);
    }
    return Optional.empty();
  }

  private static String text(JsonObject json, String field) throws ReferenceRefused {
    if (!(json.getValue(field) instanceof String value) || value.isBlank()) {
      throw new ReferenceRefused("Not a STAC Item: it has no \"" + field + "\".");
    }
    return value;
  }

  private static JsonObject object(JsonObject json, String field) throws ReferenceRefused {
    if (!(json.getValue(field) instanceof JsonObject value)) {
      throw new ReferenceRefused("Not a STAC Item: it has no \"" + field + "\" object.");
    }
    return value;
  }

  private static String quoted(Object value) {
    return value == null ? "missing" : "\"" + value + "\"";
  }
}
