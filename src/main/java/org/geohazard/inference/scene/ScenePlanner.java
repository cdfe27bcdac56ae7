package org.geohazard.inference.scene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.bus.ImageClaim;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Sensor;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.extent.MaskGrid;
import org.geohazard.geo.GeoReference;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SarComposite;

/**
 * Plans the looks of models at a scene: {@link ViewPlanner} decides which model looks through which bands and at
 * what ground scale, and {@link SceneJob#plan} cuts each look into windows (one for an ordinary image; tiles plus
 * a full view for a large one). Plain work on a preprocessing thread; the scene's pixels are not read here.
 */
public final class ScenePlanner {

  private final SceneJob.Slicing slicing;
  private final double overlap;

  /**
   * The passes a look at a scene for another scene needs (another sensor's scene, {@code change.OtherSensor}): its
   * detectors', whose boxes are what the look reads; a mask model's pass would draw a flood extent nobody sees, at
   * a model's cost over the whole scene. A scene only mask models look at keeps them (it still names who looked).
   */
  public static <M> List<Scene.Pass<M>> detectorsWherePossible(List<Scene.Pass<M>> passes) {
    List<Scene.Pass<M>> detecting = passes.stream().filter(p -> p.mask() == null).toList();
    return detecting.isEmpty() ? passes : detecting;
  }

  public ScenePlanner(AppConfig.Scenes scenes) {
    this.slicing = new SceneJob.Slicing(scenes.tileAboveSide(), scenes.tileOverlap(),
        scenes.maxTilesPerSideUnknownScale());
    this.overlap = scenes.tileOverlap();
  }

  /** What the planner needs to know of an image: its bands, whether it is a raster, sensor and ground scale. */
  public static ViewPlanner.ImageFacts factsOf(ImageClaim claim, SceneSource source) {
    OptionalDouble gsd = source.georeference()
        .map(g -> OptionalDouble.of(g.groundSampleDistanceM(source.width(), source.height())))
        .orElse(claim.gsdM() != null && claim.gsdM() > 0 ? OptionalDouble.of(claim.gsdM()) : OptionalDouble.empty());
    Optional<Sensor> sensor = claim.sensor() != null ? Optional.of(Sensor.fromWire(claim.sensor()))
        : source.raster() ? Sensor.guess(source.bandCount(), source.floatingPoint()) : Optional.empty();
    return new ViewPlanner.ImageFacts(source.bandCount(), source.raster(), sensor, claim.bands(), gsd);
  }

  /** The serving models' looks at an image, as the planner assigns them. */
  public <M extends SceneModel> List<Scene.Pass<M>> servingPasses(List<M> serving, ViewPlanner.ImageFacts facts,
                                                                 SceneSource source, String defaultBands,
                                                                 long startNanos) throws Exception {
    return servingPasses(serving, facts, source, defaultBands, startNanos, null);
  }

  /** As above for a scene with its before scene ({@code pair}; null: alone): the radar model sees the pair. */
  public <M extends SceneModel> List<Scene.Pass<M>> servingPasses(List<M> serving, ViewPlanner.ImageFacts facts,
                                                                 SceneSource source, String defaultBands,
                                                                 long startNanos, ScenePair pair) throws Exception {
    List<Scene.Pass<M>> passes = new ArrayList<>();
    for (ViewPlanner.Pass plan : ViewPlanner.plan(serving.stream().map(SceneModel::profile).toList(), facts)) {
      M model = serving.get(plan.model());
      // A flood extent is drawn on the ground: a mask model looks only at a georeferenced scene.
      if (!model.masks() || source.georeference().orElse(null) instanceof GeoReference) {
        passes.add(pass(model, plan, source, defaultBands, startNanos, false, null, pair));
      }
    }
    return passes;
  }

  /**
   * A candidate's look at the scene: planned as if it served in place of the serving model of its view (or
   * beside the others when none has its view), keeping only its own passes.
   */
  public <M extends SceneModel> List<Scene.Pass<M>> shadowPasses(M candidate, List<M> serving,
                                                                ViewPlanner.ImageFacts facts, SceneSource source,
                                                                String defaultBands, long startNanos)
      throws Exception {
    if (candidate.masks()) {
      // Shadow comparison compares detections; a candidate mask model is not compared (yet).
      return List.of();
    }
    List<M> lineup = new ArrayList<>(serving);
    M replaced = null;
    int slot = -1;
    for (int i = 0; i < lineup.size(); i++) {
      if (lineup.get(i).profile().view() == candidate.profile().view()) {
        replaced = lineup.get(i);
        slot = i;
        break;
      }
    }
    if (slot >= 0) {
      lineup.set(slot, candidate);
    } else {
      lineup.add(candidate);
      slot = lineup.size() - 1;
    }
    List<Scene.Pass<M>> passes = new ArrayList<>();
    for (ViewPlanner.Pass plan : ViewPlanner.plan(lineup.stream().map(SceneModel::profile).toList(), facts)) {
      if (plan.model() == slot) {
        passes.add(pass(candidate, plan, source, defaultBands, startNanos, true, replaced, null));
      }
    }
    return passes;
  }

  /** One model's look: the reader of its bands and the windows it sees the image in at its scale. */
  private <M extends SceneModel> Scene.Pass<M> pass(M model, ViewPlanner.Pass plan, SceneSource source,
                                                   String defaultBands, long startNanos, boolean shadow, M replaces,
                                                   ScenePair pair) throws Exception {
    List<SceneWindow> windows = SceneJob.plan(source.width(), source.height(), plan.scale(),
        model.profile().inputSide(), slicing, source.readsDownsampled());
    SceneSource.Reader reader = source.reader(plan.bands(), defaultBands);
    if (model.profile().view().isRadar()) {
      reader = pair != null && pair.radar() ? radar(reader, pair) : radar(reader);
    }
    if (model.masks()) {
      return maskPass(model, plan, source, reader, windows, startNanos);
    }
    return new Scene.Pass<>(model, plan, reader, new SceneJob(source.width(), source.height(), windows, startNanos),
        shadow, replaces);
  }

  /** The radar view of a scene with its before scene: {@link SarComposite#pair} through {@link ScenePair}. */
  private static SceneSource.Reader radar(SceneSource.Reader vv, ScenePair pair) {
    return new SceneSource.Reader() {
      @Override
      public RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
        return pair.radarView(vv.read(window), window);
      }

      @Override
      public int[] bands() {
        return vv.bands();
      }
    };
  }

  /**
   * A mask model's look: its tiles without the full view (a per-pixel model needs every pixel at its own scale, and
   * the tiles already cover the scene), stitched onto the scene's grid at the model's ground scale (the scene's own
   * where it is coarser, as for detection).
   */
  private <M extends SceneModel> Scene.Pass<M> maskPass(M model, ViewPlanner.Pass plan, SceneSource source,
                                                       SceneSource.Reader reader, List<SceneWindow> planned,
                                                       long startNanos) throws Exception {
    int width = source.width();
    int height = source.height();
    List<SceneWindow> windows = planned.size() == 1 ? planned : planned.stream()
        .filter(w -> !(w.x() == 0 && w.y() == 0 && w.width() == width && w.height() == height)).toList();
    GeoReference reference = (GeoReference) source.georeference().orElseThrow();
    double sceneGsd = reference.groundSampleDistanceM(width, height);
    double modelGsd = model.profile().gsdM().orElse(sceneGsd);
    MaskGrid grid = MaskGrid.atModelScale(reference, width, height, Math.max(modelGsd, sceneGsd));
    // Half the tiles' overlap as the blending ramp (MaskStitcher: at least that blends without seams).
    int rampPx = Math.max(1, (int) Math.round(overlap * model.profile().inputSide() / 2));
    SceneMaskJob mask = new SceneMaskJob(width, height, windows, grid, model.maskThreshold(), rampPx);
    return new Scene.Pass<>(model, plan, reader, new SceneJob(width, height, windows, startNanos), false, null, mask);
  }

  /** The radar view of a scene alone: its VV band (read as grey) through {@link SarComposite#single}. */
  private static SceneSource.Reader radar(SceneSource.Reader vv) {
    return new SceneSource.Reader() {
      @Override
      public RgbImage read(SceneWindow window) throws IOException, InvalidImageException {
        return SarComposite.single(vv.read(window));
      }

      @Override
      public int[] bands() {
        return vv.bands();
      }
    };
  }
}
