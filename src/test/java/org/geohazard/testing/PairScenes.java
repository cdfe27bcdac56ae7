package org.geohazard.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;

/**
 * Synthetic before/after Sentinel-2 scenes the pair tests make themselves (no real pair ships in ../shared/data): the
 * same place without and with a flood, beside a lake that was always there.
 */
public final class PairScenes {

  /** Pixels a side of every scene made here (10 m pixels: 2.56 km). */
  public static final int SIDE = 256;

  private PairScenes() {
  }

  /**
   * Where a test puts these scenes: inland Murcia (UTM 30N 600-640 km east, 4 200 km north), drawn per call so that
   * runs sharing a database do not meet. Further east a scene can reach the Mediterranean, where the node's land cut
   * takes the flood as sea (two CI runs: the disc cut away whole, its boxes set aside as permanent water).
   */
  public static double inlandEasting() {
    return 600_000 + ThreadLocalRandom.current().nextInt(4_000) * 10.0;
  }

  /**
   * A 13-band Sentinel-2 L1C stack (reflectance × 10 000) of vegetated land with a lake at the top left; with
   * {@code flooded}, a flood covers a disc of radius 55 pixels in the middle (0.950 km²). {@code easting}: where the
   * scene lies (UTM 30N, 10 m); {@code seed}: its noise.
   */
  public static Path sentinel2(Path dir, boolean flooded, double easting, long seed) throws Exception {
    return sentinel2(dir, flooded, false, easting, seed);
  }

  /**
   * As above; with {@code overcast}, cloud (bright in every band, green above SWIR) covers all but the 30 columns at
   * the left edge: too little is clear for the water rule to judge the pair.
   */
  public static Path sentinel2(Path dir, boolean flooded, boolean overcast, double easting, long seed)
      throws Exception {
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      int b = band + 1;
      double noise = new Random(seed ^ (x * 73_856_093L) ^ (y * 19_349_663L) ^ b).nextGaussian() * 40;
      if (overcast && x >= 30) {
        return switch (b) {
          case 1, 2, 3 -> 7000;
          case 10 -> 1500;
          default -> 6000;
        } + noise;
      }
      boolean lake = x < 60 && y < 60;
      boolean flood = flooded && Math.hypot(x - 160, y - 160) < 55;
      double value;
      if (lake || flood) {
        // Water: some green, dark in red, NIR and SWIR (MNDWI and NDWI well above 0).
        value = switch (b) {
          case 1, 2 -> 900;
          case 3 -> 800;
          case 4 -> 500;
          case 5, 6, 7 -> 300;
          case 8, 9 -> 200;
          default -> 120;
        };
      } else {
        // Vegetation: green peak, red edge, bright NIR, SWIR above green.
        value = switch (b) {
          case 1, 2 -> 500;
          case 3 -> 700;
          case 4 -> 500;
          case 5 -> 1500;
          case 6, 7 -> 2800;
          case 8, 9 -> 3200;
          case 10 -> 50;
          case 11 -> 2200;
          case 12 -> 2500;
          default -> 1500;
        };
      }
      return Math.max(0, value + noise);
    };
    return new GeoTiffFixture(SIDE, SIDE).bands(13, SampleType.UINT16).compression(GeoTiffFixture.Compression.DEFLATE)
        .georeferenced(32630, true, easting, 4_200_000, 10, 10).samples(samples)
        .write(Files.createTempFile(dir, flooded ? "s2-after-" : "s2-before-", ".tif"));
  }

  /**
   * A Sentinel-1 VV scene in dB (float32): land about -8 dB with speckle, the same lake at the top left at -22 dB;
   * with {@code flooded}, the same flood disc at -20 dB. {@code easting} and {@code seed} as for {@link #sentinel2}.
   */
  public static Path sentinel1(Path dir, boolean flooded, double easting, long seed) throws Exception {
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      double speckle = new Random(seed ^ (x * 73_856_093L) ^ (y * 19_349_663L)).nextGaussian() * 1.2;
      boolean lake = x < 60 && y < 60;
      boolean flood = flooded && Math.hypot(x - 160, y - 160) < 55;
      return (lake ? -22 : flood ? -20 : -8) + speckle;
    };
    return new GeoTiffFixture(SIDE, SIDE).bands(1, SampleType.FLOAT32).compression(GeoTiffFixture.Compression.DEFLATE)
        .georeferenced(32630, true, easting, 4_200_000, 10, 10).samples(samples)
        .write(Files.createTempFile(dir, flooded ? "s1-after-" : "s1-before-", ".tif"));
  }
  /** Pixels a side of {@link #sentinel1Geographic}: the optical scene and 20 pixels beyond each side. */
  public static final int GEOGRAPHIC_SIDE = SIDE + 40;

  /**
   * The scene of {@link #sentinel1} as a terrain-corrected product in geographic coordinates (EPSG:4326, about 10 m:
   * 1.14e-4° by 9e-5° at 37.9° N; speckle 2.5 dB), reaching about 20 pixels beyond the UTM scene of the same {@code easting} on
   * every side: the lake and the flood disc lie where they lie in {@link #sentinel2}'s scene (each pixel takes the
   * value of the UTM pixel under its centre; outside that scene, land).
   */
  public static Path sentinel1Geographic(Path dir, boolean flooded, double easting, long seed) throws Exception {
    GeoReference utm = GeoReference.ofGeoTransform(32630, true, easting, 10, 0, 4_200_000, 0, -10);
    LonLat corner = utm.toWgs84(-20, -20);
    double lonStep = 1.14e-4;
    double latStep = 9.0e-5;
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      double[] onUtm = utm.pixelOf(new LonLat(corner.lon() + (x + 0.5) * lonStep, corner.lat() - (y + 0.5) * latStep));
      // Speckle of 2.5 dB, about what the few looks of a GRD product leave: on smoother synthetic land the shipped
      // radar detector's score for the disc sits at its report threshold and comes and goes with the seed.
      double speckle = new Random(seed ^ (x * 73_856_093L) ^ (y * 19_349_663L)).nextGaussian() * 2.5;
      boolean lake = onUtm[0] >= 0 && onUtm[1] >= 0 && onUtm[0] < 60 && onUtm[1] < 60;
      boolean flood = flooded && Math.hypot(onUtm[0] - 160, onUtm[1] - 160) < 55;
      return (lake ? -22 : flood ? -20 : -8) + speckle;
    };
    return new GeoTiffFixture(GEOGRAPHIC_SIDE, GEOGRAPHIC_SIDE).bands(1, SampleType.FLOAT32)
        .compression(GeoTiffFixture.Compression.DEFLATE)
        .georeferenced(4326, false, corner.lon(), corner.lat(), lonStep, latStep).samples(samples)
        .write(Files.createTempFile(dir, flooded ? "s1-geographic-after-" : "s1-geographic-before-", ".tif"));
  }
}
