package org.geohazard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of admission: canonical paths, the client address behind proxies, the failed-key budget. */
class AdmissionRulesTest {

  @Test
  void onlyTheCanonicalSpellingOfAPathIsAccepted() {
    for (String ok : new String[] {"/", "/docs/", "/docs/swagger-ui.css", "/api/v1/results/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10",
        "/api/v1/alerts/active", "/openapi.yaml", "/metrics", "/ogc", "/ogc/", "/ogc/conformance",
        "/ogc/collections/alerts/items", "/ogc/collections/detections/items/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10.12",
        "/api/v1/results/0b6a3e52-2c2f-4f0e-8f57-7f3d0c1b9a10/stac"}) {
      assertThat(CanonicalPath.problem(ok)).as(ok).isNull();
    }
    for (String bad : new String[] {"//api/v1/results/x", "/api//v1/results/x", "/api/v1/./results/x", "/api/v1/x/../results/x",
        "/api/v1%2Fresults/x", "/api/v1/results%2fx", "/api/%61pi", "/api/v1/results/x.", "/api/v1/health.",
        "/api\\v1/results", "api/v1/results", "", "/api/v1/results/x y", "/api/v1/results/\u00e9"}) {
      assertThat(CanonicalPath.problem(bad)).as(bad).isNotNull();
    }
  }

  @Test
  void forwardedForIsBelievedOnlyFromATrustedProxy() {
    ClientAddress none = new ClientAddress(List.of());
    assertThat(none.resolve("203.0.113.9", "1.2.3.4")).as("no proxies trusted: the header is ignored")
        .isEqualTo("203.0.113.9");
    ClientAddress nginx = new ClientAddress(List.of("10.0.0.2", "10.0.0.3"));
    assertThat(nginx.resolve("10.0.0.2", "198.51.100.7")).isEqualTo("198.51.100.7");
    // The client wrote the left-most entries itself: the right-most untrusted hop is the one the proxy saw.
    assertThat(nginx.resolve("10.0.0.2", "6.6.6.6, 198.51.100.7")).isEqualTo("198.51.100.7");
    assertThat(nginx.resolve("10.0.0.2", "198.51.100.7, 10.0.0.3")).isEqualTo("198.51.100.7");
    assertThat(nginx.resolve("203.0.113.9", "198.51.100.7")).as("not from a proxy").isEqualTo("203.0.113.9");
    assertThat(nginx.resolve("10.0.0.2", null)).isEqualTo("10.0.0.2");
    assertThat(nginx.resolve("10.0.0.2", " , ")).isEqualTo("10.0.0.2");
    // A network: the proxies of a container network; hops that are not addresses are never trusted.
    ClientAddress subnet = new ClientAddress(List.of("172.18.0.0/16", "fd00::/8"));
    assertThat(subnet.resolve("172.18.3.4", "198.51.100.7, 172.18.0.9")).isEqualTo("198.51.100.7");
    assertThat(subnet.resolve("172.19.0.1", "198.51.100.7")).as("outside the network").isEqualTo("172.19.0.1");
    assertThat(subnet.resolve("fd12::1", "2001:db8::5")).isEqualTo("2001:db8::5");
    assertThat(subnet.resolve("172.18.3.4", "localhost")).isEqualTo("localhost");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClientAddress(List.of("nginx")))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClientAddress(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownKeysAreLimitedPerAddressAndWindow() {
    FailedKeyThrottle throttle = new FailedKeyThrottle(3, 60_000);
    long t = 1_000_000;
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.blocked("a", t)).isFalse();
      throttle.failed("a", t);
    }
    assertThat(throttle.blocked("a", t + 1)).isTrue();
    assertThat(throttle.retryAfterSeconds("a", t + 1)).isEqualTo(60);
    assertThat(throttle.blocked("b", t + 1)).as("another address").isFalse();
    assertThat(throttle.blocked("a", t + 60_000)).as("the next window").isFalse();
  }
}
