package org.geohazard.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.geohazard.storage.ObjectStore;
import org.junit.jupiter.api.Test;

/** Which flood masks named by a deleted content's analyses go with it (the rest of the deletion: DataLifecycleIT). */
class UploadDeletionsTest {

  private static final String SHA = "a".repeat(64);
  private static final String PAIR_SHA = "b".repeat(64);

  @Test
  void everyMaskUnderTheContentsOwnHashGoesOnceAndAnotherContentsMaskStays() {
    String first = ObjectStore.maskKey(SHA, "s2flood-1.0");
    // A re-analysis by another mask model stored a second mask beside the first; a shadow row names the first again.
    String second = ObjectStore.maskKey(SHA, "s2seg/2.0");
    // A pair of the scene has its own hash (of both scenes): its mask is the pair's, never the scene's.
    String pairs = ObjectStore.maskKey(PAIR_SHA, "s2flood-1.0");
    assertThat(UploadDeletions.orphanedMasks(List.of(first, second, first, pairs), SHA, "content"))
        .containsExactly(first, second);
    assertThat(UploadDeletions.orphanedMasks(List.of(first, pairs), PAIR_SHA, "pair")).containsExactly(pairs);
    assertThat(UploadDeletions.orphanedMasks(List.of(), SHA, "content")).isEmpty();
  }

  @Test
  void aKeyThatOnlyStartsLikeTheHashIsNotTheContents() {
    // A longer hash sharing the first 64 characters, and a key outside masks/: neither is this content's.
    assertThat(UploadDeletions.orphanedMasks(List.of("masks/" + SHA + "0/m.tif", "images/sha256/" + SHA,
        "masks/" + SHA + ".tif"), SHA, "content")).isEmpty();
    assertThat(ObjectStore.maskKey(SHA, "s2seg/2.0 beta")).isEqualTo("masks/" + SHA + "/s2seg_2.0_beta.tif");
  }
}
