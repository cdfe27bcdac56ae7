/**
 * Ingest: what an uploaded file is, and its pixels as 8-bit RGB. Pure Java, no Vert.x: the API calls it on a worker
 * thread with the upload's bytes or a file path.
 *
 * <ul>
 *   <li>{@link org.geohazard.ingest.ImageProbe} decides the {@link org.geohazard.ingest.ImageFormat} from magic bytes
 *       and reads an {@link org.geohazard.ingest.ImageInfo} from the header only, refusing empty, foreign, cut-off,
 *       corrupt and oversized files (checked against {@link org.geohazard.ingest.ImageLimits}) before any pixel is
 *       decoded. Microseconds per file; over a path it reads the header and the last few KB.
 *   <li>{@link org.geohazard.ingest.ImageDecoder} probes again, then decodes to an
 *       {@link org.geohazard.ingest.RgbImage} with javax.imageio.
 *   <li>{@link org.geohazard.ingest.GeoTiffRaster} reads windows of a TIFF/GeoTIFF scene (strips or tiles, none/LZW/
 *       DEFLATE) without decoding the rest, after {@link org.geohazard.ingest.ImageProbe#probeScene} held it to the
 *       larger scene budget of the limits; {@link org.geohazard.ingest.BandStretch} turns chosen bands into RGB with
 *       one 2–98 % stretch per scene.
 *   <li>Every refusal is an {@link org.geohazard.ingest.InvalidImageException} with a stable code
 *       ({@code empty_file}, {@code unsupported_media_type}, {@code truncated_image}, {@code image_too_large},
 *       {@code invalid_image}) and a message fit to show the uploader.
 * </ul>
 *
 * <p>Deliberate limits, until the GeoTIFF reader arrives: BigTIFF, TIFF compressions javax.imageio lacks (ZSTD,
 * LERC, WebP, JPEG 2000), the floating-point predictor, 12-bit/lossless/arithmetic/CMYK JPEGs are refused as
 * {@code unsupported_media_type}; multispectral and deep TIFFs are shown as a 2–98 % stretch of bands 1–3.
 */
package org.geohazard.ingest;
