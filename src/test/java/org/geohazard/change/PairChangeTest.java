package org.geohazard.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.ChangeSection;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.analysis.ModelEvidence;
import org.geohazard.analysis.ModelUse;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.geo.GeoReference;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.Test;

/**
 * The change of a pair and what it does to an analysis: polygons with areas, a change rule corroborating the flood
 * box it confirms (so an unverified model can reach high and critical), a flood box on water that was already there
 * set aside as permanent water.
 */
class PairChangeTest {

  private static final int SIDE = 64;
  private static final HazardThresholds FLOOD = HazardThresholds.fromMetadata(
      "{\"flood\":{\"report\":0.1,\"medium\":0.1,\"high\":0.3,\"critical\":0.6}}");

  /** Land everywhere (SWIR above green), a lake at the top left, and where {@code flooded}, new water. */
  private static PairChange.Optical scene(boolean flooded, boolean landslide) {
    int n = SIDE * SIDE;
    float[] green = new float[n];
    float[] swir = new float[n];
    float[] nir = new float[n];
    float[] red = new float[n];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int i = y * SIDE + x;
        // A little texture, so that the landslide rule's robust spread is not zero.
        green[i] = 0.06f + 0.002f * ((x * 7 + y * 3) % 5);
        swir[i] = 0.20f;
        nir[i] = 0.30f + 0.004f * ((x * 5 + y * 11) % 7);
        red[i] = 0.05f;
        if (x < 12 && y < 12) {
          green[i] = 0.08f;
          swir[i] = 0.02f;
          nir[i] = 0.03f;
        } else if (flooded && x >= 30 && x < 50 && y >= 30 && y < 50) {
          // Water: dark in red, NIR and SWIR, a little green left (MNDWI well above 0), the ground darker.
          green[i] = 0.05f;
          swir[i] = 0.01f;
          nir[i] = 0.02f;
          red[i] = 0.02f;
        } else if (landslide && x >= 5 && x < 15 && y >= 40 && y < 55) {
          nir[i] = 0.12f; // vegetation gone, bare rock: NDVI falls and the ground brightens (SWIR too: not water)
          red[i] = 0.25f;
          green[i] = 0.22f;
          swir[i] = 0.32f;
        }
      }
    }
    return new PairChange.Optical(green, swir, nir, red);
  }

  private static PairChange.Grid grid() throws Exception {
    return new PairChange.Grid(SIDE, SIDE, GeoReference.ofGeoTransform(32633, true, 500_000, 10, 0, 4_000_000, 0, -10),
        1, 1);
  }

  @Test
  void newWaterAndALandslideBecomePolygonsWithTheirAreas() throws Exception {
    PairChange.Result result = PairChange.optical(grid(), scene(true, true), scene(false, false), 255.0, "b".repeat(64), 1.0,
        System.nanoTime());
    ChangeSection section = result.section();
    assertThat(section.sensor()).isEqualTo("optical");
    assertThat(section.resampling()).isEqualTo("nearest");
    ChangeSection.Layer water = section.layers().get(0);
    assertThat(water.kind()).isEqualTo("new_water");
    assertThat(water.regions()).isEqualTo(1);
    // 20 x 20 pixels of 10 m: 0.04 km² (ellipsoidal area of the placed polygon, within 1 %).
    assertThat(water.areaKm2()).isCloseTo(0.04, within(0.0004));
    assertThat(water.polygons()).singleElement().satisfies(p -> assertThat(p.rings().get(0)).hasSizeGreaterThan(3));
    ChangeSection.Layer slide = section.layers().get(1);
    assertThat(slide.kind()).isEqualTo("landslide");
    assertThat(slide.regions()).isEqualTo(1);
    assertThat(slide.areaKm2()).isCloseTo(0.015, within(0.0002));
    // The lake: 144 of 4096 pixels were water before.
    assertThat(section.waterBeforeShare()).isCloseTo(144.0 / 4096, within(1e-9));
    assertThat(result.corroborations()).extracting(AnalysisBuilder.Corroboration::hazard)
        .containsExactlyInAnyOrder("flood", "landslide");
    // Round trip through the result document.
    assertThat(ChangeSection.fromJson(section.toJson()).toJson()).isEqualTo(section.toJson());
  }

  @Test
  void aConfirmedFloodKeepsItsLevelAndAFloodOnTheLakeIsPermanentWater() throws Exception {
    PairChange.Result result = PairChange.optical(grid(), scene(true, false), scene(false, false), 255.0, "b".repeat(64), 1.0,
        System.nanoTime());
    AnalysisBuilder builder = new AnalysisBuilder(List.of("flood"), "", null);
    AnalysisBuilder.ModelDetections model = floodModelBoxes();
    Analysis paired = withPair(builder, model, result);
    HazardEvidence flood = paired.evidenceOf("flood").orElseThrow();
    assertThat(paired.floodRisk()).isEqualTo(RiskLevel.CRITICAL);
    assertThat(flood.corroboratedBy()).containsExactly(HazardEvidence.CorroborationSource.CHANGE_RULE);
    assertThat(flood.permanentWaterExcluded()).isEqualTo(1);
    assertThat(flood.reason()).contains("a change rule confirms it")
        .contains("1 box(es) on water already there in the before scene set aside as permanent water");
    assertThat(paired.detections()).singleElement().satisfies(d -> assertThat(d.confidence()).isEqualTo(0.7f));
    assertThat(paired.toJson().getJsonObject("change").getJsonArray("layers")).hasSize(2);

    // The same scene without its before scene: nothing corroborates, so the unverified model is capped at medium.
    Analysis alone = builder.buildFrom(List.of(model), SIDE, SIDE, Optional.empty(), 1, 1, Instant.now());
    assertThat(alone.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(alone.toJson().containsKey("change")).isFalse();
  }

  @Test
  void aBeforeSceneUnderCloudJudgesNothingNeitherConfirmingNorSettingAside() throws Exception {
    // The before scene overcast (reflectance: green 0.7, SWIR 0.6, on 255 levels 178 and 153): the pair is not
    // judged, so the flood box is neither confirmed (capped at medium, as without a before scene) nor refused, and
    // the box on the lake is not set aside as permanent water on the say of a cloud.
    PairChange.Optical overcast = scene(false, false);
    Arrays.fill(overcast.green(), 0.7f);
    Arrays.fill(overcast.swir(), 0.6f);
    Arrays.fill(overcast.nir(), 0.65f);
    PairChange.Result result = PairChange.optical(grid(), scene(true, false), overcast, 255.0, "b".repeat(64), 1.0,
        System.nanoTime());
    assertThat(result.section().judged()).isFalse();
    assertThat(result.section().clearShare()).isZero();
    assertThat(result.section().toJson().getBoolean("judged")).isFalse();
    assertThat(result.corroborations()).extracting(AnalysisBuilder.Corroboration::hazard).doesNotContain("flood");
    Analysis paired = withPair(new AnalysisBuilder(List.of("flood"), "", null), floodModelBoxes(), result);
    assertThat(paired.floodRisk()).isEqualTo(RiskLevel.MEDIUM);
    assertThat(paired.evidenceOf("flood").orElseThrow().permanentWaterExcluded()).isZero();
    // Without the mask (sample scale unknown) the cloud reads as water before: both boxes would be set aside.
    PairChange.Result unmasked = PairChange.optical(grid(), scene(true, false), overcast, Double.NaN, "b".repeat(64),
        1.0, System.nanoTime());
    assertThat(unmasked.section().judged()).isTrue();
    assertThat(unmasked.waterBeforeShare().applyAsDouble(new Detection(0, 0.7f, 28, 28, 52, 52))).isEqualTo(1.0);
  }

  @Test
  void sampleScaleForTheCloudMaskFollowsHowTheScenesStoreSamples() {
    assertThat(PairChange.levelsPerSample(SampleType.UINT8, SampleType.UINT8, 13)).isEqualTo(1.0);
    assertThat(PairChange.levelsPerSample(SampleType.UINT16, SampleType.UINT16, 13))
        .isEqualTo(ChangeRules.SENTINEL2_LEVELS_PER_DN);
    assertThat(PairChange.levelsPerSample(SampleType.UINT16, SampleType.UINT16, 11)).isNaN();   // Landsat 8/9
    assertThat(PairChange.levelsPerSample(SampleType.FLOAT32, SampleType.FLOAT32, 13)).isNaN();
    assertThat(PairChange.levelsPerSample(SampleType.UINT16, SampleType.UINT8, 13)).isNaN();
  }

  @Test
  void radarBackscatterDropIsNewWaterAndDarkBeforeIsWaterBefore() throws Exception {
    int n = SIDE * SIDE;
    float[] before = new float[n];
    float[] after = new float[n];
    for (int i = 0; i < n; i++) {
      int x = i % SIDE;
      int y = i / SIDE;
      before[i] = x < 10 ? -21f : -8f;
      after[i] = before[i] + ((x >= 20 && x < 40 && y >= 20 && y < 40) ? -12f : 0.5f);
    }
    PairChange.Result result = PairChange.radar(grid(), after, before, false, "c".repeat(64), 0.8, System.nanoTime());
    assertThat(result.section().sensor()).isEqualTo("radar");
    assertThat(result.section().overlapShare()).isEqualTo(0.8);
    assertThat(result.section().layers()).singleElement().satisfies(layer -> {
      assertThat(layer.kind()).isEqualTo("backscatter_drop");
      assertThat(layer.areaKm2()).isCloseTo(0.04, within(0.0004));
    });
    assertThat(result.section().waterBeforeShare()).isCloseTo(10.0 / SIDE, within(1e-9));
    assertThat(result.waterBeforeShare().applyAsDouble(new Detection(0, 0.5f, 0, 0, 10, 64))).isEqualTo(1.0);
    assertThat(result.waterBeforeShare().applyAsDouble(new Detection(0, 0.5f, 20, 20, 40, 40))).isZero();
  }

  /** An unverified S2 flood model's two boxes: one on the new water, one on the lake of both scenes. */
  private static AnalysisBuilder.ModelDetections floodModelBoxes() {
    return new AnalysisBuilder.ModelDetections(
        new ModelUse("s2-1", "swir_nir_green", new int[] {12, 8, 3}, 10.0, 1.0), List.of("flood"), FLOOD,
        ModelEvidence.NONE, List.of(new Detection(0, 0.7f, 28, 28, 52, 52), new Detection(0, 0.5f, 0, 0, 12, 12)));
  }

  private static Analysis withPair(AnalysisBuilder builder, AnalysisBuilder.ModelDetections model,
      PairChange.Result result) {
    return builder.buildFrom(List.of(model), result.corroborations(), result.waterBeforeShare(), SIDE, SIDE,
        Optional.empty(), 1, 1, Instant.now()).withChange(result.section());
  }
}
