package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionGeometryTest {

  private static final double A = 6_378_137.0;
  private static final double E2 = 6.694_379_990_14e-3;

  /** Area of the ellipsoid between the equator and latitude φ per radian of longitude (exact, closed form). */
  private static double bandArea(double latDegrees) {
    double e = Math.sqrt(E2);
    double s = Math.sin(Math.toRadians(latDegrees));
    double b2 = A * A * (1 - E2);
    return b2 / 2 * (s / (1 - E2 * s * s) + Math.log((1 + e * s) / (1 - e * s)) / (2 * e));
  }

  private static double cellArea(double south, double north, double widthDegrees) {
    return (bandArea(north) - bandArea(south)) * Math.toRadians(widthDegrees);
  }

  @Test
  void areaMatchesTheExactEllipsoidalAreaOfLatitudeLongitudeCells() {
    for (double lat : new double[] {0, 25, 45, 70, 85}) {
      ApproximatePlacement box = ApproximatePlacement.boundingBox(10, lat, 10.1, lat + 0.1, 100, 100);
      GeoFootprint footprint = DetectionGeometry.footprint(0, 0, 100, 100, box);
      double exact = cellArea(lat, lat + 0.1, 0.1);
      assertThat(footprint.areaMetres2()).as("cell at %s°", lat).isCloseTo(exact, within(exact * 1e-5));
    }
  }

  @Test
  void utmBoxOfKnownSizeHasItsAreaWithinTheScaleFactor() throws Exception {
    // A 1 km × 1 km square in UTM 33N near its central meridian, where the scale factor is 0.9996.
    GeoReference utm = GeoReference.ofGeoTransform(32633, true, 500_000, 10, 0, 5_000_000, 0, -10);
    GeoFootprint footprint = DetectionGeometry.footprint(0, 0, 100, 100, utm);
    double expected = 1_000_000 / (0.9996 * 0.9996);
    assertThat(footprint.areaMetres2()).isCloseTo(expected, within(expected * 2e-4));
    assertThat(footprint.radiusMetres()).isCloseTo(Math.sqrt(2) * 500 / 0.9996, within(2.0));
  }

  @Test
  void ringIsClosedCounterClockwiseLonLatAndCentroidIsTheBoxCentre() throws Exception {
    GeoReference geographic = GeoReference.ofGeoTransform(4326, false, 10, 0.001, 0, 50, 0, -0.001);
    GeoFootprint footprint = DetectionGeometry.footprint(100, 200, 300, 400, geographic);
    List<LonLat> ring = footprint.ring();
    assertThat(ring).hasSize(5);
    assertThat(ring.get(0)).isEqualTo(ring.get(4));
    assertThat(ring.get(0).lon()).isCloseTo(10.1, within(1e-12));
    assertThat(ring.get(0).lat()).isCloseTo(49.8, within(1e-12));
    assertThat(signedArea(ring)).isPositive();
    assertThat(footprint.centroid().lon()).isCloseTo(10.2, within(1e-12));
    assertThat(footprint.centroid().lat()).isCloseTo(49.7, within(1e-12));
    assertThat(footprint.exact()).isTrue();

    // A grid whose rows go north (positive pixel height) still gives a counter-clockwise ring.
    GeoReference upward = GeoReference.ofGeoTransform(4326, false, 10, 0.001, 0, 50, 0, 0.001);
    assertThat(signedArea(DetectionGeometry.footprint(100, 200, 300, 400, upward).ring())).isPositive();
  }

  private static double signedArea(List<LonLat> ring) {
    double sum = 0;
    for (int i = 0; i < ring.size() - 1; i++) {
      sum += ring.get(i).lon() * ring.get(i + 1).lat() - ring.get(i + 1).lon() * ring.get(i).lat();
    }
    return sum / 2;
  }
}
