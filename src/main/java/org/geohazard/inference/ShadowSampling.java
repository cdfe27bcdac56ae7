package org.geohazard.inference;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which images a shadow model looks at: a share of them chosen by the image id, so the choice is the same on every
 * node and on every redelivery of a claim (a redelivered image is not compared twice with other samples).
 */
final class ShadowSampling {

  private ShadowSampling() {}

  /** Whether the image with {@code imageId} is among the {@code share} (0..1] of images a candidate sees. */
  static boolean selects(String imageId, Double share) {
    if (share == null || share <= 0) {
      return false;
    }
    if (share >= 1) {
      return true;
    }
    return position(imageId) < share;
  }

  /** The image's place in [0, 1): spread evenly over random ids. */
  static double position(String imageId) {
    CRC32 crc = new CRC32();
    crc.update(imageId.getBytes(StandardCharsets.UTF_8));
    return crc.getValue() / (double) (1L << 32);
  }
}
