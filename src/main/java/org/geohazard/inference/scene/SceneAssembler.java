package org.geohazard.inference.scene;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.ModelUse;
import org.geohazard.bus.ImageClaim;
import org.geohazard.change.OtherSensor;
import org.geohazard.change.PairChange;
import org.geohazard.detection.ModelProfile;
import org.geohazard.geo.ApproximatePlacement;
import org.geohazard.geo.PixelGeolocation;

/**
 * Turns a scene whose windows are all done into its analysis: each model's detections merged across the
 * seams of its own tiles, placed on the ground (the file's georeferencing, else the caller's point and
 * ground sample distance), and read together by {@link AnalysisBuilder}. Pure work, run on a
 * preprocessing thread.
 */
public final class SceneAssembler {

  private final SeamMerger merger = new SeamMerger();
  private final AnalysisBuilder builder = new AnalysisBuilder();

  /** The result: what the serving models made of the scene. */
  public <M extends SceneModel> Analysis assemble(Scene<M> scene) {
    return assemble(scene, scene.servingPasses());
  }

  /**
   * What the serving models would have made of the scene with {@code candidate} in place of the model it
   * replaces (the same view): the candidate's passes and every other serving pass.
   */
  public <M extends SceneModel> Analysis assembleWith(Scene<M> scene, M candidate) {
    List<Scene.Pass<M>> passes = new ArrayList<>();
    for (Scene.Pass<M> pass : scene.passes()) {
      boolean candidates = pass.shadow() && pass.model() == candidate;
      boolean replaced = !pass.shadow() && scene.passes().stream()
          .anyMatch(p -> p.shadow() && p.model() == candidate && p.replaces() == pass.model());
      if (candidates || (!pass.shadow() && !replaced)) {
        passes.add(pass);
      }
    }
    return assemble(scene, passes);
  }

  private <M extends SceneModel> Analysis assemble(Scene<M> scene, List<Scene.Pass<M>> all) {
    // A mask model's pass makes the flood extent (SceneExtent), not detections. A scene only a mask model looked at
    // (a node serving a view's mask model without its detector) still names that model and counts its windows, with
    // no detections: an analysis always says who looked and how (the contract's model_version and tiles).
    List<Scene.Pass<M>> detecting = all.stream().filter(p -> p.mask() == null).toList();
    List<Scene.Pass<M>> passes = detecting.isEmpty() ? all : detecting;
    int width = scene.source().width();
    int height = scene.source().height();
    List<AnalysisBuilder.ModelDetections> models = new ArrayList<>(passes.size());
    for (Scene.Pass<M> pass : passes) {
      ModelProfile profile = pass.model().profile();
      ModelUse use = new ModelUse(profile.version(), profile.view().wireName(), pass.reader().bands(),
          profile.gsdM().isPresent() ? profile.gsdM().getAsDouble() : null,
          pass.plan().scale().isPresent() ? Math.min(1.0, pass.plan().scale().getAsDouble()) : null);
      models.add(new AnalysisBuilder.ModelDetections(use, profile.classNames(), profile.thresholds(),
          pass.model().evidence(), pass.job().detections(merger)));
    }
    Optional<PixelGeolocation> placement = scene.georeference().or(() -> approximatePlacement(scene.claim(), width, height));
    double processingMs = (System.nanoTime() - scene.startNanos()) / 1e6;
    int windows = passes.stream().mapToInt(p -> p.job().windowCount()).sum();
    // Another sensor's scene of the same place: its boxes corroborate this scene's where they overlap.
    List<AnalysisBuilder.Corroboration> corroborations = new ArrayList<>(scene.otherSensor()
        .map(OtherSensor.Look::corroborations).orElse(List.of()));
    Analysis analysis;
    if (scene.pair().isPresent()) {
      // A pair: its change rules corroborate boxes they confirm and set aside boxes on water that was there before.
      PairChange.Result change = scene.pair().get().change();
      corroborations.addAll(change.corroborations());
      analysis = builder.buildFrom(models, corroborations, change.waterBeforeShare(), width, height, placement,
          windows, processingMs, Instant.now()).withChange(change.section());
    } else {
      analysis = builder.buildFrom(models, corroborations, width, height, placement, windows, processingMs,
          Instant.now());
    }
    return scene.otherSensor().map(look -> analysis.withOtherSensor(look.section())).orElse(analysis);
  }

  /** The caller's point and ground sample distance place a plain image approximately, north up. */
  private static Optional<PixelGeolocation> approximatePlacement(ImageClaim claim, int width, int height) {
    if (claim.latitude() == null || claim.longitude() == null || claim.gsdM() == null
        || Math.abs(claim.latitude()) > 89) {
      return Optional.empty();
    }
    return Optional.of(ApproximatePlacement.centredAt(claim.latitude(), claim.longitude(), width, height,
        claim.gsdM()));
  }
}
