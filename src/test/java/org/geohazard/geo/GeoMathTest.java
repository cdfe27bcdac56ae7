package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class GeoMathTest {

  @Test
  void distanceOfOneDegreeOfLatitudeIsAbout111Km() {
    assertThat(GeoMath.distanceKm(0, 0, 1, 0)).isCloseTo(111.195, offset(0.01));
  }

  @Test
  void boundingBoxContainsTheCircle() {
    GeoMath.BoundingBox box = GeoMath.boundingBox(45, 9, 100);
    assertThat(GeoMath.distanceKm(45, 9, box.maxLat(), 9)).isCloseTo(100, offset(0.01));
    assertThat(GeoMath.distanceKm(45, 9, 45, box.maxLon())).isGreaterThanOrEqualTo(100);
    assertThat(box.crossesAntimeridian()).isFalse();
    assertThat(box.toWkt()).startsWith("POLYGON((");
  }

  @Test
  void boxNearTheAntimeridianIsFlagged() {
    assertThat(GeoMath.boundingBox(0, 179.9, 50).crossesAntimeridian()).isTrue();
  }

  @Test
  void circleOverAPoleSpansEveryLongitude() {
    GeoMath.BoundingBox box = GeoMath.boundingBox(89.9, 10, 50);
    assertThat(box.minLon()).isEqualTo(-180);
    assertThat(box.maxLon()).isEqualTo(180);
    assertThat(box.maxLat()).isEqualTo(90);
  }
}
