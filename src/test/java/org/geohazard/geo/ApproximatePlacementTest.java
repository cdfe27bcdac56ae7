package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ApproximatePlacementTest {

  @Test
  void centreOfTheImageIsTheCallersPointAndOnePixelIsTheGroundSampleDistance() {
    ApproximatePlacement placement = ApproximatePlacement.centredAt(45, 7, 1000, 800, 10);
    LonLat centre = placement.toWgs84(500, 400);
    assertThat(centre.lon()).isCloseTo(7, within(1e-12));
    assertThat(centre.lat()).isCloseTo(45, within(1e-12));
    // 100 px east and north = 1 km each way.
    LonLat offset = placement.toWgs84(600, 300);
    assertThat(GeoMath.distanceKm(45, 7, 45, offset.lon())).isCloseTo(1.0, within(0.005));
    assertThat(GeoMath.distanceKm(45, 7, offset.lat(), 7)).isCloseTo(1.0, within(0.005));
    assertThat(offset.lat()).isGreaterThan(45);
    assertThat(placement.exact()).isFalse();
  }

  @Test
  void boundingBoxIsFilledLinearlyAndMayCrossTheAntimeridian() {
    ApproximatePlacement box = ApproximatePlacement.boundingBox(10, 40, 12, 41, 200, 100);
    assertThat(box.toWgs84(0, 0)).isEqualTo(new LonLat(10, 41));
    assertThat(box.toWgs84(200, 100)).isEqualTo(new LonLat(12, 40));
    ApproximatePlacement crossing = ApproximatePlacement.boundingBox(179, -1, -179, 1, 200, 200);
    assertThat(crossing.toWgs84(150, 100).lon()).isCloseTo(-179.5, within(1e-9));
  }

  @Test
  void refusesImpossibleHints() {
    assertThatThrownBy(() -> ApproximatePlacement.centredAt(95, 0, 10, 10, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApproximatePlacement.centredAt(0, 0, 10, 10, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApproximatePlacement.boundingBox(0, 10, 1, 5, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
