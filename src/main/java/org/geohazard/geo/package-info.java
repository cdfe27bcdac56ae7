/**
 * Geography: GeoTIFF georeferencing to WGS84 (proj4j), approximate placement from a caller's point, pixel boxes
 * to ground footprints and areas, distances and bounding boxes; where the land is ({@link
 * org.geohazard.geo.LandMask}: Natural Earth 1:10m land read by our own TopoJSON decoder {@link
 * org.geohazard.geo.TopoJson} into JTS polygons) for telling the sea from a flood. Pure Java.
 */
package org.geohazard.geo;
