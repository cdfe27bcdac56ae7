package org.geohazard.inference.scene;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.image.BandStretch;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SampleType;
import org.geohazard.reference.ReferenceRasters;

/**
 * A scene whose bands are separate single-band rasters (a STAC Item's band assets), stacked: band i of the scene is
 * band 1 of raster i. The bands are read on the grid of the coarsest one (Sentinel-2 L2A: B11 at 20 m beside B03
 * and B08 at 10 m); a band {@code factor} times finer is read over the window {@code factor} times larger into the
 * same output, i.e. sampled every {@code factor}-th pixel by nearest neighbour, which the raster reader does natively
 * ({@code reference.BandGrid#common} decides the factors from the bands' grids). Each raster is read window by
 * window as a GeoTIFF scene is; nothing is read whole.
 */
public final class BandStackScene extends SceneSource {

  private final ReferenceRasters bands;
  private final List<GeoTiffRaster> rasters;
  private final int[] factors;
  private final GeoTiffRaster coarsest;
  private final SampleType sampleType;

  /**
   * @param bands one single-band raster per band, in the order the scene stacks them, each with how many of its
   *     pixels make one of the common grid's (1 for the coarsest); closed with the scene
   */
  public BandStackScene(ReferenceRasters bands) {
    this.bands = bands;
    List<GeoTiffRaster> rasters = bands.rasters();
    int[] factors = bands.factors();
    if (rasters.isEmpty() || rasters.size() != factors.length) {
      throw new IllegalArgumentException("one factor per raster, at least one raster");
    }
    GeoTiffRaster coarse = null;
    SampleType type = rasters.get(0).sampleType();
    for (int i = 0; i < rasters.size(); i++) {
      GeoTiffRaster raster = rasters.get(i);
      if (raster.bandCount() != 1) {
        throw new IllegalArgumentException("band " + (i + 1) + " of the stack is a raster of " + raster.bandCount()
            + " bands; a stack takes single-band rasters");
      }
      if (factors[i] < 1) {
        throw new IllegalArgumentException("factors are >= 1");
      }
      if (factors[i] == 1 && coarse == null) {
        coarse = raster;
      }
      // One stretch over bands of different types: the exact histogram needs integers of one kind, a sort does not.
      type = raster.sampleType() == type ? type : SampleType.FLOAT32;
    }
    if (coarse == null) {
      throw new IllegalArgumentException("one band is on the common grid (factor 1)");
    }
    this.rasters = List.copyOf(rasters);
    this.factors = factors.clone();
    this.coarsest = coarse;
    this.sampleType = type;
  }

  @Override
  public int width() {
    return coarsest.width();
  }

  @Override
  public int height() {
    return coarsest.height();
  }

  @Override
  public boolean readsDownsampled() {
    return true;
  }

  @Override
  public int bandCount() {
    return rasters.size();
  }

  @Override
  public boolean raster() {
    return true;
  }

  @Override
  public boolean floatingPoint() {
    return sampleType == SampleType.FLOAT32 || sampleType == SampleType.FLOAT64;
  }

  @Override
  public Reader reader(int[] bands, String defaultBands) throws IOException, InvalidImageException {
    int[] chosen;
    if (bands != null) {
      chosen = new int[bands.length];
      for (int i = 0; i < bands.length; i++) {
        if (bands[i] < 1 || bands[i] > rasters.size()) {
          throw new IllegalArgumentException("band " + bands[i] + " does not exist: the scene has bands 1.."
              + rasters.size());
        }
        chosen[i] = bands[i] - 1;
      }
    } else {
      chosen = BandStretch.parseBands(defaultBands, rasters.size());
    }
    // One stretch for every window of the scene, from an overview as BandStretch.fromScene samples one.
    double shrink = Math.min(1, (double) BandStretch.DEFAULT_SAMPLE_SIDE / Math.max(width(), height()));
    int sampleWidth = (int) Math.max(1, Math.round(width() * shrink));
    int sampleHeight = (int) Math.max(1, Math.round(height() * shrink));
    float[] samples = read(chosen, 0, 0, width(), height(), sampleWidth, sampleHeight);
    BandStretch stretch = BandStretch.fromSamples(chosen, samples, sampleWidth * sampleHeight, sampleType,
        coarsest.noData());
    return new Reader() {
      @Override
      public RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
        float[] pixels = BandStackScene.this.read(chosen, window.x(), window.y(), window.width(), window.height(),
            window.outputWidth(), window.outputHeight());
        return stretch.toRgb(pixels, window.outputWidth(), window.outputHeight());
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

  /**
   * The window {@code (x, y, width, height)} of the common grid for each of {@code bands}, band after band as
   * {@link GeoTiffRaster#readWindow} writes them, each band read from its raster over the window scaled by its factor
   * (cut at the raster's edge: a finer band may end up to factor - 1 pixels short of the coarse grid's extent).
   */
  float[] read(int[] bands, int x, int y, int width, int height, int outputWidth, int outputHeight)
      throws IOException, InvalidImageException {
    int pixels = outputWidth * outputHeight;
    float[] samples = new float[pixels * bands.length];
    float[] one = bands.length == 1 ? samples : new float[pixels];
    int[] first = {0};
    for (int i = 0; i < bands.length; i++) {
      GeoTiffRaster raster = rasters.get(bands[i]);
      int factor = factors[bands[i]];
      int fx = Math.min(x * factor, raster.width() - 1);
      int fy = Math.min(y * factor, raster.height() - 1);
      int fw = Math.min(width * factor, raster.width() - fx);
      int fh = Math.min(height * factor, raster.height() - fy);
      raster.readWindow(fx, fy, fw, fh, first, outputWidth, outputHeight, one);
      if (one != samples) {
        System.arraycopy(one, 0, samples, i * pixels, pixels);
      }
    }
    return samples;
  }

  @Override
  public Optional<PixelGeolocation> georeference() {
    try {
      return GeoReference.from(coarsest.geoTags()).map(PixelGeolocation.class::cast);
    } catch (UnsupportedGeoReferenceException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() throws IOException {
    bands.close();
  }
}
