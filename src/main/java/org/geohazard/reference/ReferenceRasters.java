package org.geohazard.reference;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.storage.RangeReader;

/**
 * The GeoTIFFs of a {@link SceneSpec.Choice}, opened for ranged reads (only their headers read so far), with, when
 * there are several (a STAC Item's bands), each one's factor to the coarsest band's grid ({@link BandGrid#common}).
 * What the API checks before accepting a reference (then closes), and what a worker reads a scene from.
 * Blocking: worker threads only.
 *
 * @param rasters one per reference of the choice, in its order
 * @param factors per raster, its pixels per pixel of the common grid (all 1 for one raster)
 * @param sizes the size in bytes of each object
 */
public record ReferenceRasters(List<GeoTiffRaster> rasters, int[] factors, List<Long> sizes) implements Closeable {

  public ReferenceRasters {
    rasters = List.copyOf(rasters);
    factors = factors.clone();
    sizes = List.copyOf(sizes);
  }

  @Override
  public int[] factors() {
    return factors.clone();
  }

  /**
   * Opens each reference and reads its header with the scene budget of {@code limits}.
   *
   * @param readAheadBytes {@link GeoTiffRaster#SCENE_READ_AHEAD_BYTES} to analyse the scene, 0 to look at headers
   * @throws ReferenceRefused if the node may not read one, or the bands cannot be read on one grid
   * @throws InvalidImageException if one is not a GeoTIFF the window reader takes (its message names which)
   * @throws org.geohazard.storage.ObjectStore.MissingObjectException if an object does not exist
   */
  public static ReferenceRasters open(ReferenceSources sources, List<SceneReference> references, ImageLimits limits,
                                      long cacheBytes, long readAheadBytes)
      throws ReferenceRefused, IOException, InvalidImageException {
    List<GeoTiffRaster> rasters = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    try {
      for (SceneReference reference : references) {
        RangeReader source = sources.open(reference);
        sizes.add(source.size());
        try {
          rasters.add(GeoTiffRaster.open(source, limits, cacheBytes, readAheadBytes)); // closes source if it fails
        } catch (InvalidImageException e) {
          throw new InvalidImageException(e.reason(), "'" + reference + "': " + e.getMessage(), e);
        }
      }
      return new ReferenceRasters(rasters, factors(references, rasters), sizes);
    } catch (ReferenceRefused | IOException | InvalidImageException | RuntimeException e) {
      for (GeoTiffRaster raster : rasters) {
        try {
          raster.close();
        } catch (IOException closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  /** One raster is read as it is; several are the bands of one scene and must share a grid. */
  private static int[] factors(List<SceneReference> references, List<GeoTiffRaster> rasters)
      throws ReferenceRefused {
    if (rasters.size() == 1) {
      return new int[] {1};
    }
    List<BandGrid> grids = new ArrayList<>();
    for (int i = 0; i < rasters.size(); i++) {
      GeoTiffRaster raster = rasters.get(i);
      if (raster.bandCount() != 1) {
        throw new ReferenceRefused("'" + references.get(i) + "' holds " + raster.bandCount() + " bands; the bands "
            + "of a STAC Item are single-band GeoTIFFs.");
      }
      Optional<GeoReference> georeference;
      try {
        georeference = GeoReference.from(raster.geoTags());
      } catch (UnsupportedGeoReferenceException e) {
        georeference = Optional.empty();
      }
      if (georeference.isEmpty()) {
        throw new ReferenceRefused("'" + references.get(i) + "' has no georeferencing this node reads; the bands of "
            + "a STAC Item are placed on one grid by their own.");
      }
      grids.add(BandGrid.of(georeference.get(), raster.width(), raster.height()));
    }
    return BandGrid.common(grids).factors();
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (GeoTiffRaster raster : rasters) {
      try {
        raster.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
