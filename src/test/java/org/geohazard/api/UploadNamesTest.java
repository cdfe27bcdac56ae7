package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UploadNamesTest {

  @Test
  void ordinaryNamesAreKeptAsSent() {
    assertThat(UploadNames.forStorage("sentinel2_tile_T45RVL.tif")).isEqualTo("sentinel2_tile_T45RVL.tif");
    assertThat(UploadNames.forStorage("Überschwemmung – Ahrtal 2021 🌊.jpg")).isEqualTo("Überschwemmung – Ahrtal 2021 🌊.jpg");
  }

  @Test
  void pathsControlCharactersAndEmptyNamesAreDropped() {
    assertThat(UploadNames.forStorage("C:\\\\Users\\\\me\\\\flood.png")).isEqualTo("flood.png");
    assertThat(UploadNames.forStorage("../../etc/passwd")).isEqualTo("passwd");
    assertThat(UploadNames.forStorage("a\u0000b\r\n\u202Ec.jpg")).isEqualTo("abc.jpg");
    assertThat(UploadNames.forStorage("   ")).isNull();
    assertThat(UploadNames.forStorage("dir/")).isNull();
    assertThat(UploadNames.forStorage(null)).isNull();
  }

  @Test
  void aLongNameIsShortenedToTheColumnKeepingItsEndsAndExtension() {
    String stem = "日本語の名前".repeat(60);  // 360 characters, 1080 UTF-8 bytes
    String kept = UploadNames.forStorage(stem + ".tif");
    assertThat(kept.codePointCount(0, kept.length())).isEqualTo(UploadNames.MAX_CHARACTERS);
    assertThat(kept).startsWith("日本語の名前").endsWith("の名前.tif").contains("…");
    String emoji = "🌊".repeat(300);  // characters outside the BMP count once each
    String shortened = UploadNames.forStorage(emoji);
    assertThat(shortened.codePointCount(0, shortened.length())).isEqualTo(UploadNames.MAX_CHARACTERS);
    assertThat(shortened.codePoints().filter(c -> c == 0x1F30A).count()).isEqualTo(254);
  }
}
