package org.geohazard.geo;

/**
 * A GeoTIFF that says where it is in a way this service cannot follow: a user-defined or unknown CRS, ground
 * control points without a transform, a rotated tie-point grid. The image can still be analysed; its detections
 * then carry pixel boxes only, and this message says why.
 */
public final class UnsupportedGeoReferenceException extends Exception {

  private static final long serialVersionUID = 1L;

  public UnsupportedGeoReferenceException(String message) {
    super(message);
  }

  public UnsupportedGeoReferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
