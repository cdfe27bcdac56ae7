package org.geohazard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.geohazard.config.AppConfig;

/**
 * The Hazelcast cluster manager and event-bus options of a clustered node: Vert.x's own Hazelcast settings
 * (the maps and multimaps its event bus keeps), joined by TCP/IP to the configured members (multicast off,
 * nothing auto-detected, no phone-home), bound to {@code cluster.interfaces} or {@code cluster.host}; the event bus
 * with mutual TLS when {@code cluster.tls} is set. Public so that ClusterTlsIT can start a stranger configured exactly
 * like a node (its own certificate, or none) and show that the bus refuses it.
 */
public final class ClusterSetup {

  /** Members tried on this machine when none are configured: enough for a handful of local nodes. */
  static final int PORT_COUNT = 10;

  private ClusterSetup() {}

  public static HazelcastClusterManager clusterManager(AppConfig.Cluster cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(AppConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // A member that vanishes (kill -9) is declared gone within seconds, not the default minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    network.setPublicAddress(cluster.host());
    List<String> interfaces = boundInterfaces(cluster);
    if (!interfaces.isEmpty()) {
      network.getInterfaces().setEnabled(true).setInterfaces(interfaces);
      // Without this Hazelcast still listens on the wildcard address and only announces the chosen interface.
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (!cluster.kubernetesServiceDns().isBlank()) {
      // Kubernetes: the headless service's DNS records are the members (no API access needed).
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesServiceDns());
      return config;
    }
    // A member named without a port is tried on the first PORT_COUNT ports from cluster.port.
    config.setProperty("hazelcast.tcp.join.port.try.count", Integer.toString(PORT_COUNT));
    List<String> members = cluster.members().isEmpty() ? List.of(cluster.host()) : cluster.members();
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return config;
  }

  /**
   * The configured interfaces, else {@code cluster.host} when it is an IP address; empty (every interface) for a
   * host name (a container's), which is announced to the others as it is.
   */
  static List<String> boundInterfaces(AppConfig.Cluster cluster) {
    if (!cluster.interfaces().isEmpty()) {
      return cluster.interfaces();
    }
    return cluster.host().matches("\\d{1,3}(\\.\\d{1,3}){3}") ? List.of(cluster.host()) : List.of();
  }

  /**
   * The clustered event bus: its address and, with {@code cluster.tls}, TLS on every connection with a certificate
   * required of both ends. Vert.x's cluster client checks the peer's chain against the trust options but no host
   * name, so the configured authority is what makes a peer a member.
   */
  public static EventBusOptions eventBusOptions(AppConfig.Cluster cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host());
    AppConfig.ClusterTls tls = cluster.tls();
    if (!tls.enabled()) {
      return options;
    }
    // EventBusOptions trusts every server by default (trustAll is true): a node would send to any peer.
    options.setSsl(true).setClientAuth(ClientAuth.REQUIRED).setTrustAll(false);
    options.setKeyCertOptions(tls.pem()
        ? new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath())
        : new PfxOptions().setPath(tls.keyStorePath()).setPassword(tls.keyStorePassword()));
    options.setTrustOptions(!tls.trustCertPath().isEmpty()
        ? new PemTrustOptions().addCertPath(tls.trustCertPath())
        : new PfxOptions().setPath(tls.trustStorePath()).setPassword(tls.trustStorePassword()));
    return options;
  }
}
