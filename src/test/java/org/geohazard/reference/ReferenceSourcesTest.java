package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The https gate, without a request: off by default, listed hosts only, public addresses only. */
class ReferenceSourcesTest {

  private static final HttpsSources LOCAL_HOSTS =
      new HttpsSources(true, List.of("localhost", "127.0.0.1", "169.254.169.254", "10.1.2.3", "*.example.org"),
          5_000);

  @Test
  void httpsIsOffByDefault() throws ReferenceRefused {
    SceneReference reference = SceneReference.parse("https://data.example.org/B04.tif");
    assertThatThrownBy(() -> ReferenceSources.checkHttps(reference, HttpsSources.OFF))
        .isInstanceOf(ReferenceRefused.class).hasMessageContaining("does not read https://");
  }

  @Test
  void hostsNotListedAreRefused() throws ReferenceRefused {
    SceneReference reference = SceneReference.parse("https://elsewhere.example.net/B04.tif");
    assertThatThrownBy(() -> ReferenceSources.checkHttps(reference, LOCAL_HOSTS))
        .hasMessageContaining("elsewhere.example.net is not among the hosts");
  }

  @Test
  void listedHostsOnPrivateOrReservedAddressesAreRefused() throws ReferenceRefused {
    for (String url : new String[] {"https://localhost/a.tif", "https://127.0.0.1:8443/a.tif",
        "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/a.tif"}) {
      SceneReference reference = SceneReference.parse(url);
      assertThatThrownBy(() -> ReferenceSources.checkHttps(reference, LOCAL_HOSTS)).as(url)
          .isInstanceOf(ReferenceRefused.class).hasMessageContaining("not a scene source");
    }
  }

  @Test
  void wildcardAllowsSubdomainsOnly() {
    assertThat(LOCAL_HOSTS.allows("data.EXAMPLE.org")).isTrue();
    assertThat(LOCAL_HOSTS.allows("example.org")).isFalse();
    assertThat(LOCAL_HOSTS.allows("badexample.org")).isFalse();
    assertThat(HttpsSources.OFF.allows("localhost")).isFalse();
  }
}
