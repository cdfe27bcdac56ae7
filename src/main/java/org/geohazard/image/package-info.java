/**
 * The image library: what an uploaded file is (magic bytes, header only, refusing bombs and junk with stable
 * codes), its pixels as 8-bit RGB, and TIFF/GeoTIFF scenes read window by window with one band stretch per
 * scene. Pure Java, no Vert.x. The TIFF reader lives here with the header probe and shares its one directory
 * parser ({@link org.geohazard.image.TiffDirectory}): the probe parses and checks the first directory into a
 * {@link org.geohazard.image.TiffLayout}, and {@link org.geohazard.image.GeoTiffRaster} reads windows from that
 * layout, from a file or from an object read by ranged requests ({@link org.geohazard.storage.RangeReader}: only the
 * header and the strips or tiles a window decodes are fetched); which compressions are taken, and which of them the window reader decodes, is decided once in
 * {@link org.geohazard.image.TiffCompression}. The reader is our own because javax.imageio decodes a whole image at
 * once.
 */
package org.geohazard.image;
