package org.geohazard.node;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusRequestHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.DoubleStream;
import org.geohazard.alerts.AlertsVerticle;
import org.geohazard.api.ApiVerticle;
import org.geohazard.api.Erasure;
import org.geohazard.auth.Scope;
import org.geohazard.bus.Membership;
import org.geohazard.bus.Messages;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig.Role;
import org.geohazard.config.AppConfig;
import org.geohazard.inference.InferenceVerticle;
import org.geohazard.inference.runtime.ExecutionProvider;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.metrics.NodeMetricsFactory;
import org.geohazard.persistence.PersistenceVerticle;
import org.geohazard.pipeline.ConsumerVerticle;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one running node, a Vert.x instance with metrics, the node's client services
 * (the Redis cache, the object store and the Kafka producer, each with an async API safe to share), and
 * the verticles of the configured roles, each handed the services it uses through its constructor and
 * deployed in dependency order (persistence and inference before the consumer that feeds them, the API
 * last). Used by {@code Main} and by the integration tests alike.
 */
public final class GeohazardNode {

  private static final Logger LOG = LoggerFactory.getLogger(GeohazardNode.class);
  public static final String CONTRACT_RESOURCE = "geohazard/openapi.yaml";
  /** Where a node without the api role serves its meters (on node.metricsPort); an API node has it in the contract. */
  static final String METRICS_PATH = "/metrics";

  private final Vertx vertx;
  private final AppConfig config;
  private final RedisCache cache;
  private final ObjectStore objectStore;
  private final KafkaPublisher publisher;
  private final NodeMetrics metrics;
  /** Where {@link #metrics} and Vert.x's own meters are kept; scraped at {@link #METRICS_PATH}. */
  private final PrometheusMeterRegistry registry;
  /** Null for a standalone node. */
  private final HazelcastClusterManager clusterManager;
  private final Membership membership;
  private final Heartbeat heartbeat;
  /** Takes operators' model changes for this node's inference verticles; null without the inference role. */
  private ModelInstaller modelInstaller;
  private ApiVerticle api;

  private GeohazardNode(Vertx vertx, AppConfig config, PrometheusMeterRegistry registry,
                        HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.config = config;
    this.registry = registry;
    this.metrics = new NodeMetrics(registry);
    this.cache = new RedisCache(vertx, config.redis());
    this.objectStore = new S3ObjectStore(vertx, config.s3());
    this.publisher = new KafkaPublisher(vertx, config.kafka());
    publisher.bindMetrics(registry);
    this.membership = new Membership() {
      @Override
      public boolean clustered() {
        return clusterManager != null;
      }

      @Override
      public String name() {
        return config.cluster().name();
      }

      @Override
      public String self() {
        return clusterManager == null ? config.node().id() : clusterManager.getNodeId();
      }

      @Override
      public List<String> members() {
        return clusterManager == null ? List.of(self()) : clusterManager.getNodes();
      }
    };
    this.heartbeat = new Heartbeat(vertx, config, metrics, membership, publisher);
  }

  /** Histogram buckets of HTTP response times: 1 ms to 10 s. */
  private static final double[] HTTP_BUCKETS_NANOS = DoubleStream.of(
      1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000).map(ms -> ms * 1e6).toArray();

  /**
   * Starts a node: standalone, or, with {@code cluster.enabled}, joined to the other nodes of its cluster
   * (one event bus across them) before any verticle is deployed.
   */
  public static Future<GeohazardNode> start(AppConfig config) {
    // Production mode refused these when the configuration was read; a development node says what they are.
    List<String> findings = config.productionFindings();
    if (config.node().mode() == AppConfig.Mode.DEVELOPMENT && !findings.isEmpty()) {
      LOG.warn("development mode: a production node would refuse to start: {}", String.join("; ", findings));
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // HTTP server response times as Prometheus histograms (buckets for rate and quantile queries across nodes).
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().startsWith("vertx.http.server.response.time")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(HTTP_BUCKETS_NANOS).build().merge(config);
      }
    });
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
        // The HTTP server's request meters are metrics.RouteMeters' (route as the contract writes it, method,
        // status); these labels shape the library's other meters (HTTP clients: method and status).
        .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE)
        .setJvmMetricsEnabled(true));
    VertxBuilder builder = Vertx.builder().withMetrics(new NodeMetricsFactory(registry));
    Future<Vertx> started;
    HazelcastClusterManager clusterManager = null;
    if (config.cluster().enabled()) {
      options.setEventBusOptions(ClusterSetup.eventBusOptions(config.cluster()));
      clusterManager = ClusterSetup.clusterManager(config.cluster());
      started = builder.with(options).withClusterManager(clusterManager).buildClustered();
    } else {
      started = Future.succeededFuture(builder.with(options).build());
    }
    HazelcastClusterManager joined = clusterManager;
    return started.compose(vertx -> {
      Messages.registerCodecs(vertx.eventBus());
      GeohazardNode node = new GeohazardNode(vertx, config, registry, joined);
      if (joined != null) {
        LOG.info("joined cluster '{}' as {} ({} members)", config.cluster().name(), joined.getNodeId(),
            joined.getNodes().size());
      }
      return node.deploy()
          .map(v -> {
            node.heartbeat.start();
            return node;
          })
          .recover(error -> node.close().transform(ignored -> Future.failedFuture(error)));
    });
  }

  private Future<Void> deploy() {
    Future<Void> chain = Future.succeededFuture();
    if (config.node().runs(Role.API) || config.node().runs(Role.INFERENCE)) {
      // The bucket is needed to accept uploads and to fetch them; a store that is down only delays this.
      chain = chain.compose(v -> objectStore.ensureBucket().recover(error -> {
        LOG.warn("object store not reachable at start-up: {}", error.getMessage());
        return Future.succeededFuture();
      }));
    }
    if (config.node().runs(Role.PERSISTENCE)) {
      Erasure erasure = new Erasure(vertx, objectStore, cache);
      chain = chain.compose(v -> deploy(() -> new PersistenceVerticle(config.db(), config.kafka().claimGraceSeconds(),
          config.security().anonymousScopes().contains(Scope.PUBLISH), config.retention(), erasure::leftovers,
          metrics::retentionSweep),
          new DeploymentOptions()));
    }
    if (config.node().runs(Role.INFERENCE)) {
      // Event-loop verticles: batching state stays on each one's loop; decode and ORT runs go to its own
      // worker pools. One per GPU with CUDA or TensorRT (each pinned to its device), one on the CPU.
      List<Integer> devices = ExecutionProvider.fromConfig(config.model().executionProvider()).usesGpu()
          ? config.model().cudaDevices() : List.of(0);
      for (int device : devices) {
        chain = chain.compose(v -> deploy(() -> new InferenceVerticle(config, objectStore, cache, metrics, device),
            new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)));
      }
      modelInstaller = new ModelInstaller(vertx, devices, heartbeat::beat);
      chain = chain.map(v -> {
        modelInstaller.start(membership.self());
        return null;
      });
    }
    if (config.node().runs(Role.ALERTS)) {
      chain = chain.compose(v -> deploy(() -> new AlertsVerticle(config.alerts(), config.kafka().topicAlerts(), cache,
          publisher, metrics), new DeploymentOptions()));
    }
    if (config.node().runs(Role.PIPELINE)) {
      chain = chain.compose(v -> deploy(() -> new ConsumerVerticle(config.kafka(), config.redis(), cache, publisher,
          metrics, config.node().id()), new DeploymentOptions()));
    }
    if (!config.node().runs(Role.API) && config.node().metricsPort() > 0) {
      // A worker's meters (consumer lag, inference timers) would otherwise be visible nowhere. vertx-micrometer's
      // handler (GET /metrics, 404 elsewhere) on a server of this node's, not its embedded one: that one runs on a
      // Vert.x instance of its own, finds its registry by a JVM-wide name and only logs a port it cannot bind.
      chain = chain.compose(v -> vertx.createHttpServer()
          .requestHandler(PrometheusRequestHandler.create(registry, METRICS_PATH))
          .listen(config.node().metricsPort(), config.http().host())
          .onSuccess(server -> LOG.info("/metrics on port {}", server.actualPort()))
          .mapEmpty());
    }
    if (config.node().runs(Role.API)) {
      chain = chain
          .compose(v -> vertx.fileSystem().readFile(CONTRACT_RESOURCE))
          .compose(text -> OpenAPIContract.from(vertx, CONTRACT_RESOURCE).compose(contract -> {
            String yaml = text.toString();
            return deploy(() -> {
              ApiVerticle verticle = new ApiVerticle(config, cache, objectStore, publisher, metrics, registry,
                  membership, contract, yaml);
              if (api == null) {
                api = verticle;
              }
              return verticle;
            }, new DeploymentOptions().setInstances(config.http().instances()));
          }));
    }
    return chain;
  }

  private Future<Void> deploy(Supplier<Deployable> verticle, DeploymentOptions options) {
    return vertx.deployVerticle(verticle, options).mapEmpty();
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppConfig config() {
    return config;
  }

  /** The node's object store (tests store bytes the way an upload would). */
  public ObjectStore objectStore() {
    return objectStore;
  }

  /** The node's Kafka producer (tests and benchmarks send claims through it). */
  public KafkaPublisher publisher() {
    return publisher;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  /** The ids of the cluster's members as this node sees them; this node alone when it is standalone. */
  public List<String> clusterMembers() {
    return membership.members();
  }

  /** The HTTP port actually bound (the configured one, or the one chosen for port 0). */
  public int httpPort() {
    return api == null ? -1 : api.actualPort();
  }

  public Future<Void> close() {
    // Verticles first (the inference verticle closes its session only after its last run), then services.
    heartbeat.stop();
    return vertx.close().onComplete(done -> {
      publisher.close();
      objectStore.close();
      cache.close();
    });
  }

}
