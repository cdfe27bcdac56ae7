package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SceneReferenceTest {

  @Test
  void s3ReferenceSplitsIntoBucketAndKey() throws ReferenceRefused {
    SceneReference reference = SceneReference.parse("s3://geohazard-images/scenes/2026/S2B%2033UUP.tif");
    assertThat(reference.scheme()).isEqualTo(SceneReference.Scheme.S3);
    assertThat(reference.bucket()).isEqualTo("geohazard-images");
    assertThat(reference.key()).isEqualTo("scenes/2026/S2B 33UUP.tif");
  }

  @Test
  void httpsReferenceKeepsItsQueryAndDropsItsFragment() throws ReferenceRefused {
    SceneReference reference = SceneReference.parse("https://data.example.org/s2/B04.tif?sig=abc#part");
    assertThat(reference.scheme()).isEqualTo(SceneReference.Scheme.HTTPS);
    assertThat(reference.uri()).isEqualTo(URI.create("https://data.example.org/s2/B04.tif?sig=abc"));
  }

  @Test
  void relativeHrefResolvesAgainstItsDocument() throws ReferenceRefused {
    URI base = URI.create("https://catalogue.example.org/items/a/item.json");
    assertThat(SceneReference.resolve(base, "../b/B08.tif").uri())
        .isEqualTo(URI.create("https://catalogue.example.org/items/b/B08.tif"));
  }

  @Test
  void refusesWhatItWillNotRead() {
    assertThatThrownBy(() -> SceneReference.parse("http://data.example.org/B04.tif"))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("plain http://");
    assertThatThrownBy(() -> SceneReference.parse("file:///etc/passwd")).hasMessageContaining("scheme 'file'");
    assertThatThrownBy(() -> SceneReference.parse("gs://bucket/a.tif")).hasMessageContaining("scheme 'gs'");
    assertThatThrownBy(() -> SceneReference.parse("s3://bucket-only")).hasMessageContaining("s3://bucket/key");
    assertThatThrownBy(() -> SceneReference.parse("https://user:pw@data.example.org/a.tif"))
        .hasMessageContaining("without user information");
    assertThatThrownBy(() -> SceneReference.parse("B04.tif")).hasMessageContaining("relative reference");
    assertThatThrownBy(() -> SceneReference.parse(" ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> SceneReference.parse("https://h/" + "a".repeat(3000)))
        .hasMessageContaining("at most 2048");
    assertThatThrownBy(() -> SceneReference.parse("https://bad host/a.tif")).hasMessageContaining("not a URL");
  }
}
