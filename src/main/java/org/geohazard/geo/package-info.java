/**
 * Geography: GeoTIFF georeferencing to WGS84 (proj4j), approximate placement from a caller's point, pixel boxes
 * to ground footprints and areas, distances and bounding boxes. Pure Java.
 */
package org.geohazard.geo;
