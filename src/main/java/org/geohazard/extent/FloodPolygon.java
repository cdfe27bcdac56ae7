package org.geohazard.extent;

import org.locationtech.jts.geom.Polygon;

/**
 * One flooded region of a scene.
 *
 * @param wgs84 the region in WGS84 (x = longitude, y = latitude), holes kept, simplified
 * @param pixels the same polygon in mask pixel coordinates (GDAL convention), for rasterising and CAP reduction
 * @param areaKm2 its area on the WGS84 ellipsoid (outer ring minus holes), km²
 * @param meanProbability the mean flood probability of the mask pixels whose centres it covers
 */
public record FloodPolygon(Polygon wgs84, Polygon pixels, double areaKm2, double meanProbability) {
}
