package org.geohazard.bus;

/**
 * An operator's change to the models a node serves, done without a restart ({@code inference.models.install}).
 *
 * @param path the model file, on the worker's disk, inside its configured model directory
 * @param mode {@code serve}: load, warm up, then serve it in place of the model of the same view (whose session
 *     is closed once the images using it are done); {@code shadow}: load it as a candidate that also looks at
 *     {@code shadowShare} of the images, stored apart and never alerting; {@code withdraw}: stop a shadow
 * @param shadowShare for {@code shadow}, the share of images in (0, 1]
 */
public record ModelInstall(String path, String mode, Double shadowShare) {
  public static final String SERVE = "serve";
  public static final String SHADOW = "shadow";
  public static final String WITHDRAW = "withdraw";

  public ModelInstall {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("path is required");
    }
    if (!SERVE.equals(mode) && !SHADOW.equals(mode) && !WITHDRAW.equals(mode)) {
      throw new IllegalArgumentException("mode must be serve, shadow or withdraw, was " + mode);
    }
    if (SHADOW.equals(mode) && (shadowShare == null || !(shadowShare > 0 && shadowShare <= 1))) {
      throw new IllegalArgumentException("shadow_share must be in (0, 1] for a shadow model");
    }
  }
}
