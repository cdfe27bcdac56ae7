package org.geohazard.image;

import java.util.Locale;
import java.util.Optional;

/**
 * How the first image of a TIFF is stored, as {@link TiffHeaderReader} parsed and checked it from the
 * {@link TiffDirectory}: size, samples, compression, predictor, strips or tiles and where each block lies (every block
 * inside the file). The window reader takes this from the probe instead of parsing the directory again, and both
 * ask {@link #sceneReaderRefusal} whether a scene can be read window by window, so they cannot disagree.
 *
 * @param compressionCode the Compression field's value, of which {@code compression} is the kind
 * @param separatePlanes PlanarConfiguration 2: each band stored in its own blocks (band-sequential)
 * @param tiled whether the image is stored in tiles (else in strips)
 * @param tileWidth 0 for strips
 * @param tileLength 0 for strips
 * @param rowsPerStrip at most {@code height}; unused for tiles
 * @param blockOffsets where each stored strip or tile starts, plane after plane
 * @param blockByteCounts its stored length; 0 for an empty (sparse) block
 * @param directory the parsed directory, for the fields this record does not carry (GeoTIFF tags, nodata)
 */
record TiffLayout(
    int width,
    int height,
    int bands,
    int bitsPerSample,
    int sampleFormat,
    long compressionCode,
    TiffCompression compression,
    boolean horizontalDifferencing,
    boolean separatePlanes,
    boolean tiled,
    long tileWidth,
    long tileLength,
    long rowsPerStrip,
    long[] blockOffsets,
    long[] blockByteCounts,
    TiffDirectory directory) {

  ImageInfo info() {
    return new ImageInfo(ImageFormat.TIFF, width, height, bands, bitsPerSample);
  }

  /**
   * Why {@link GeoTiffRaster} cannot read this layout in bounded memory, or empty if it can: its compressions
   * ({@link TiffCompression#windowed()}), its sample types ({@link SampleType}), and blocks it may decode whole
   * (uncompressed strips are read row by row, so any size will do).
   */
  Optional<String> sceneReaderRefusal() {
    return sceneReaderRefusal(compressionCode, compression, bitsPerSample, sampleFormat,
        blockBytes(compression, bands, bitsPerSample, separatePlanes, tiled, tileWidth, tileLength, width,
            rowsPerStrip), tiled);
  }

  /**
   * {@link #sceneReaderRefusal()} from the fields the probe knows before it reads the block table (it decides which
   * pixel budget applies first).
   *
   * @param blockBytes what one block decodes to, from {@link #blockBytes}
   */
  static Optional<String> sceneReaderRefusal(long compressionCode, TiffCompression compression, int bitsPerSample,
      int sampleFormat, long blockBytes, boolean tiled) {
    try {
      SampleType.of(sampleFormat, bitsPerSample);
    } catch (IllegalArgumentException e) {
      return Optional.of("This TIFF has " + e.getMessage() + "; the scene reader takes 8-, 16- and 32-bit integers "
          + "and 32- or 64-bit floats.");
    }
    if (!compression.windowed()) {
      return Optional.of("This TIFF uses compression " + compressionCode + "; the scene reader takes uncompressed, "
          + "LZW and DEFLATE TIFFs.");
    }
    if (blockBytes > GeoTiffRaster.MAX_BLOCK_BYTES) {
      return Optional.of(String.format(Locale.ROOT, "This TIFF stores its pixels in compressed %s of %,d MiB each; "
          + "the scene reader decodes at most %,d MiB at a time. Store it tiled (e.g. gdal_translate -co TILED=YES).",
          tiled ? "tiles" : "strips", blockBytes >> 20, GeoTiffRaster.MAX_BLOCK_BYTES >> 20));
    }
    return Optional.empty();
  }

  /**
   * What one block decodes to in the window reader: a tile, a compressed strip, or one row of an uncompressed strip
   * (which it reads row by row).
   *
   * @param rowsPerStrip at most the image's height; unused for tiles
   */
  static long blockBytes(TiffCompression compression, int bands, int bitsPerSample, boolean separatePlanes,
      boolean tiled, long tileWidth, long tileLength, long width, long rowsPerStrip) {
    long samplesPerBlockPixel = separatePlanes ? 1 : bands;
    long blockPixels = tiled
        ? tileWidth * tileLength
        : width * (compression == TiffCompression.NONE ? 1 : rowsPerStrip);
    return blockPixels * samplesPerBlockPixel * Math.max(1, bitsPerSample / 8);
  }
}
