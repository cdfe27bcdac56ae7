package org.geohazard.detection;

import java.util.Locale;
import java.util.Optional;

/**
 * Multispectral sensors whose band stacks the node knows, with the bands that make each {@link SceneView}.
 * Band numbers are 1-based positions in the file's stack, for the stack layouts distributors write:
 * Sentinel-2 L1C with all 13 bands (B1..B8, B8A, B9..B12) or L2A with 12 (no B10); Landsat 8/9 OLI(-2)
 * with bands 1..7 or 1..11; Landsat 7 ETM+ as the 6 reflective bands (1..5, 7) or 8 (1..8).
 */
public enum Sensor {
  SENTINEL2, LANDSAT8, LANDSAT7,
  /** Sentinel-1 GRD backscatter: VV, or VV and VH (band 1 VV), in dB floats or an 8-bit rendering. */
  SENTINEL1;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a request's {@code sensor} field; Landsat 9 has Landsat 8's bands. */
  public static Sensor fromWire(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    return switch (v) {
      case "sentinel2", "s2" -> SENTINEL2;
      case "landsat8", "landsat9", "l8", "l9" -> LANDSAT8;
      case "landsat7", "l7" -> LANDSAT7;
      case "sentinel1", "s1" -> SENTINEL1;
      default -> throw new IllegalArgumentException(
          "unknown sensor '" + value + "' (sentinel2, landsat8, landsat9, landsat7, sentinel1)");
    };
  }

  /**
   * The sensor a stack of {@code bandCount} bands most likely comes from when the caller does not say:
   * only Sentinel-2's 13-band L1C stack is distinctive enough to guess.
   */
  public static Optional<Sensor> guess(int bandCount) {
    return bandCount == 13 ? Optional.of(SENTINEL2) : Optional.empty();
  }

  /**
   * The sensor of a raster the caller does not name, from its layout: a 13-band stack is Sentinel-2; one or two
   * bands of floating-point samples are Sentinel-1 backscatter in dB (VV, or VV and VH, as the Copernicus
   * toolboxes and Sen1Floods11 write them): optical products are integers or 3+ bands.
   */
  public static Optional<Sensor> guess(int bandCount, boolean floatingPoint) {
    return floatingPoint && (bandCount == 1 || bandCount == 2) ? Optional.of(SENTINEL1) : guess(bandCount);
  }

  /** Whether this sensor sees radar backscatter, not reflected light. */
  public boolean radar() {
    return this == SENTINEL1;
  }

  /** The 1-based bands of {@code view} in a stack of {@code bandCount} bands of this sensor, if it has them. */
  public Optional<int[]> bands(SceneView view, int bandCount) {
    if (view.isRadar() || radar()) {
      // VV is band 1 of a Sentinel-1 raster; an optical sensor has no radar view and a radar no optical one.
      return view.isRadar() && radar() && (bandCount == 1 || bandCount == 2)
          ? Optional.of(new int[] {1}) : Optional.empty();
    }
    boolean colour = view.isColour();
    int[] bands = switch (this) {
      case SENTINEL1 -> null;
      case SENTINEL2 -> switch (bandCount) {
        case 13 -> colour ? new int[] {4, 3, 2} : new int[] {12, 8, 3};
        case 12 -> colour ? new int[] {4, 3, 2} : new int[] {11, 8, 3};
        default -> null;
      };
      case LANDSAT8 -> bandCount == 7 || bandCount == 11 ? (colour ? new int[] {4, 3, 2} : new int[] {6, 5, 3}) : null;
      case LANDSAT7 -> bandCount == 6 || bandCount == 8 ? (colour ? new int[] {3, 2, 1} : new int[] {5, 4, 2}) : null;
    };
    return Optional.ofNullable(bands);
  }
}
