/**
 * Flood extent: per-window flood probability masks (from a mask model, ONNX metadata {@code task=segment}) stitched
 * into one scene mask at the model's ground scale ({@link org.geohazard.extent.MaskStitcher}), traced into WGS84
 * polygons with holes, areas and mean probabilities ({@link org.geohazard.extent.MaskPolygonizer}), rasterised back
 * to measure what simplification cost ({@link org.geohazard.extent.PolygonRasterizer}), written as a single-band
 * GeoTIFF ({@link org.geohazard.extent.MaskGeoTiffWriter}) and reduced to CAP 1.2 {@code <polygon>} strings
 * ({@link org.geohazard.extent.CapPolygons}). Pure Java (JTS, the georeferencing of {@code org.geohazard.geo}); no
 * Vert.x types, no model runtime.
 */
package org.geohazard.extent;
