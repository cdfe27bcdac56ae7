package org.geohazard.detection;

import java.util.Locale;

/**
 * What a model was trained to see of a scene, as its ONNX metadata {@code view} states it. The node
 * turns a multi-band scene into that view with the sensor's band recipe ({@link Sensor#bands}).
 */
public enum SceneView {
  /** Any 3-band picture: a photo, a JPEG/PNG product, or the true-colour bands of a multi-band scene. */
  RGB,
  /** True colour only (red, green, blue bands of a multispectral scene). */
  TRUE_COLOUR,
  /** The flood composite: SWIR1, NIR, green (Sentinel-2 B11, B8, B3) as red, green, blue. */
  SWIR_NIR_GREEN,
  /**
   * Radar: Sentinel-1 VV backscatter of the scene as red, of a before scene of the same place as green (the scene's
   * own VV when there is none), and their change as blue ({@code org.geohazard.image.SarComposite}).
   */
  SAR_VV_PAIR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a metadata value; absent or blank means {@link #RGB} (any Ultralytics export). */
  public static SceneView fromMetadata(String value) {
    if (value == null || value.isBlank()) {
      return RGB;
    }
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown view '" + value + "' (rgb, true_colour, swir_nir_green, sar_vv_pair)");
    }
  }

  /** Whether this view is made of the red, green and blue bands (so a plain picture already is it). */
  public boolean isColour() {
    return this == RGB || this == TRUE_COLOUR;
  }

  /** Whether this view is made of radar backscatter (a Sentinel-1 scene), not of reflected light. */
  public boolean isRadar() {
    return this == SAR_VV_PAIR;
  }
}
