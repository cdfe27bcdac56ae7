package org.geohazard.inference;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.geo.SceneWindow;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.ingest.BandStretch;
import org.geohazard.ingest.GeoTiffRaster;
import org.geohazard.ingest.ImageDecoder;
import org.geohazard.ingest.ImageFormat;
import org.geohazard.ingest.ImageInfo;
import org.geohazard.ingest.ImageLimits;
import org.geohazard.ingest.ImageProbe;
import org.geohazard.ingest.InvalidImageException;
import org.geohazard.ingest.RgbImage;

/**
 * Where the pixels of one scene come from, window by window: a TIFF/GeoTIFF read from disk a window at
 * a time with one band stretch for the whole scene (bounded memory whatever the scene's size), or a
 * JPEG/PNG (or a TIFF layout the window reader does not take) decoded whole. Reads are serialised by
 * the caller: one scene's windows are read one after another, different scenes in parallel.
 */
abstract sealed class SceneSource implements Closeable {

  abstract int width();

  abstract int height();

  /** Whether a downsampled window can be read (the raster can; a decoded image is letterboxed whole instead). */
  abstract boolean readsDownsampled();

  /** The window's pixels, at the window's output size. */
  abstract RgbImage read(SceneWindow window) throws IOException, InvalidImageException;

  /** Ground positions from the file's own georeferencing, if it has any that this node understands. */
  abstract Optional<PixelGeolocation> georeference();

  @Override
  public void close() throws IOException {}

  /**
   * Opens the scene in {@code file}: TIFFs the window reader takes are read window by window, anything
   * else is decoded whole within the in-memory budget.
   *
   * @param bands 1-based band numbers for multi-band rasters ("4,3,2"), or null/blank for the default
   */
  static SceneSource open(Path file, ImageLimits limits, String bands) throws IOException, InvalidImageException {
    ImageInfo info = new ImageProbe(limits).probeScene(file);
    if (info.format() == ImageFormat.TIFF) {
      GeoTiffRaster raster;
      try {
        raster = GeoTiffRaster.open(file, limits, RasterScene.CACHE_BYTES);
      } catch (InvalidImageException unsupportedLayout) {
        // A TIFF layout the window reader does not take (e.g. PackBits or JPEG-in-TIFF): decode it whole.
        return new DecodedScene(new ImageDecoder(limits).decode(file));
      }
      try {
        int[] chosen = bands == null || bands.isBlank() ? BandStretch.defaultBands(raster.bandCount())
            : BandStretch.parseBands(bands, raster.bandCount());
        return new RasterScene(raster, BandStretch.fromScene(raster, chosen));
      } catch (IOException | InvalidImageException | RuntimeException e) {
        raster.close();
        throw e;
      }
    }
    return new DecodedScene(new ImageDecoder(limits).decode(file));
  }

  /** A scene decoded whole into memory. */
  static final class DecodedScene extends SceneSource {
    private final RgbImage image;

    DecodedScene(RgbImage image) {
      this.image = image;
    }

    @Override
    int width() {
      return image.width();
    }

    @Override
    int height() {
      return image.height();
    }

    @Override
    boolean readsDownsampled() {
      return false;
    }

    @Override
    RgbImage read(SceneWindow window) {
      if (window.downsampled()) {
        throw new IllegalArgumentException("a decoded image is letterboxed whole instead of downsampled");
      }
      if (window.x() == 0 && window.y() == 0 && window.width() == image.width() && window.height() == image.height()) {
        return image;
      }
      byte[] crop = new byte[window.width() * window.height() * 3];
      int rowBytes = window.width() * 3;
      for (int row = 0; row < window.height(); row++) {
        System.arraycopy(image.rgb(), ((window.y() + row) * image.width() + window.x()) * 3, crop, row * rowBytes,
            rowBytes);
      }
      return new RgbImage(window.width(), window.height(), crop);
    }

    @Override
    Optional<PixelGeolocation> georeference() {
      return Optional.empty();
    }
  }

  /** A TIFF/GeoTIFF read window by window with one stretch for every window of the scene. */
  static final class RasterScene extends SceneSource {
    /** Decoded raster blocks kept between window reads: overlapping tiles re-read the same blocks. */
    static final long CACHE_BYTES = 64L << 20;

    private final GeoTiffRaster raster;
    private final BandStretch stretch;

    RasterScene(GeoTiffRaster raster, BandStretch stretch) {
      this.raster = raster;
      this.stretch = stretch;
    }

    @Override
    int width() {
      return raster.width();
    }

    @Override
    int height() {
      return raster.height();
    }

    @Override
    boolean readsDownsampled() {
      return true;
    }

    @Override
    RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
      return stretch.read(raster, window.x(), window.y(), window.width(), window.height(), window.outputWidth(),
          window.outputHeight());
    }

    @Override
    Optional<PixelGeolocation> georeference() {
      try {
        return GeoReference.from(raster.geoTags()).map(PixelGeolocation.class::cast);
      } catch (UnsupportedGeoReferenceException e) {
        return Optional.empty();
      }
    }

    @Override
    public void close() throws IOException {
      raster.close();
    }
  }
}
