package org.geohazard.geo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.CoordinateTransform;
import org.locationtech.proj4j.CoordinateTransformFactory;
import org.locationtech.proj4j.Proj4jException;
import org.locationtech.proj4j.ProjCoordinate;

/**
 * A GeoTIFF's georeferencing: pixel (column, row) → coordinates of its CRS → WGS84 longitude and latitude.
 *
 * <p>The pixel → CRS step is affine, from ModelTransformation (34264) if present, else from one ModelTiepoint
 * (33922) and ModelPixelScale (33550), as the GeoTIFF 1.1 standard and GDAL read them. With RasterPixelIsPoint the
 * tie point names the centre of a pixel, so, as GDAL does by default, the grid is moved up-left by half a pixel to
 * keep (0, 0) at the upper-left corner. The CRS is the EPSG code in ProjectedCSTypeGeoKey (3072) for projected
 * models or GeographicTypeGeoKey (2048) for geographic ones; user-defined CRSs (32767) are not followed. The CRS →
 * WGS84 step is proj4j with its EPSG table (EPSG:4326 is passed through untouched); for UTM its inverse agrees with
 * GDAL/PROJ to well under 1e-7°.
 *
 * <p>Thread-safe: a scene's tiles are placed from several threads at once, and proj4j's transforms keep state
 * between calls (a shared instance once placed a whole scene's boxes at sea), so each call uses its own coordinates
 * and proj4j is entered by one thread at a time (see {@link #PROJ4J}). CRS definitions are parsed once per code and shared.
 */
public final class GeoReference implements PixelGeolocation {

  private static final int MODEL_TYPE_KEY = 1024;
  private static final int RASTER_TYPE_KEY = 1025;
  private static final int GEOGRAPHIC_TYPE_KEY = 2048;
  private static final int GEOG_GEODETIC_DATUM_KEY = 2050;
  private static final int GEOG_ELLIPSOID_KEY = 2056;
  private static final int PROJECTED_CS_TYPE_KEY = 3072;
  private static final int PROJECTION_KEY = 3074;
  private static final int PROJ_LINEAR_UNITS_KEY = 3076;
  private static final int WGS84_DATUM = 6326;
  private static final int WGS84_ELLIPSOID = 7030;
  private static final int METRE = 9001;
  private static final int MODEL_TYPE_PROJECTED = 1;
  private static final int MODEL_TYPE_GEOGRAPHIC = 2;
  private static final int RASTER_PIXEL_IS_POINT = 2;
  private static final int USER_DEFINED = 32767;
  private static final int WGS84 = 4326;

  /**
   * proj4j is not thread-safe: its factory parses the EPSG table with shared state, and its projections and
   * transforms keep state between calls. Every use of it (creating a CRS or a transform, transforming a point) holds
   * this lock; a scene's few thousand points make it cheap.
   */
  private static final Object PROJ4J = new Object();
  private static final CRSFactory CRS_FACTORY = new CRSFactory();
  private static final Map<Integer, CoordinateReferenceSystem> CRS_BY_CODE = new HashMap<>();

  /** CRS x = a·column + b·row + c, CRS y = d·column + e·row + f, with the half-pixel shift already applied. */
  private final double a;
  private final double b;
  private final double c;
  private final double d;
  private final double e;
  private final double f;
  private final int epsg;
  private final boolean projected;
  private final CoordinateTransform toWgs84;
  /** WGS84 → the CRS, made on first use (most scenes are only ever placed, never looked up from the ground). */
  private CoordinateTransform fromWgs84;

  private GeoReference(double[] affine, int epsg, boolean projected) throws UnsupportedGeoReferenceException {
    this.a = affine[0];
    this.b = affine[1];
    this.c = affine[2];
    this.d = affine[3];
    this.e = affine[4];
    this.f = affine[5];
    this.epsg = epsg;
    this.projected = projected;
    this.toWgs84 = epsg == WGS84 ? null : transformToWgs84(epsg);
  }

  /**
   * The georeferencing of a GeoTIFF, or empty if the file has none (no tie point and scale, no transformation).
   *
   * @throws UnsupportedGeoReferenceException if it has one this class cannot follow, with the reason
   */
  public static Optional<GeoReference> from(GeoTiffTags tags) throws UnsupportedGeoReferenceException {
    if (!tags.georeferenced()) {
      return Optional.empty();
    }
    Map<Integer, Integer> keys = geoKeys(tags.geoKeyDirectory());
    boolean pixelIsPoint = keys.getOrDefault(RASTER_TYPE_KEY, 1) == RASTER_PIXEL_IS_POINT;
    double[] affine = affine(tags, pixelIsPoint);
    int modelType = keys.getOrDefault(MODEL_TYPE_KEY,
        keys.containsKey(PROJECTED_CS_TYPE_KEY) ? MODEL_TYPE_PROJECTED : MODEL_TYPE_GEOGRAPHIC);
    int code;
    if (modelType == MODEL_TYPE_PROJECTED) {
      code = keys.getOrDefault(PROJECTED_CS_TYPE_KEY, 0);
    } else if (modelType == MODEL_TYPE_GEOGRAPHIC) {
      code = keys.getOrDefault(GEOGRAPHIC_TYPE_KEY, 0);
    } else {
      throw new UnsupportedGeoReferenceException("The GeoTIFF uses a geocentric model (GTModelTypeGeoKey "
          + modelType + "); only projected and geographic CRSs are supported.");
    }
    if (code == USER_DEFINED && modelType == MODEL_TYPE_PROJECTED) {
      code = userDefinedUtmOnWgs84(keys);
    }
    if (code == 0 || code == USER_DEFINED) {
      throw new UnsupportedGeoReferenceException("The GeoTIFF's CRS is " + (code == 0 ? "not given" : "user-defined")
          + " (no EPSG code in its GeoKey directory); only CRSs with an EPSG code are supported.");
    }
    return Optional.of(new GeoReference(affine, code, modelType == MODEL_TYPE_PROJECTED));
  }

  /**
   * A georeferencing from a GDAL-style geotransform (x0, pixel width, row rotation, y0, column rotation, pixel
   * height, the last usually negative) in the CRS {@code EPSG:epsg}; for tests and callers that know the grid.
   */
  public static GeoReference ofGeoTransform(int epsg, boolean projected, double... geoTransform)
      throws UnsupportedGeoReferenceException {
    if (geoTransform.length != 6) {
      throw new IllegalArgumentException("a geotransform has 6 numbers");
    }
    return new GeoReference(new double[] {geoTransform[1], geoTransform[2], geoTransform[0],
        geoTransform[4], geoTransform[5], geoTransform[3]}, epsg, projected);
  }

  /** The EPSG code of the CRS the file is in. */
  public int epsg() {
    return epsg;
  }

  /** Whether that CRS is projected (its x, y are metres or feet), not longitude/latitude. */
  public boolean projected() {
    return projected;
  }

  /** The CRS coordinates {x, y} of a point in pixel space. */
  public double[] toCrs(double column, double row) {
    return new double[] {a * column + b * row + c, d * column + e * row + f};
  }

  @Override
  public LonLat toWgs84(double column, double row) {
    double x = a * column + b * row + c;
    double y = d * column + e * row + f;
    if (toWgs84 == null) {
      return new LonLat(x, y);
    }
    ProjCoordinate target = new ProjCoordinate();
    try {
      synchronized (PROJ4J) {
        toWgs84.transform(new ProjCoordinate(x, y), target);
      }
    } catch (Proj4jException ex) {
      throw new IllegalArgumentException("EPSG:" + epsg + " point " + x + ", " + y + " has no WGS84 position: "
          + ex.getMessage(), ex);
    }
    return new LonLat(target.x, target.y);
  }

  /**
   * The pixel (column, row) at a WGS84 longitude and latitude: the inverse of {@link #toWgs84}, for placing what
   * another scene saw (its footprints) on this scene's grid. The point may lie outside the raster.
   *
   * @throws IllegalArgumentException if the point has no position in this CRS, or the grid is degenerate
   */
  public double[] pixelOf(LonLat point) {
    double x = point.lon();
    double y = point.lat();
    if (toWgs84 != null) {
      ProjCoordinate target = new ProjCoordinate();
      try {
        synchronized (PROJ4J) {
          if (fromWgs84 == null) {
            fromWgs84 = new CoordinateTransformFactory().createTransform(crs(WGS84), crs(epsg));
          }
          fromWgs84.transform(new ProjCoordinate(x, y), target);
        }
      } catch (Proj4jException ex) {
        throw new IllegalArgumentException("WGS84 point " + x + ", " + y + " has no position in EPSG:" + epsg + ": "
            + ex.getMessage(), ex);
      }
      x = target.x;
      y = target.y;
    }
    double det = a * e - b * d;
    if (det == 0) {
      throw new IllegalArgumentException("the grid's transform is degenerate");
    }
    double dx = x - c;
    double dy = y - f;
    return new double[] {(e * dx - b * dy) / det, (a * dy - d * dx) / det};
  }

  @Override
  public boolean exact() {
    return true;
  }

  private static double[] affine(GeoTiffTags tags, boolean pixelIsPoint) throws UnsupportedGeoReferenceException {
    double shift = pixelIsPoint ? -0.5 : 0;
    double[] m = tags.modelTransformation();
    if (m.length >= 16) {
      // x = m0·i + m1·j + m3, y = m4·i + m5·j + m7 at raster (i, j); i = column + shift.
      return new double[] {m[0], m[1], m[3] + (m[0] + m[1]) * shift, m[4], m[5], m[7] + (m[4] + m[5]) * shift};
    }
    double[] tie = tags.modelTiepoints();
    double[] scale = tags.modelPixelScale();
    if (tie.length > 6) {
      throw new UnsupportedGeoReferenceException("The GeoTIFF is placed by " + tie.length / 6 + " ground control "
          + "points without a transform; warp it to a grid first (gdalwarp).");
    }
    if (scale[0] == 0 || scale[1] == 0) {
      throw new UnsupportedGeoReferenceException("The GeoTIFF's pixel scale is zero.");
    }
    // Rows go down while y goes up, hence −ScaleY.
    double sx = scale[0];
    double sy = -scale[1];
    return new double[] {sx, 0, tie[3] + (shift - tie[0]) * sx, 0, sy, tie[4] + (shift - tie[1]) * sy};
  }

  /**
   * Older writers (e.g. rasterio's test files) spell "WGS 84 / UTM zone n" as a user-defined CRS: the UTM
   * projection code (16001–16060 north, 16101–16160 south), metres and the WGS84 ellipsoid or datum. That is
   * EPSG:326nn/327nn, which is also how GDAL ends up reading it (no datum shift on the WGS84 ellipsoid). Anything
   * else user-defined stays unsupported (returns {@link #USER_DEFINED}).
   */
  private static int userDefinedUtmOnWgs84(Map<Integer, Integer> keys) {
    int projection = keys.getOrDefault(PROJECTION_KEY, 0);
    boolean wgs84 = keys.getOrDefault(GEOGRAPHIC_TYPE_KEY, 0) == WGS84
        || keys.getOrDefault(GEOG_GEODETIC_DATUM_KEY, 0) == WGS84_DATUM
        || keys.getOrDefault(GEOG_ELLIPSOID_KEY, 0) == WGS84_ELLIPSOID;
    boolean metres = keys.getOrDefault(PROJ_LINEAR_UNITS_KEY, METRE) == METRE;
    if (!wgs84 || !metres) {
      return USER_DEFINED;
    }
    if (projection >= 16001 && projection <= 16060) {
      return 32600 + projection - 16000;
    }
    if (projection >= 16101 && projection <= 16160) {
      return 32700 + projection - 16100;
    }
    return USER_DEFINED;
  }

  private static Map<Integer, Integer> geoKeys(int[] directory) {
    Map<Integer, Integer> keys = new HashMap<>();
    if (directory.length < 4) {
      return keys;
    }
    int count = directory[3];
    for (int k = 0; k < count && 4 + 4 * k + 3 < directory.length; k++) {
      int at = 4 + 4 * k;
      if (directory[at + 1] == 0 && directory[at + 2] == 1) {
        keys.put(directory[at], directory[at + 3]); // a short stored in the directory itself; the keys we need are
      }
    }
    return keys;
  }

  private static CoordinateTransform transformToWgs84(int epsg) throws UnsupportedGeoReferenceException {
    try {
      synchronized (PROJ4J) {
        return new CoordinateTransformFactory().createTransform(crs(epsg), crs(WGS84));
      }
    } catch (Proj4jException | IllegalArgumentException | UnsupportedOperationException ex) {
      throw new UnsupportedGeoReferenceException("The GeoTIFF's CRS EPSG:" + epsg + " is not known to proj4j ("
          + ex.getMessage() + ").", ex);
    }
  }

  /** The CRS of an EPSG code, parsed once; called with {@link #PROJ4J} held. */
  private static CoordinateReferenceSystem crs(int epsg) {
    CoordinateReferenceSystem crs = CRS_BY_CODE.computeIfAbsent(epsg, code -> {
      try {
        return CRS_FACTORY.createFromName("EPSG:" + code);
      } catch (RuntimeException ex) {
        return null; // not cached: computeIfAbsent stores nothing for null
      }
    });
    if (crs == null) {
      throw new IllegalArgumentException("unknown EPSG code " + epsg);
    }
    return crs;
  }
}
