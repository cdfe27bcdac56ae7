package org.geohazard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSecurityTest {

  @Test
  void onlyPublicUnicastAddressesAreTargets() throws Exception {
    for (String refused : new String[] {"127.0.0.1", "::1", "10.2.3.4", "172.16.0.1", "192.168.1.1", "169.254.169.254",
        "fe80::1", "fd00::1", "100.64.0.1", "0.0.0.0", "224.0.0.1",
        // NAT64, 6to4 and Teredo reach IPv4 hosts (here loopback and metadata) the checks above cannot see.
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:7f00:1::1", "2001:0:4136:e378::1",
        "::7f00:1", "2001:db8::1",
        // Reserved IPv4: protocol assignments, TEST-NETs, benchmarking, 6to4 relays, class E and broadcast.
        "192.0.0.8", "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "198.19.255.1", "192.88.99.1",
        "240.0.0.1", "255.255.255.255"}) {
      assertThat(WebhookTargets.refusal(InetAddress.getByName(refused))).as(refused).isNotNull();
    }
    for (String allowed : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "100.128.0.1"}) {
      assertThat(WebhookTargets.refusal(InetAddress.getByName(allowed))).as(allowed).isNull();
    }
  }

  @Test
  void urlsMustBeHttpWithAHostAndNoCredentials() {
    assertThatThrownBy(() -> WebhookTargets.check("ftp://8.8.8.8/x", false)).hasMessageContaining("http");
    assertThatThrownBy(() -> WebhookTargets.check("http://user:pw@8.8.8.8/x", false)).hasMessageContaining("user");
    assertThatThrownBy(() -> WebhookTargets.check("http://127.0.0.1:9/x", false)).hasMessageContaining("loopback");
  }

  /**
   * A name's refusal tells nothing of the node's DNS: one answer whether it resolves to a private address or not at
   * all, never the address (a URL registered by name would otherwise map internal hosts).
   */
  @Test
  void aRefusedNameRevealsNeitherItsAddressNorWhetherItResolves() {
    Throwable privateName = org.assertj.core.api.Assertions.catchThrowable(
        () -> WebhookTargets.check("http://localhost:9/x", false));
    Throwable noName = org.assertj.core.api.Assertions.catchThrowable(
        () -> WebhookTargets.check("http://no-such-host.invalid/x", false));
    assertThat(privateName).isInstanceOf(WebhookTargets.RefusedTarget.class);
    assertThat(privateName.getMessage()).doesNotContain("127.0.0.1").doesNotContain("loopback").doesNotContain("::1");
    assertThat(noName.getMessage().replace("no-such-host.invalid", "localhost"))
        .isEqualTo(privateName.getMessage());
  }

  @Test
  void signaturesVerifyOnlyWithTheSecretTheBodyAndAFreshTimestamp() {
    byte[] body = "{\"event_id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    String header = WebhookSignature.header("whsec_k", 1_000_000, body);
    assertThat(WebhookSignature.verify("whsec_k", header, body, 1_000_100, 300)).isTrue();
    assertThat(WebhookSignature.verify("whsec_other", header, body, 1_000_100, 300)).isFalse();
    assertThat(WebhookSignature.verify("whsec_k", header, "{}".getBytes(StandardCharsets.UTF_8), 1_000_100, 300)).isFalse();
    assertThat(WebhookSignature.verify("whsec_k", header, body, 1_000_400, 300)).as("replayed too late").isFalse();
    assertThat(WebhookSignature.verify("whsec_k", "t=x,v1=y", body, 1_000_000, 300)).isFalse();
  }

  @Test
  void duringASecretsOverlapADeliveryCarriesBothSignaturesAndEitherSecretVerifiesIt() {
    byte[] body = "{\"event_id\":\"2\"}".getBytes(StandardCharsets.UTF_8);
    String both = WebhookSignature.header("whsec_new", "whsec_old", 1_000_000, body);
    assertThat(both).startsWith("t=1000000,v1=").matches("t=1000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
    assertThat(both).startsWith(WebhookSignature.header("whsec_new", 1_000_000, body) + ",v1=");
    assertThat(WebhookSignature.verify("whsec_new", both, body, 1_000_010, 300)).as("a receiver moved over").isTrue();
    assertThat(WebhookSignature.verify("whsec_old", both, body, 1_000_010, 300)).as("a receiver not yet").isTrue();
    assertThat(WebhookSignature.verify("whsec_other", both, body, 1_000_010, 300)).isFalse();
    assertThat(WebhookSignature.verify("whsec_old", both, "{}".getBytes(StandardCharsets.UTF_8), 1_000_010, 300))
        .isFalse();

    // After the overlap: one signature, the new secret's; the old secret verifies nothing any more.
    String after = WebhookSignature.header("whsec_new", null, 1_000_000, body);
    assertThat(after).isEqualTo(WebhookSignature.header("whsec_new", 1_000_000, body));
    assertThat(WebhookSignature.verify("whsec_old", after, body, 1_000_010, 300)).isFalse();
    assertThat(WebhookSignature.verify("whsec_new", after, body, 1_000_010, 300)).isTrue();
  }
}
