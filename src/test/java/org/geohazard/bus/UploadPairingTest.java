package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** An upload's pairing as stored and shown. */
class UploadPairingTest {

  @Test
  void aReasonLongerThanItsColumnIsCutNotRefused() {
    UploadPairing pairing = new UploadPairing(UploadPairing.Mode.AUTO, null, "x".repeat(2000));
    assertThat(pairing.reason()).hasSize(UploadPairing.MAX_REASON).endsWith("…");
  }

  @Test
  void aNamedPairingNamesItsBeforeScene() {
    assertThatThrownBy(() -> new UploadPairing(UploadPairing.Mode.NAMED, null, "named"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shownWithANullBeforeImageIdWhenAlone() {
    JsonObject json = new UploadPairing(UploadPairing.Mode.AUTO, null, "none found").toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("mode", "before_image_id", "reason");
    assertThat(json.getString("mode")).isEqualTo("auto");
    assertThat(json.getValue("before_image_id")).isNull();
  }

  @Test
  void travelsBetweenNodesAsItself() {
    UploadPairing pairing = new UploadPairing(UploadPairing.Mode.AUTO, "5f0c1d6e-8a53-4a8e-9d0e-3c2b7f1a9e44",
        "paired automatically");
    Upload upload = new Upload("u", "i", "f.tif", null, Priority.NORMAL, "2026-12-07T00:00:00Z", 7L, pairing);
    assertThat(RecordJson.<Upload>decode(Upload.class, RecordJson.encode(upload))).isEqualTo(upload);
  }
}
