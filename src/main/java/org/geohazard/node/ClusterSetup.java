package org.geohazard.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.geohazard.config.AppConfig;

/**
 * The Hazelcast cluster manager and event-bus options of a clustered node: Vert.x's own Hazelcast settings
 * (the maps and multimaps its event bus keeps), joined by TCP/IP to the configured members (multicast off,
 * nothing auto-detected, no phone-home), bound to {@code cluster.host}.
 */
final class ClusterSetup {

  /** Members tried on this machine when none are configured: enough for a handful of local nodes. */
  static final int PORT_COUNT = 10;

  private ClusterSetup() {}

  static HazelcastClusterManager clusterManager(AppConfig.Cluster cluster) {
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
    if (cluster.host().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      // An IP address: bind to that interface only. A host name (a container's) binds to every interface
      // and is announced to the others as it is.
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
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

  static EventBusOptions eventBusOptions(AppConfig.Cluster cluster) {
    return new EventBusOptions().setHost(cluster.host()).setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host());
  }
}
