package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.geohazard.detection.SceneView;
import org.geohazard.detection.Sensor;
import org.junit.jupiter.api.Test;

class StacItemTest {

  private static final List<SceneView> FLOOD_THEN_COLOUR = List.of(SceneView.SWIR_NIR_GREEN, SceneView.RGB);

  @Test
  void floodModelGetsSwirNirGreenReadOnTheCoarsestBandsGrid() throws ReferenceRefused {
    StacItem item = StacItem.parse(StacItems.sentinel2(true), null);
    StacItem.Selection selection = item.select(FLOOD_THEN_COLOUR);

    assertThat(selection.view()).isEqualTo(SceneView.SWIR_NIR_GREEN);
    assertThat(selection.bands()).extracting(StacItem.BandAsset::assetKey).containsExactly("swir16", "nir", "green");
    assertThat(selection.bands()).extracting(b -> b.href().uri().toString()).containsExactly(
        StacItems.BASE + "B11.tif", StacItems.BASE + "B08.tif", StacItems.BASE + "B03.tif");
    BandGrid.Common common = selection.commonGrid().orElseThrow();
    assertThat(common.grid()).isEqualTo(new BandGrid(32633, 5490, 5490, 399_960, 5_900_040, 20, -20));
    assertThat(common.factors()).containsExactly(1, 2, 2);
  }

  @Test
  void datetimeFootprintBboxAndSensorComeFromTheItem() throws ReferenceRefused {
    StacItem item = StacItem.parse(StacItems.sentinel2(true), null);
    assertThat(item.id()).isEqualTo("S2B_33UUP_20261201_0_L2A");
    assertThat(item.datetime()).isEqualTo(Instant.parse("2026-12-01T10:23:49.024Z"));
    assertThat(item.geometry().orElseThrow().getString("type")).isEqualTo("Polygon");
    assertThat(item.bbox().orElseThrow()).containsExactly(13.58, 52.17, 15.25, 53.19);
    assertThat(item.sensor()).contains(Sensor.SENTINEL2);
  }

  @Test
  void sensorBandNamesAsKeysWorkAsWellAsCommonNames() throws ReferenceRefused {
    StacItem.Selection selection = StacItem.parse(StacItems.sentinel2(false), null).select(List.of(SceneView.RGB));
    assertThat(selection.bands()).extracting(StacItem.BandAsset::assetKey).containsExactly("B04", "B03", "B02");
    assertThat(selection.commonGrid().orElseThrow().factors()).containsExactly(1, 1, 1);
  }

  @Test
  void bandsAreFoundByEoBandsCommonNameWhateverTheAssetKey() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    JsonObject assets = json.getJsonObject("assets");
    assets.put("band_11", assets.remove("swir16"));
    StacItem.Selection selection = StacItem.parse(json, null).select(FLOOD_THEN_COLOUR);
    assertThat(selection.bands().get(0).assetKey()).isEqualTo("band_11");
  }

  @Test
  void multiBandVisualAssetIsNeverTakenForOneBand() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    json.getJsonObject("assets").remove("red");
    assertThatThrownBy(() -> StacItem.parse(json, null).select(List.of(SceneView.RGB)))
        .isInstanceOf(ReferenceRefused.class)
        .hasMessageContaining("rgb: red unreadable ('visual' holds 3 bands)");
  }

  @Test
  void withoutSwirTheColourViewIsChosen() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    json.getJsonObject("assets").remove("swir16");
    assertThat(StacItem.parse(json, null).select(FLOOD_THEN_COLOUR).view()).isEqualTo(SceneView.RGB);
  }

  @Test
  void noUsableBandsIsRefusedNamingWhatEachViewLacks() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    for (String key : new String[] {"swir16", "red", "blue"}) {
      json.getJsonObject("assets").remove(key);
    }
    StacItem item = StacItem.parse(json, null);
    assertThatThrownBy(() -> item.select(FLOOD_THEN_COLOUR)).isInstanceOf(ReferenceRefused.class)
        .hasMessageContaining("no usable bands")
        .hasMessageContaining("swir_nir_green: swir16 missing")
        .hasMessageContaining("rgb: red unreadable ('visual' holds 3 bands), blue unreadable");
  }

  @Test
  void jpeg2000BandsAreRefusedAsNotGeoTiff() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(false);
    json.getJsonObject("assets").getJsonObject("B11").put("type", "image/jp2").put("href", "B11.jp2");
    assertThatThrownBy(() -> StacItem.parse(json, null).select(List.of(SceneView.SWIR_NIR_GREEN)))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("'B11' is image/jp2, not a GeoTIFF");
  }

  @Test
  void unknownHrefSchemeIsRefusedNamingTheAsset() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    json.getJsonObject("assets").getJsonObject("green").put("href", "gs://bucket/B03.tif");
    StacItem item = StacItem.parse(json, null);
    assertThatThrownBy(() -> item.select(FLOOD_THEN_COLOUR)).isInstanceOf(ReferenceRefused.class)
        .hasMessageContaining("'green'").hasMessageContaining("scheme 'gs'");
  }

  @Test
  void relativeHrefsWithoutSelfLinkResolveAgainstWhereTheItemCameFromOrAreRefused() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    json.put("links", new JsonArray());
    assertThatThrownBy(() -> StacItem.parse(json, null).select(FLOOD_THEN_COLOUR))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("relative reference");
    StacItem fetched = StacItem.parse(json, URI.create("https://stac.example.net/items/x.json"));
    assertThat(fetched.select(FLOOD_THEN_COLOUR).bands().get(0).href().uri())
        .isEqualTo(URI.create("https://stac.example.net/items/B11.tif"));
  }

  @Test
  void bandsInDifferentCrsOrExtentOrUnrelatedPixelSizesAreRefused() throws ReferenceRefused {
    JsonObject otherCrs = StacItems.sentinel2(true);
    otherCrs.getJsonObject("assets").getJsonObject("swir16").put("proj:epsg", 32634);
    assertThatThrownBy(() -> StacItem.parse(otherCrs, null).select(FLOOD_THEN_COLOUR))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("different CRSs");

    JsonObject shifted = StacItems.sentinel2(true);
    shifted.getJsonObject("assets").getJsonObject("nir").getJsonArray("proj:transform").set(2, 409_960);
    assertThatThrownBy(() -> StacItem.parse(shifted, null).select(FLOOD_THEN_COLOUR))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("different extents");

    JsonObject fifteen = StacItems.sentinel2(true);
    StacItems.band(fifteen.getJsonObject("assets"), "swir16", "B11", "swir16", 15);
    assertThatThrownBy(() -> StacItem.parse(fifteen, null).select(FLOOD_THEN_COLOUR))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("not integer multiples");
  }

  @Test
  void withoutProjectionFieldsTheGridIsLeftToTheRasters() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel2(true);
    json.getJsonObject("properties").remove("proj:epsg");
    StacItem.Selection selection = StacItem.parse(json, null).select(FLOOD_THEN_COLOUR);
    assertThat(selection.commonGrid()).isEmpty();
  }

  @Test
  void sentinel1ItemGivesTheRadarViewFromItsVvAsset() throws ReferenceRefused {
    StacItem item = StacItem.parse(StacItems.sentinel1(), null);
    StacItem.Selection selection = item.select(List.of(SceneView.SWIR_NIR_GREEN, SceneView.SAR_VV_PAIR));
    assertThat(selection.view()).isEqualTo(SceneView.SAR_VV_PAIR);
    assertThat(selection.bands()).singleElement().satisfies(b -> {
      assertThat(b.assetKey()).isEqualTo("vv");
      assertThat(b.href().scheme()).isEqualTo(SceneReference.Scheme.S3);
      assertThat(b.href().bucket()).isEqualTo("geohazard-images");
      assertThat(b.href().key()).isEqualTo("s1/vv.tif");
    });
    assertThat(item.sensor()).contains(Sensor.SENTINEL1);
  }

  @Test
  void startDatetimeStandsInForANullDatetime() throws ReferenceRefused {
    JsonObject json = StacItems.sentinel1();
    json.getJsonObject("properties").putNull("datetime").put("start_datetime", "2026-12-01T05:00:00+01:00")
        .put("end_datetime", "2026-12-01T05:00:25+01:00");
    assertThat(StacItem.parse(json, null).datetime()).isEqualTo(Instant.parse("2026-12-01T04:00:00Z"));
  }

  @Test
  void notAnItemIsRefused() {
    JsonObject collection = StacItems.sentinel1().put("type", "Collection");
    assertThatThrownBy(() -> StacItem.parse(collection, null)).hasMessageContaining("\"Feature\" expected");
    JsonObject undated = StacItems.sentinel1();
    undated.getJsonObject("properties").remove("datetime");
    assertThatThrownBy(() -> StacItem.parse(undated, null)).hasMessageContaining("no properties.datetime");
    JsonObject badDate = StacItems.sentinel1();
    badDate.getJsonObject("properties").put("datetime", "yesterday");
    assertThatThrownBy(() -> StacItem.parse(badDate, null)).hasMessageContaining("not an RFC 3339");
    JsonObject noBbox = StacItems.sentinel1();
    noBbox.remove("bbox");
    assertThatThrownBy(() -> StacItem.parse(noBbox, null)).hasMessageContaining("no bbox");
    JsonObject noAssets = StacItems.sentinel1().put("assets", new JsonObject());
    assertThatThrownBy(() -> StacItem.parse(noAssets, null)).hasMessageContaining("has no assets");
  }
}
