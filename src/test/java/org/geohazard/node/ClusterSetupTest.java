package org.geohazard.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geohazard.config.AppConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a clustered node asks of Hazelcast and of the event bus (the handshakes themselves: ClusterTlsIT). */
class ClusterSetupTest {

  private static final AppConfig.ClusterTls NO_TLS = new AppConfig.ClusterTls("", "", "", "", "", "", "");

  @TempDir
  Path dir;

  private static AppConfig.Cluster cluster(String host, List<String> interfaces, AppConfig.ClusterTls tls) {
    return new AppConfig.Cluster(true, "c", host, 5701, List.of(), 5801, "", interfaces, tls);
  }

  @Test
  void hazelcastBindsTheConfiguredInterfacesOnlyAndNeverJoinsByMulticast() {
    Config byHost = ClusterSetup.hazelcastConfig(cluster("10.1.2.3", List.of(), NO_TLS));
    assertThat(byHost.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(byHost.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
    assertThat(byHost.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
    assertThat(byHost.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();

    Config byPattern = ClusterSetup.hazelcastConfig(cluster("10.1.2.3", List.of("10.1.*.*"), NO_TLS));
    assertThat(byPattern.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.*.*");
    assertThat(byPattern.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");

    // A host name (a container's) is announced as it is and binds every interface: no address to restrict to.
    Config byName = ClusterSetup.hazelcastConfig(cluster("geohazard-api", List.of(), NO_TLS));
    assertThat(byName.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(byName.getProperty("hazelcast.socket.bind.any")).isNull();
  }

  @Test
  void theEventBusIsPlainWithoutTlsAndMutualWithIt() throws Exception {
    EventBusOptions plain = ClusterSetup.eventBusOptions(cluster("127.0.0.1", List.of(), NO_TLS));
    assertThat(plain.isSsl()).isFalse();
    assertThat(plain.getPort()).isEqualTo(5801);

    String cert = Files.writeString(dir.resolve("n.crt"), "c").toString();
    String key = Files.writeString(dir.resolve("n.key"), "k").toString();
    String trust = Files.writeString(dir.resolve("ca.pem"), "a").toString();
    EventBusOptions pem = ClusterSetup.eventBusOptions(cluster("127.0.0.1", List.of(),
        new AppConfig.ClusterTls(cert, key, "", "", trust, "", "")));
    assertThat(pem.isSsl()).isTrue();
    assertThat(pem.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(pem.isTrustAll()).isFalse();
    assertThat(((PemKeyCertOptions) pem.getKeyCertOptions()).getCertPaths()).containsExactly(cert);
    assertThat(((PemTrustOptions) pem.getTrustOptions()).getCertPaths()).containsExactly(trust);

    String store = Files.writeString(dir.resolve("n.p12"), "s").toString();
    String trustStore = Files.writeString(dir.resolve("t.p12"), "t").toString();
    EventBusOptions pkcs12 = ClusterSetup.eventBusOptions(cluster("127.0.0.1", List.of(),
        new AppConfig.ClusterTls("", "", store, "pw", "", trustStore, "tpw")));
    assertThat(pkcs12.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
    assertThat(((PfxOptions) pkcs12.getKeyCertOptions()).getPath()).isEqualTo(store);
    assertThat(((PfxOptions) pkcs12.getTrustOptions()).getPath()).isEqualTo(trustStore);
  }
}
