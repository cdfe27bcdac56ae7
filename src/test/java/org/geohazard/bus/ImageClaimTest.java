package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ImageClaimTest {

  private static final String SHA = "a".repeat(64);

  @Test
  void roundTripsThroughJsonWithItsVersion() {
    ImageClaim claim = new ImageClaim("id-1", SHA, "images/sha256/" + SHA, "image/png", "high", 1.5, -2.5, 10.0, "4,3,2", "sentinel2", 42L);
    JsonObject json = claim.toJson();
    assertThat(json.getInteger("v")).isEqualTo(ImageClaim.VERSION);
    assertThat(json.containsKey("bytes")).isFalse();
    assertThat(ImageClaim.fromJson(json)).isEqualTo(claim);
    assertThat(claim.highPriority()).isTrue();
  }

  @Test
  void refusesUnknownVersionsAndMissingFields() {
    JsonObject json = new ImageClaim("id-1", SHA, "k", "image/png", "normal", null, null, null, null, null, 0).toJson();
    assertThatThrownBy(() -> ImageClaim.fromJson(json.copy().put("v", 2))).hasMessageContaining("version");
    assertThatThrownBy(() -> ImageClaim.fromJson(json.copy().put("sha256", "abc"))).hasMessageContaining("sha256");
    JsonObject withoutId = json.copy();
    withoutId.remove("image_id");
    assertThatThrownBy(() -> ImageClaim.fromJson(withoutId)).hasMessageContaining("image id");
  }
}
