package org.geohazard.inference.scene;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.image.BandStretch;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageFormat;
import org.geohazard.image.ImageInfo;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.ImageProbe;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbArrayPool;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SampleType;

/**
 * Where the pixels of one scene come from, window by window: a TIFF/GeoTIFF read from disk a window at
 * a time (bounded memory whatever the scene's size), or a JPEG/PNG (or a TIFF layout the window reader
 * does not take) decoded whole. Each model that looks at the scene reads it through its own
 * {@link Reader}: the bands of its view with one stretch for the whole scene. Readers are thread-safe: a
 * scene's windows are read on several threads at once (neighbouring windows share decoded blocks).
 */
public abstract sealed class SceneSource implements Closeable
    permits SceneSource.DecodedScene, SceneSource.RasterScene, BandStackScene {

  /** One view of the scene: the window's pixels, at the window's output size, as 8-bit RGB. */
  public interface Reader {
    RgbImage read(SceneWindow window) throws IOException, InvalidImageException;

    /** The 1-based bands shown as R, G, B, or null for a decoded picture. */
    int[] bands();
  }

  public abstract int width();

  public abstract int height();

  /** Whether a downsampled window can be read (the raster can; a decoded image is letterboxed whole instead). */
  public abstract boolean readsDownsampled();

  /** Bands in the file (3 for a decoded picture). */
  public abstract int bandCount();

  /** Whether bands can be chosen (a raster read window by window). */
  public abstract boolean raster();

  /** Whether the samples are floating-point numbers (e.g. radar backscatter in dB), not integers. */
  public boolean floatingPoint() {
    return false;
  }

  /**
   * A reader showing {@code bands} (1-based) as R, G, B; null chooses {@code defaultBands} (the caller's
   * or the node's setting, e.g. "4,3,2"), or when that is blank bands 1, 2, 3 (band 1 as grey for one
   * band). A decoded picture is read as it is.
   */
  public abstract Reader reader(int[] bands, String defaultBands) throws IOException, InvalidImageException;

  /** Ground positions from the file's own georeferencing, if it has any that this node understands. */
  public abstract Optional<PixelGeolocation> georeference();

  @Override
  public void close() throws IOException {}

  /**
   * Opens the scene in {@code file}: TIFFs the window reader takes are read window by window, anything
   * else is decoded whole within the in-memory budget.
   */
  public static SceneSource open(Path file, ImageLimits limits) throws IOException, InvalidImageException {
    ImageInfo info = new ImageProbe(limits).probeScene(file);
    if (info.format() == ImageFormat.TIFF) {
      try {
        return new RasterScene(GeoTiffRaster.open(file, limits, RasterScene.CACHE_BYTES));
      } catch (InvalidImageException unsupportedLayout) {
        // A TIFF layout the window reader does not take (e.g. PackBits or JPEG-in-TIFF): decode it whole.
        return new DecodedScene(new ImageDecoder(limits).decode(file));
      }
    }
    return new DecodedScene(new ImageDecoder(limits).decode(file));
  }

  /** A scene decoded whole into memory. */
  public static final class DecodedScene extends SceneSource {
    private final RgbImage image;
    /** Takes the picture's array back when the scene closes; null: left to the collector. */
    private final RgbArrayPool pool;
    private boolean closed;

    public DecodedScene(RgbImage image) {
      this(image, null);
    }

    /**
     * @param pool given the picture's array back when the scene closes: only once nothing reads the picture any
     *     more (the windows are letterboxed and the scene answered), which is when its owner closes it
     */
    public DecodedScene(RgbImage image, RgbArrayPool pool) {
      this.image = image;
      this.pool = pool;
    }

    @Override
    public synchronized void close() {
      if (!closed && pool != null) {
        pool.giveBack(image.rgb());
      }
      closed = true;
    }

    @Override
    public int width() {
      return image.width();
    }

    @Override
    public int height() {
      return image.height();
    }

    @Override
    public boolean readsDownsampled() {
      return false;
    }

    @Override
    public int bandCount() {
      return 3;
    }

    @Override
    public boolean raster() {
      return false;
    }

    @Override
    public Reader reader(int[] bands, String defaultBands) {
      return new Reader() {
        @Override
        public RgbImage read(SceneWindow window) {
          return crop(window);
        }

        @Override
        public int[] bands() {
          return null;
        }
      };
    }

    private RgbImage crop(SceneWindow window) {
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
    public Optional<PixelGeolocation> georeference() {
      return Optional.empty();
    }
  }

  /** A TIFF/GeoTIFF read window by window with one stretch for every window of the scene. */
  public static final class RasterScene extends SceneSource {
    /** Decoded raster blocks kept between window reads: overlapping tiles re-read the same blocks. */
    public static final long CACHE_BYTES = 64L << 20;

    private final GeoTiffRaster raster;

    /** A raster opened elsewhere (e.g. by ranged requests, {@code reference.ReferenceSources}); closed with the scene. */
    public RasterScene(GeoTiffRaster raster) {
      this.raster = raster;
    }

    /** The raster itself, for the change rules of a pair ({@link ScenePair}), which read bands as numbers. */
    GeoTiffRaster geoTiff() {
      return raster;
    }

    @Override
    public int width() {
      return raster.width();
    }

    @Override
    public int height() {
      return raster.height();
    }

    @Override
    public boolean readsDownsampled() {
      return true;
    }

    @Override
    public int bandCount() {
      return raster.bandCount();
    }

    @Override
    public boolean raster() {
      return true;
    }

    @Override
    public boolean floatingPoint() {
      return raster.sampleType() == SampleType.FLOAT32 || raster.sampleType() == SampleType.FLOAT64;
    }

    @Override
    public Reader reader(int[] bands, String defaultBands) throws IOException, InvalidImageException {
      int[] chosen;  // 0-based, as BandStretch takes them
      if (bands != null) {
        chosen = new int[bands.length];
        for (int i = 0; i < bands.length; i++) {
          if (bands[i] < 1 || bands[i] > raster.bandCount()) {
            throw new IllegalArgumentException("band " + bands[i] + " does not exist: the image has bands 1.."
                + raster.bandCount());
          }
          chosen[i] = bands[i] - 1;
        }
      } else {
        chosen = BandStretch.parseBands(defaultBands, raster.bandCount());
      }
      // One stretch per view for every window of the scene, so tiles agree with each other at the seams.
      BandStretch stretch = BandStretch.fromScene(raster, chosen);
      return new Reader() {
        @Override
        public RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
          return stretch.read(raster, window.x(), window.y(), window.width(), window.height(), window.outputWidth(),
              window.outputHeight());
        }

        @Override
        public int[] bands() {
          int[] oneBased = new int[chosen.length];
          for (int i = 0; i < chosen.length; i++) {
            oneBased[i] = chosen[i] + 1;
          }
          return oneBased;
        }
      };
    }

    @Override
    public Optional<PixelGeolocation> georeference() {
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
