package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import org.geohazard.detection.SceneView;
import org.junit.jupiter.api.Test;

class SceneSpecTest {

  @Test
  void aGeoTiffReferenceIsRecordedAsItselfAndReadBack() throws Exception {
    SceneSpec spec = SceneSpec.of(SceneReference.parse("s3://geohazard-images/scenes/T30SXH.tif"));
    assertThat(spec.text()).isEqualTo("s3://geohazard-images/scenes/T30SXH.tif");
    assertThat(SceneSpec.isReference(spec.text())).isTrue();
    assertThat(spec.stac()).isFalse();
    assertThat(spec.name()).isEqualTo("T30SXH.tif");
    SceneSpec read = SceneSpec.parse(spec.text());
    assertThat(read.references()).containsExactly(SceneReference.parse("s3://geohazard-images/scenes/T30SXH.tif"));
    // One GeoTIFF is read as it is, whatever the served views.
    SceneSpec.Choice choice = read.choose(List.of(SceneView.RGB));
    assertThat(choice.view()).isEmpty();
    assertThat(choice.bands()).hasSize(1);
  }

  @Test
  void theSourceIsTheGeoTiffsUrlOrTheItemsSelfLinkAndNoneWithoutEither() throws Exception {
    String tiff = "https://data.example.org/scenes/T30SXH.tif";
    assertThat(SceneSpec.parse(SceneSpec.of(SceneReference.parse(tiff)).text()).source()).contains(tiff);
    // The self link wins over where the Item was read from, and survives the record.
    SceneSpec withSelf = SceneSpec.of(StacItem.parse(StacItems.sentinel2(false), URI.create("s3://b/copy.json")));
    assertThat(SceneSpec.parse(withSelf.text()).source()).contains(StacItems.BASE + "item.json");
    // Posted in a body without a self link (absolute band hrefs): nothing to link to.
    JsonObject bare = StacItems.sentinel2(false).put("links", new JsonArray());
    bare.getJsonObject("assets").forEach(asset -> {
      JsonObject band = (JsonObject) asset.getValue();
      band.put("href", StacItems.BASE + band.getString("href").substring(2));
    });
    assertThat(SceneSpec.parse(SceneSpec.of(StacItem.parse(bare, null)).text()).source()).isEmpty();
  }

  @Test
  void anUploadedImagesKeyIsNotAReference() {
    assertThat(SceneSpec.isReference("images/sha256/" + "a".repeat(64))).isFalse();
    assertThat(SceneSpec.isReference(null)).isFalse();
  }

  @Test
  void aStacItemIsRecordedAsTheBandsOfEachViewItMakesSpectralFirst() throws Exception {
    StacItem item = StacItem.parse(StacItems.sentinel2(false), URI.create(StacItems.BASE + "item.json"));
    SceneSpec spec = SceneSpec.of(item);
    assertThat(spec.stac()).isTrue();
    assertThat(spec.views()).containsExactly(SceneView.SWIR_NIR_GREEN, SceneView.TRUE_COLOUR, SceneView.RGB);
    assertThat(spec.text()).startsWith("stac:");

    SceneSpec read = SceneSpec.parse(spec.text());
    assertThat(read.text()).isEqualTo(spec.text());
    SceneSpec.Choice flood = read.choose(List.of(SceneView.RGB, SceneView.SWIR_NIR_GREEN));
    assertThat(flood.view()).contains(SceneView.SWIR_NIR_GREEN);
    // SWIR, NIR, green: the view's order; relative hrefs resolved against where the Item came from.
    assertThat(flood.bands()).extracting(SceneReference::toString).containsExactly(StacItems.BASE + "B11.tif",
        StacItems.BASE + "B08.tif", StacItems.BASE + "B03.tif");
    SceneSpec.Choice colour = read.choose(List.of(SceneView.RGB));
    assertThat(colour.view()).contains(SceneView.RGB);
    assertThat(colour.bands()).extracting(SceneReference::toString).containsExactly(StacItems.BASE + "B04.tif",
        StacItems.BASE + "B03.tif", StacItems.BASE + "B02.tif");
    // Every band object once: what the API checks.
    assertThat(read.references()).hasSize(5);
    assertThat(read.name()).isEqualTo("S2B_33UUP_20261201_0_L2A");
  }

  @Test
  void anItemWithoutUsableBandsIsRefusedNamingWhatIsMissing() {
    JsonObject item = StacItems.sentinel2(false);
    for (String band : List.of("B02", "B03", "B04", "B08", "B11")) {
      item.getJsonObject("assets").remove(band);
    }
    assertThatThrownBy(() -> SceneSpec.of(StacItem.parse(item, URI.create(StacItems.BASE))))
        .isInstanceOf(ReferenceRefused.class)
        .hasMessageContaining("swir_nir_green: swir16 missing, nir missing")
        .hasMessageContaining("'visual' holds 3 bands");
  }

  @Test
  void aViewNoServedModelExpectsIsRefused() throws Exception {
    SceneSpec radar = SceneSpec.of(StacItem.parse(StacItems.sentinel1(), null));
    assertThat(radar.views()).containsExactly(SceneView.SAR_VV_PAIR);
    assertThatThrownBy(() -> radar.choose(List.of(SceneView.RGB, SceneView.SWIR_NIR_GREEN)))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("[sar_vv_pair]")
        .hasMessageContaining("rgb");
  }

  @Test
  void theIdentityFollowsTheReferenceAndTheObjectsSizes() throws Exception {
    SceneSpec a = SceneSpec.of(SceneReference.parse("s3://b/a.tif"));
    SceneSpec b = SceneSpec.of(SceneReference.parse("s3://b/b.tif"));
    assertThat(a.identity(List.of(100L))).hasSize(64).matches("[0-9a-f]{64}")
        .isEqualTo(SceneSpec.parse("s3://b/a.tif").identity(List.of(100L)))
        .isNotEqualTo(a.identity(List.of(101L)))
        .isNotEqualTo(b.identity(List.of(100L)));
  }

  @Test
  void aDamagedRecordIsRefused() {
    assertThatThrownBy(() -> SceneSpec.parse("stac:{not json")).isInstanceOf(ReferenceRefused.class);
    assertThatThrownBy(() -> SceneSpec.parse("gs://bucket/key")).isInstanceOf(ReferenceRefused.class);
  }
}
