package org.geohazard.reference;

import java.util.List;
import java.util.Locale;
import org.geohazard.geo.GeoReference;

/**
 * The pixel grid of one band: its CRS, size, and an axis-aligned affine transform (x = originX + column × pixelWidth,
 * y = originY + row × pixelHeight, pixelHeight negative for north-up). From a STAC asset's projection extension
 * ({@code proj:epsg}/{@code proj:code}, {@code proj:shape}, {@code proj:transform}) before anything is read, or from a
 * raster's own georeferencing once it is opened ({@link #of(GeoReference, int, int)}), for items that do not say.
 */
public record BandGrid(int epsg, int width, int height, double originX, double originY, double pixelWidth,
                       double pixelHeight) {

  public BandGrid {
    if (width < 1 || height < 1 || pixelWidth <= 0 || pixelHeight == 0) {
      throw new IllegalArgumentException("a grid has a size and a non-zero pixel size");
    }
  }

  /** The grid of a raster opened with its georeferencing (rotation terms are not supported by the read plan). */
  public static BandGrid of(GeoReference reference, int width, int height) {
    double[] origin = reference.toCrs(0, 0);
    double[] step = reference.toCrs(1, 1);
    return new BandGrid(reference.epsg(), width, height, origin[0], origin[1], step[0] - origin[0],
        step[1] - origin[1]);
  }

  /**
   * The grid the bands are read on together, and how much coarser it is than each band: bands of one scene may
   * come at several resolutions (Sentinel-2 L2A: B02, B03, B04, B08 at 10 m, B11 at 20 m). They are read on the
   * coarsest band's grid, each finer band sampled by nearest neighbour every {@code factor}-th pixel, which is what
   * the raster reader does natively (it reads a window into a smaller output); bringing the coarse band up to the
   * fine grid would need an upsampling path the reader does not have, invents no information, and quadruples the
   * pixels the model sees. Refused: bands in different CRSs, over different extents, with rotated grids, or whose
   * resolutions are not integer multiples of each other.
   *
   * @return the coarsest grid and, per band in order, its factor to it (1 for bands already on it)
   */
  public static Common common(List<BandGrid> grids) throws ReferenceRefused {
    if (grids.isEmpty()) {
      throw new IllegalArgumentException("no grids");
    }
    BandGrid coarsest = grids.get(0);
    for (BandGrid grid : grids) {
      if (grid.pixelWidth > coarsest.pixelWidth) {
        coarsest = grid;
      }
    }
    int[] factors = new int[grids.size()];
    for (int i = 0; i < grids.size(); i++) {
      BandGrid grid = grids.get(i);
      if (grid.epsg != coarsest.epsg) {
        throw new ReferenceRefused("The bands are in different CRSs (EPSG:" + grid.epsg + " and EPSG:"
            + coarsest.epsg + "); all bands of a scene must share one.");
      }
      double ratio = coarsest.pixelWidth / grid.pixelWidth;
      long factor = Math.round(ratio);
      boolean integer = Math.abs(ratio - factor) < 1e-6 * ratio
          && Math.abs(coarsest.pixelHeight / grid.pixelHeight - factor) < 1e-6 * ratio;
      if (!integer) {
        throw new ReferenceRefused(String.format(Locale.ROOT, "The bands' pixel sizes (%s m and %s m) are not "
            + "integer multiples of each other; they cannot be read on one grid.", grid.pixelWidth,
            coarsest.pixelWidth));
      }
      double tolerance = grid.pixelWidth / 2;
      boolean sameExtent = Math.abs(grid.originX - coarsest.originX) < tolerance
          && Math.abs(grid.originY - coarsest.originY) < tolerance
          && Math.abs(grid.width * grid.pixelWidth - coarsest.width * coarsest.pixelWidth) < coarsest.pixelWidth
          && Math.abs(grid.height * grid.pixelHeight - coarsest.height * coarsest.pixelHeight)
              < coarsest.pixelWidth;
      if (!sameExtent) {
        throw new ReferenceRefused("The bands cover different extents (" + grid.describe() + " and "
            + coarsest.describe() + "); all bands of a scene must cover the same one.");
      }
      factors[i] = (int) factor;
    }
    return new Common(coarsest, factors);
  }

  /** The common grid of a set of bands and, per band, how many of its pixels make one of the common grid's. */
  public record Common(BandGrid grid, int[] factors) {
    public Common {
      factors = factors.clone();
    }

    @Override
    public int[] factors() {
      return factors.clone();
    }
  }

  private String describe() {
    return String.format(Locale.ROOT, "%d × %d px of %s m from (%s, %s) in EPSG:%d", width, height, pixelWidth,
        originX, originY, epsg);
  }
}
