package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The land share of box footprints: on a hand-made island (exact shares), then on the Natural Earth 1:10m layer
 * shipped in the jar at known places: open sea in the Straits of Florida and on the Great Bahama Bank (the shallow
 * sea of the flood-free Landsat scene rasterio/RGB.byte.tif), inland Florida, and a box across Florida's Atlantic
 * coast.
 */
class LandMaskTest {

  /** A footprint box from (west, south) to (east, north), counter-clockwise. */
  static GeoFootprint box(double west, double south, double east, double north) {
    LonLat centre = new LonLat((west + east) / 2, (south + north) / 2);
    return new GeoFootprint(java.util.List.of(new LonLat(west, south), new LonLat(east, south),
        new LonLat(east, north), new LonLat(west, north), new LonLat(west, south)), centre, 1, 1, true);
  }

  @Test
  void sharesOnAHandMadeIsland() {
    LandMask mask = new LandMask(TopoJson.polygons(new JsonObject(TopoJsonTest.QUANTIZED), "land"));
    // The island spans lon -10..-5, lat 20..22.5, with a lake lon -8..-7, lat 21..21.5.
    assertThat(mask.landShare(box(-9.9, 20.1, -9.1, 20.9))).isEqualTo(1.0);
    assertThat(mask.landShare(box(-4.5, 20.1, -3.5, 20.9))).isEqualTo(0.0);
    assertThat(mask.landShare(box(-6, 20.1, -4, 20.9))).as("half over the east shore").isCloseTo(0.5, within(1e-9));
    assertThat(mask.landShare(box(-8, 21, -7, 21.5))).as("the lake is water here").isEqualTo(0.0);
  }

  @Test
  void naturalEarthTellsTheSeaFromFlorida() {
    LandMask earth = LandMask.naturalEarth();
    assertThat(earth.polygons()).isGreaterThan(1000);
    // Straits of Florida between Miami and Bimini: open sea.
    assertThat(earth.landShare(box(-79.75, 25.3, -79.45, 25.6))).isEqualTo(0.0);
    // Great Bahama Bank west of Andros: shallow sea (what the natural-colour model called a flood); under the
    // analysis's 0.5 (AnalysisBuilder.MIN_LAND_SHARE) it is the sea.
    assertThat(earth.landShare(box(-78.6, 24.2, -78.3, 24.5))).isLessThan(0.5);
    // Inland Florida, around Lake Placid: land (lakes are land in this layer).
    assertThat(earth.landShare(box(-81.6, 27.2, -81.2, 27.5))).isEqualTo(1.0);
    // Across the coast at Fort Lauderdale (shore near -80.10): roughly the share west of it.
    double coast = earth.landShare(box(-80.30, 26.05, -79.90, 26.15));
    assertThat(coast).isBetween(0.35, 0.65);
  }
}
