package org.geohazard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LandMask;
import org.junit.jupiter.api.Test;

/** The place {@link PairScenes#inlandEasting()} draws from is land in the layer the node cuts the sea with. */
class PairScenesTest {

  private static final int SIDE = PairScenes.SIDE;

  @Test
  void everySceneTheInlandRangeCanDrawLiesWhollyOnLand() throws Exception {
    LandMask land = LandMask.naturalEarth();
    // Every scene of the range, a scene's width apart, and a kilometre beyond both ends, so the range is not at a shore.
    for (double easting = 599_000; easting <= 641_000; easting += SIDE * 10.0) {
      GeoReference scene = GeoReference.ofGeoTransform(32630, true, easting, 10, 0, 4_200_000, 0, -10);
      assertThat(land.landShare(DetectionGeometry.footprint(0, 0, SIDE, SIDE, scene)))
          .as("scene at %.0f m east", easting).isEqualTo(1.0);
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(PairScenes.inlandEasting()).isBetween(600_000.0, 640_000.0);
    }
  }

  @Test
  void theOldRangeReachedTheSea() throws Exception {
    // Why the range stops at 640 km: 700 km east (where the old draw could reach) is at the Murcia coast.
    GeoReference coast = GeoReference.ofGeoTransform(32630, true, 700_000, 10, 0, 4_200_000, 0, -10);
    assertThat(LandMask.naturalEarth().landShare(DetectionGeometry.footprint(0, 0, 256, 256, coast)))
        .isLessThan(1.0);
  }
}
