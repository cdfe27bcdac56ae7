package org.geohazard.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;

/** A synthetic flooded Sentinel-2 scene the flood extent tests make themselves (no shared data needed). */
public final class FloodedScene {

  private FloodedScene() {
  }

  /**
   * A 13-band 10 m UTM scene, 600 × 600 pixels (tiled for the 256-pixel mask model, so windows are stitched): dry
   * land (bright NIR and SWIR) with a river 90 m wide across it and a lake of 1.1 km radius, both with water's
   * spectrum (dark NIR and SWIR, brighter green), inland in south-east Spain (UTM 30N) so the land cut keeps them.
   */
  public static Path write(Path dir, double eastingOrigin) throws Exception {
    long seed = new Random().nextLong();
    GeoTiffFixture.Samples samples = (band, x, y) -> {
      boolean water = Math.hypot(x - 380, y - 330) < 110 || Math.abs(y - (120 + x / 4)) < 5;
      double noise = new Random(seed ^ (x * 73_856_093L) ^ (y * 19_349_663L) ^ band).nextGaussian() * 40;
      int b = band + 1;
      double value;
      if (water) {
        value = b == 3 ? 1300 : b == 2 ? 1100 : b == 4 ? 900 : b >= 8 ? 250 : 700;
      } else {
        value = b == 3 ? 900 : b == 2 ? 700 : b == 4 ? 1000 : b == 8 || b == 9 ? 3200 : b >= 11 ? 2400 : 1500;
      }
      return Math.max(1, Math.round(value + noise));
    };
    return new GeoTiffFixture(600, 600).bands(13, SampleType.UINT16)
        .compression(GeoTiffFixture.Compression.DEFLATE).tiles(256)
        .georeferenced(32630, true, eastingOrigin, 4_220_000, 10, 10)
        .samples(samples).write(Files.createTempFile(dir, "flooded-", ".tif"));
  }
}
