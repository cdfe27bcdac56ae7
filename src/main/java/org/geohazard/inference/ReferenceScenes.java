package org.geohazard.inference;

import java.io.IOException;
import java.util.List;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.detection.ModelProfile;
import org.geohazard.detection.SceneView;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.inference.scene.BandStackScene;
import org.geohazard.inference.scene.SceneSource;
import org.geohazard.reference.ReferenceRasters;
import org.geohazard.reference.ReferenceRefused;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.reference.SceneSpec;
import org.geohazard.storage.ObjectStore;

/**
 * Opens the scene of an image analysed by reference (its object key is a {@link SceneSpec}, not the key of stored
 * bytes): the GeoTIFF, or a STAC Item's bands, read by ranged requests where they lie, never copied. One GeoTIFF is
 * a raster scene like an upload of the file. A STAC Item is the bands of one view (the first of
 * {@link SceneSpec#STAC_PREFERENCE} that a model served here expects) stacked in that view's order, and only that
 * model looks, through bands 1..n of the stack. Blocking: call on a preprocessing thread. Used by a node's worker and
 * by the offline CLI.
 */
public final class ReferenceScenes {

  /** The opened scene, and the claim to plan it with (a STAC stack's names its model and bands). */
  public record Opened(SceneSource source, ImageClaim claim) {}

  private final ReferenceSources sources;
  private final ImageLimits limits;

  public ReferenceScenes(ReferenceSources sources, ImageLimits limits) {
    this.sources = sources;
    this.limits = limits;
  }

  /**
   * @param serving the profiles of the models that would look at the scene, in the order they are served
   * @throws Failure saying why it cannot be read: refused or missing is for good ({@code invalid_image}), a
   *     source that does not answer is an outage ({@code unavailable}, retried)
   * @throws InvalidImageException when an object is not a GeoTIFF the window reader takes
   */
  public Opened open(ImageClaim claim, List<ModelProfile> serving) throws InvalidImageException {
    try {
      SceneSpec spec = SceneSpec.parse(claim.objectKey());
      SceneSpec.Choice choice = spec.choose(serving.stream().map(ModelProfile::view).toList());
      int count = choice.bands().size();
      // A stack's rasters share the budget of one scene: its decoded blocks and its tiles read ahead.
      ReferenceRasters rasters = ReferenceRasters.open(sources, choice.bands(), limits,
          SceneSource.RasterScene.CACHE_BYTES / count, GeoTiffRaster.SCENE_READ_AHEAD_BYTES / count);
      if (choice.view().isEmpty()) {
        return new Opened(new SceneSource.RasterScene(rasters.rasters().get(0)), claim);
      }
      SceneView view = choice.view().get();
      ModelProfile model = serving.stream().filter(p -> p.view() == view).findFirst().orElseThrow();
      String bands = count == 1 ? "1" : "1,2,3";
      ImageClaim pinned = new ImageClaim(claim.imageId(), claim.sha256(), claim.objectKey(), claim.contentType(),
          claim.priority(), claim.latitude(), claim.longitude(), claim.gsdM(), bands, claim.sensor(),
          claim.enqueuedAtMs(), model.version());
      return new Opened(new BandStackScene(rasters), pinned);
    } catch (ReferenceRefused e) {
      throw new Failure(Failure.Code.INVALID_IMAGE, "reference_refused: " + e.getMessage());
    } catch (ObjectStore.MissingObjectException e) {
      throw new Failure(Failure.Code.INVALID_IMAGE, "reference_missing: " + e.getMessage());
    } catch (IOException e) {
      throw new Failure(Failure.Code.UNAVAILABLE, "cannot read the referenced scene: " + e.getMessage());
    }
  }
}
