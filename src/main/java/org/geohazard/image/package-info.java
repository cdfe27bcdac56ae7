/**
 * The image library: what an uploaded file is (magic bytes, header only, refusing bombs and junk with stable
 * codes), its pixels as 8-bit RGB, and TIFF/GeoTIFF scenes read window by window with one band stretch per
 * scene. Pure Java, no Vert.x. The TIFF reader lives here with the header probe (they share the directory
 * parser); it is our own because javax.imageio decodes a whole image at once.
 */
package org.geohazard.image;
