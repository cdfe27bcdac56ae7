package org.geohazard.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.geohazard.SharedData;
import org.geohazard.image.GeoTiffRaster;
import org.junit.jupiter.api.Test;

/**
 * The landslide change rule on a change layer the test makes (a vegetated slope with a fresh scar, seasonal
 * change everywhere, speckle), and on the real Kaikōura pair (Sentinel-2 change rasters after the 2016
 * earthquake with 15 mapped landslides; skipped, saying why, without ../shared/data), where it is measured
 * per mapped landslide and per reported region.
 */
class LandslideChangeTest {

  private static final int W = 200;
  private static final int H = 150;
  private static final LandslideChange.Rule RULE = LandslideChange.Rule.DEFAULT;

  /** Every pixel lost 0.4 NDVI (season) with noise; a 12 x 10 scar lost 0.9 more and brightened 0.5. */
  private static float[][] sceneWithScar(long seed) {
    Random random = new Random(seed);
    float[] ndvi = new float[W * H];
    float[] bright = new float[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean scar = x >= 120 && x < 132 && y >= 40 && y < 50;
        int p = y * W + x;
        ndvi[p] = (float) (-0.4 + 0.05 * random.nextGaussian() - (scar ? 0.9 : 0));
        bright[p] = (float) (0.05 * random.nextGaussian() + (scar ? 0.5 : 0));
      }
    }
    return new float[][] {ndvi, bright};
  }

  @Test
  void findsAFreshScarAgainstASceneThatLostVegetationEverywhere() {
    float[][] layers = sceneWithScar(1);
    LandslideChange.Result result = LandslideChange.detect(layers[0], layers[1], W, H, LandslideChange.Rule.DEFAULT);
    assertThat(result.regions()).hasSize(1);
    LandslideChange.Region scar = result.regions().get(0);
    assertThat(scar.pixels()).isBetween(110, 120);
    assertThat(new int[] {scar.x1(), scar.y1(), scar.x2(), scar.y2()}).containsExactly(120, 40, 132, 50);
    assertThat(scar.meanNdviDropZ()).isGreaterThan(LandslideChange.Rule.DEFAULT.ndviDropZ());
  }

  @Test
  void vegetationLossWithoutBrighteningIsNotALandslide() {
    float[][] layers = sceneWithScar(2);
    for (int y = 40; y < 50; y++) {
      for (int x = 120; x < 132; x++) {
        layers[1][y * W + x] = -0.3f;  // a clear-cut in shadow, a burn scar: darker, not brighter
      }
    }
    assertThat(LandslideChange.detect(layers[0], layers[1], W, H, LandslideChange.Rule.DEFAULT).regions()).isEmpty();
  }

  @Test
  void speckleBelowTheSmallestRegionAndNoDataAreLeftOut() {
    float[][] layers = sceneWithScar(3);
    for (int y = 40; y < 50; y++) {
      for (int x = 120; x < 132; x++) {
        if (x > 121 || y > 41) {
          layers[0][y * W + x] = Float.NaN;  // only a 2 x 2 corner of the scar has data
        }
      }
    }
    assertThat(LandslideChange.detect(layers[0], layers[1], W, H, LandslideChange.Rule.DEFAULT).regions()).isEmpty();
    assertThatThrownBy(() -> LandslideChange.detect(new float[3], new float[3], 2, 2, LandslideChange.Rule.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Object recall and precision on the two Kaikōura change rasters together, printed; few false regions. */
  @Test
  void kaikouraLandslidesAreFoundAsChange() throws Exception {
    int labels = 0;
    int labelsFound = 0;
    int regions = 0;
    int regionsOnLabels = 0;
    long labelPixels = 0;
    long maskPixels = 0;
    long overlap = 0;
    for (String n : List.of("69", "70")) {
      Path raster = SharedData.require(
          "geotiff/kaikoura-landslides/satellite_imagery/image_difference/diff_landslide_" + n + ".tif");
      Path geojson = SharedData.require("geotiff/kaikoura-landslides/derived/label_landslide_" + n + ".utm59s.geojson");
      try (GeoTiffRaster r = GeoTiffRaster.open(raster)) {
        int w = r.width();
        int h = r.height();
        float[] ndvi = new float[w * h];
        float[] bright = new float[w * h];
        r.readWindow(0, 0, w, h, new int[] {1}, ndvi);
        r.readWindow(0, 0, w, h, new int[] {2}, bright);
        // These rasters store before minus after (the mapped landslides' pixels brighten, and their stored
        // brightness change sits 2.5 to 7.7 robust deviations BELOW the scene's); the rule reads after minus before.
        for (int p = 0; p < w * h; p++) {
          ndvi[p] = -ndvi[p];
          bright[p] = -bright[p];
        }
        double[] tie = r.geoTags().modelTiepoints();
        double[] scale = r.geoTags().modelPixelScale();
        LandslideChange.Result result = LandslideChange.detect(ndvi, bright, w, h, RULE);
        List<boolean[]> mapped = rasterise(geojson, w, h, tie[3], tie[4], scale[0], scale[1]);
        boolean[] anyLabel = new boolean[w * h];
        for (boolean[] label : mapped) {
          labels++;
          long inLabel = 0;
          long covered = 0;
          for (int p = 0; p < w * h; p++) {
            if (label[p]) {
              inLabel++;
              anyLabel[p] = true;
              covered += result.mask()[p] ? 1 : 0;
            }
          }
          // A mapped landslide is found when a reported region covers a quarter of it (or all of a tiny one).
          labelsFound += covered > 0 && covered * 4 >= Math.min(inLabel, 4 * 20) ? 1 : 0;
        }
        for (LandslideChange.Region region : result.regions()) {
          regions++;
          boolean touches = false;
          for (int y = region.y1(); y < region.y2() && !touches; y++) {
            for (int x = region.x1(); x < region.x2() && !touches; x++) {
              touches = result.mask()[y * w + x] && anyLabel[y * w + x];
            }
          }
          regionsOnLabels += touches ? 1 : 0;
        }
        for (int p = 0; p < w * h; p++) {
          labelPixels += anyLabel[p] ? 1 : 0;
          maskPixels += result.mask()[p] ? 1 : 0;
          overlap += anyLabel[p] && result.mask()[p] ? 1 : 0;
        }
      }
    }
    double recall = (double) labelsFound / labels;
    double precision = regions == 0 ? 0 : (double) regionsOnLabels / regions;
    System.out.printf("kaikoura change rule %s: mapped landslides found %d of %d (object recall %.3f); regions on a "
            + "mapped landslide %d of %d (object precision %.3f); pixels: recall %.3f, precision %.3f%n",
        RULE, labelsFound, labels, recall, regionsOnLabels, regions, precision,
        (double) overlap / labelPixels, maskPixels == 0 ? 0 : (double) overlap / maskPixels);
    assertThat(labels).isEqualTo(15);
    // Measured (models/README.md, "Landslides as change"): the mapped landslides are under 7 pixels at 10 m except
    // one of 120, and their NDVI change is within one deviation of the scene's, so the rule finds none of them;
    // what it must not do is light up a scene whose vegetation changed everywhere (one date is later in the season).
    assertThat(regions).as("regions reported over both rasters").isLessThanOrEqualTo(10);
  }

  /** Each polygon of a GeoJSON file in the raster's projected CRS as a pixel mask (pixel centres, even-odd rule). */
  private static List<boolean[]> rasterise(Path geojson, int w, int h, double x0, double y0, double sx, double sy)
      throws Exception {
    List<boolean[]> masks = new ArrayList<>();
    for (Object f : new JsonObject(Files.readString(geojson)).getJsonArray("features")) {
      JsonObject geometry = ((JsonObject) f).getJsonObject("geometry");
      List<JsonArray> polygons = new ArrayList<>();
      if (geometry.getString("type").equals("Polygon")) {
        polygons.add(geometry.getJsonArray("coordinates"));
      } else {
        geometry.getJsonArray("coordinates").forEach(p -> polygons.add((JsonArray) p));
      }
      boolean[] mask = new boolean[w * h];
      for (JsonArray rings : polygons) {
        for (int y = 0; y < h; y++) {
          double py = y0 - (y + 0.5) * sy;
          for (int x = 0; x < w; x++) {
            double px = x0 + (x + 0.5) * sx;
            boolean inside = false;
            for (Object ring : rings) {
              inside ^= inside((JsonArray) ring, px, py);
            }
            mask[y * w + x] |= inside;
          }
        }
      }
      masks.add(mask);
    }
    return masks;
  }

  private static boolean inside(JsonArray ring, double px, double py) {
    boolean in = false;
    for (int i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      double xi = ring.getJsonArray(i).getDouble(0);
      double yi = ring.getJsonArray(i).getDouble(1);
      double xj = ring.getJsonArray(j).getDouble(0);
      double yj = ring.getJsonArray(j).getDouble(1);
      if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
        in = !in;
      }
    }
    return in;
  }
}
