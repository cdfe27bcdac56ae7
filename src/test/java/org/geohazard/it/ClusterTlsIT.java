package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.cluster.Member;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ApiKeyService;
import org.geohazard.bus.Messages;
import org.geohazard.bus.ServiceBus;
import org.geohazard.config.AppConfig;
import org.geohazard.node.ClusterSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered nodes whose event bus runs mutual TLS ({@code cluster.tls}): node A with every role and a PKCS#12
 * key store, node B with the API role only (no persistence of its own) and PEM files, both trusting the two node
 * certificates. B's key management and A's revocation broadcast cross the encrypted bus. Two strangers then join
 * the same Hazelcast cluster (its open-source edition authenticates no member, so they do get in): one with a
 * certificate of its own that trusts the nodes, one with plain TCP. Neither can have A's persistence revoke a key,
 * nor hear the nodes' broadcasts; the key stays live and the nodes' own revocation still reaches B within a second.
 */
class ClusterTlsIT {

  private static final String TOKEN = "cluster-tls-admin-token-0123456789";
  /** How long a stranger waits for an answer that must not come. */
  private static final long STRANGER_TIMEOUT_MS = 3000;

  @TempDir
  Path dir;

  @Test
  void nodesTalkOverMutualTlsWhileAStrangerInTheHazelcastClusterExchangesNothing() throws Exception {
    Path storeA = TestCertificates.selfSigned(dir.resolve("node-a.p12"), "node-a");
    Path storeB = TestCertificates.selfSigned(dir.resolve("node-b.p12"), "node-b");
    Path strangerStore = TestCertificates.selfSigned(dir.resolve("stranger.p12"), "stranger");
    // The nodes' authority: their two certificates (a deployment names the authority that signed every node's).
    Path trust = Files.writeString(dir.resolve("cluster-trust.pem"),
        TestCertificates.certificatePem(storeA) + TestCertificates.certificatePem(storeB));
    Path certB = dir.resolve("node-b.crt");
    Path keyB = dir.resolve("node-b.key");
    TestCertificates.writePem(storeB, certB, keyB);
    String cluster = "geohazard-tls-it-" + Long.toHexString(new Random().nextLong());

    try (TestNode a = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
             "GEOHAZARD_HTTP_ADMIN_TOKEN", TOKEN, "GEOHAZARD_CLUSTER_TLS_KEY_STORE_PATH", storeA.toString(),
             "GEOHAZARD_CLUSTER_TLS_KEY_STORE_PASSWORD", TestCertificates.PASSWORD,
             "GEOHAZARD_CLUSTER_TLS_TRUST_CERT_PATH", trust.toString()));
         TestNode b = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
             "GEOHAZARD_NODE_ROLES", "api", "GEOHAZARD_HTTP_ADMIN_TOKEN", TOKEN,
             "GEOHAZARD_CLUSTER_TLS_CERT_PATH", certB.toString(), "GEOHAZARD_CLUSTER_TLS_KEY_PATH", keyB.toString(),
             "GEOHAZARD_CLUSTER_TLS_TRUST_CERT_PATH", trust.toString()))) {
      assertThat(a.config.cluster().tls().enabled()).isTrue();
      // B stores nothing itself: the key is made by A's persistence, asked over the TLS bus, and the answer returns.
      HttpResponse<Buffer> createdResponse = TestNode.await(b.client.post("/api/v1/admin/keys")
          .putHeader("X-Admin-Token", TOKEN).sendJsonObject(new JsonObject().put("name", "tls-it")
              .put("scopes", new JsonArray().add("read"))));
      assertThat(createdResponse.statusCode()).as(createdResponse.bodyAsString()).isEqualTo(201);
      JsonObject created = b.checked("createApiKey", createdResponse);
      long keyId = created.getLong("key_id");
      String secret = created.getString("secret");
      assertThat(read(a, secret)).isEqualTo(404);
      assertThat(read(b, secret)).isEqualTo(404);

      AppConfig.Cluster nodes = a.config.cluster();
      AppConfig.ClusterTls ownCertificate = new AppConfig.ClusterTls("", "", strangerStore.toString(),
          TestCertificates.PASSWORD, trust.toString(), "", "");
      AppConfig.ClusterTls plainTcp = new AppConfig.ClusterTls("", "", "", "", "", "", "");
      for (AppConfig.ClusterTls strangerTls : List.of(ownCertificate, plainTcp)) {
        AppConfig.Cluster stranger = new AppConfig.Cluster(true, cluster, nodes.host(), nodes.port(), nodes.members(),
            0, "", List.of(), strangerTls);
        HazelcastClusterManager manager = ClusterSetup.clusterManager(stranger);
        Vertx strangerVertx = TestNode.await(Vertx.builder()
            .with(new VertxOptions().setEventBusOptions(ClusterSetup.eventBusOptions(stranger)))
            .withClusterManager(manager).buildClustered());
        try {
          Messages.registerCodecs(strangerVertx.eventBus());
          assertThat(manager.getNodes()).as("Hazelcast lets a member in on the cluster name").hasSize(3);
          if (strangerTls == ownCertificate) {
            nodesListenOnTheirClusterHostOnly(manager);
          }
          List<String> heard = new CopyOnWriteArrayList<>();
          MessageConsumer<?> listening = Addresses.API_KEYS_EVICTED.subscribe(strangerVertx.eventBus(), heard::add);
          TestNode.await(listening.completion());

          ApiKeyService keys = ServiceBus.client(strangerVertx.eventBus(), ApiKeyService.class,
              new DeliveryOptions().setSendTimeout(STRANGER_TIMEOUT_MS));
          assertThat(failure(keys.revoke(keyId))).as("revoke asked by %s", strangerTls).isNotNull();
          assertThat(failure(keys.list())).as("keys listed for %s", strangerTls).isNotNull();
          // Nothing changed: A's store still holds the key live (read through B, over the TLS bus).
          JsonObject listed = b.checked("listApiKeys", TestNode.await(b.client.get("/api/v1/admin/keys")
              .putHeader("X-Admin-Token", TOKEN).send()));
          JsonObject row = listed.getJsonArray("keys").stream().map(JsonObject.class::cast)
              .filter(k -> k.getLong("key_id") == keyId).findFirst().orElseThrow();
          assertThat(row.getValue("revoked_at")).as("after %s", strangerTls).isNull();
          // The nodes' own broadcast (an eviction of an unknown key's hash) reaches every member but the stranger.
          Addresses.API_KEYS_EVICTED.publish(a.vertx().eventBus(), "tls-it-" + UUID.randomUUID());
          TestNode.await(a.vertx().timer(1000, TimeUnit.MILLISECONDS));
          assertThat(heard).as("broadcasts heard by %s", strangerTls).isEmpty();
        } finally {
          TestNode.await(strangerVertx.close());
        }
      }

      // The nodes' revocation crosses the TLS bus: B, which remembers the key, refuses it within a second.
      long start = System.nanoTime();
      assertThat(TestNode.await(a.client.post("/api/v1/admin/keys/" + keyId + "/revoke")
          .putHeader("X-Admin-Token", TOKEN).send()).statusCode()).isEqualTo(200);
      b.pollUntil(() -> b.client.get("/api/v1/results/" + UUID.randomUUID()).putHeader("X-API-Key", secret).send(),
          r -> r.statusCode() == 401, Duration.ofSeconds(1));
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(elapsedMs).as("revoked on B after %d ms", elapsedMs).isLessThan(1000);
    }
  }

  /**
   * Hazelcast binds the announced address only (cluster.host, 127.0.0.1 here): the nodes' member ports refuse a
   * connection to another address of this machine (by Hazelcast's default they would take it).
   */
  private static void nodesListenOnTheirClusterHostOnly(HazelcastClusterManager manager) throws Exception {
    Optional<InetAddress> other = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()).findFirst();
    if (other.isEmpty()) {
      System.out.println("ClusterTlsIT: only loopback here; the member ports' binding is not tried");
      return;
    }
    for (Member member : manager.getHazelcastInstance().getCluster().getMembers()) {
      InetSocketAddress elsewhere = new InetSocketAddress(other.get(), member.getAddress().getPort());
      try (Socket socket = new Socket()) {
        assertThatThrownBy(() -> socket.connect(elsewhere, 2000)).as("member port reached on %s", elsewhere)
            .isInstanceOf(ConnectException.class);
      }
    }
  }

  private static int read(TestNode node, String key) {
    return TestNode.await(node.client.get("/api/v1/results/" + UUID.randomUUID()).putHeader("X-API-Key", key).send())
        .statusCode();
  }

  /** Why {@code call} failed; null if it was answered. */
  private static Throwable failure(Future<?> call) throws Exception {
    return call.toCompletionStage().toCompletableFuture().handle((answer, error) -> error)
        .get(STRANGER_TIMEOUT_MS + 30_000, TimeUnit.MILLISECONDS);
  }
}
