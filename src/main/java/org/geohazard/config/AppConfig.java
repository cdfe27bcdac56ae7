package org.geohazard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.geohazard.auth.ClientAddress;
import org.geohazard.auth.Scope;

/**
 * The validated node configuration. Each section is a record whose compact constructor checks its
 * invariants, so a node with a bad value stops at start-up with a message that names the key.
 *
 * <p>Why one file over 400 lines: it is a catalogue, not logic. Its 17 nested records (and two enums) are the
 * sections of the configuration file, one record per JSON object, and {@link #fromJson} maps that tree onto them in
 * one place, so a new key is added to its record and to that mapping side by side. As top-level classes their short
 * names ({@code Db}, {@code Model}, {@code Node}, {@code Limits}) would no longer say what they are without the
 * {@code AppConfig.} qualifier that 41 files use, and renaming them ({@code DbConfig}, ...) everywhere would change
 * no behaviour.
 */
public record AppConfig(
    Node node,
    Http http,
    Limits limits,
    RateLimit rateLimit,
    Db db,
    Redis redis,
    Kafka kafka,
    S3 s3,
    Model model,
    Batcher batcher,
    Scenes scenes,
    Alerts alerts,
    Cluster cluster,
    Security security,
    References references,
    Retention retention) {

  public AppConfig {
    List<String> findings = ProductionReadiness.findings(http, db, redis, s3, security, cluster);
    require(node.mode() != Mode.PRODUCTION || findings.isEmpty(),
        "node.mode is production, and these settings are not fit for it: " + String.join("; ", findings)
            + " (set node.mode: development to start anyway)");
    // Pixels never cross nodes: the consumer hands claims to the inference verticle of its own node.
    require(!node.runs(Role.PIPELINE) || node.runs(Role.INFERENCE),
        "node.roles: a node with the pipeline role needs the inference role too (claims are analysed where they"
            + " are consumed; an API-only node has neither)");
  }

  /** What a node accepts: development starts with the local stack's defaults, production refuses them. */
  public enum Mode {
    DEVELOPMENT, PRODUCTION
  }

  /** What production mode would refuse in this configuration (empty: nothing); logged in development. */
  public List<String> productionFindings() {
    return ProductionReadiness.findings(http, db, redis, s3, security, cluster);
  }

  public enum Role {
    API, PIPELINE, INFERENCE, PERSISTENCE, ALERTS
  }

  /**
   * @param metricsPort where a node without the api role serves /metrics (0: it does not)
   * @param mode production refuses to start with default credentials, a missing admin token or plain HTTP
   */
  public record Node(String id, Set<Role> roles, int metricsPort, Mode mode) {
    public Node {
      require(!roles.isEmpty(), "node.roles must name at least one role");
      require(metricsPort >= 0 && metricsPort <= 65535, "node.metricsPort must be 0..65535");
    }

    public boolean runs(Role role) {
      return roles.contains(role);
    }
  }

  /**
   * @param adminToken the shared secret of the admin calls (model changes); blank: admin calls are refused
   * @param tls the server's certificate; none set: plain HTTP
   */
  public record Http(String host, int port, int instances, long maxBodyBytes, String uploadsDir, String adminToken,
                     Tls tls) {
    public Http {
      adminToken = adminToken == null ? "" : adminToken;
      require(adminToken.isEmpty() || adminToken.length() >= 16, "http.adminToken must be blank or >= 16 characters");
      require(port >= 0 && port <= 65535, "http.port must be 0..65535");
      require(instances >= 1, "http.instances must be >= 1");
      require(maxBodyBytes > 0, "http.maxBodyBytes must be > 0");
    }

    /** Never the admin token: a logged configuration must not hand out the admin's credential. */
    @Override
    public String toString() {
      return "Http[host=" + host + ", port=" + port + ", instances=" + instances + ", maxBodyBytes=" + maxBodyBytes
          + ", uploadsDir=" + uploadsDir + ", adminToken=" + (adminToken.isEmpty() ? "(none)" : "(set)")
          + ", tls=" + tls + "]";
    }
  }

  /**
   * The HTTP server's certificate: a PEM certificate chain and its PEM private key, or a PKCS#12 key store (one of
   * the two, never both). Files are checked readable at start-up, so a wrong path stops the node with the key.
   */
  public record Tls(String certPath, String keyPath, String keyStorePath, String keyStorePassword) {
    public Tls {
      certPath = certPath == null ? "" : certPath.trim();
      keyPath = keyPath == null ? "" : keyPath.trim();
      keyStorePath = keyStorePath == null ? "" : keyStorePath.trim();
      keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
      require(certPath.isEmpty() == keyPath.isEmpty(), "http.tls.certPath and http.tls.keyPath go together");
      require(certPath.isEmpty() || keyStorePath.isEmpty(),
          "http.tls: set either certPath/keyPath (PEM) or keyStorePath (PKCS#12), not both");
      requireReadable(certPath, "http.tls.certPath");
      requireReadable(keyPath, "http.tls.keyPath");
      requireReadable(keyStorePath, "http.tls.keyStorePath");
    }

    public boolean enabled() {
      return !certPath.isEmpty() || !keyStorePath.isEmpty();
    }

    public boolean pem() {
      return !certPath.isEmpty();
    }

    @Override
    public String toString() {
      return !enabled() ? "off" : pem() ? "pem " + certPath : "pkcs12 " + keyStorePath; // never the password
    }
  }

  private static void requireReadable(String path, String key) {
    require(path.isEmpty() || Files.isReadable(Path.of(path)), key + ": cannot read " + path);
  }

  /**
   * @param anonymousScopes what a caller without an API key is granted where the contract lets it be anonymous;
   *     {@code operate} and {@code admin} never are
   * @param trustedProxies addresses of the reverse proxies whose {@code X-Forwarded-For} names the client; empty:
   *     the peer address is the client
   * @param failedKeyAttemptsPerWindow unknown keys one client address may present per rate-limit window before it
   *     gets 429 without a lookup
   */
  public record Security(Set<Scope> anonymousScopes, List<String> trustedProxies,
                         int failedKeyAttemptsPerWindow) {
    public Security {
      require(failedKeyAttemptsPerWindow >= 1, "security.failedKeyAttemptsPerWindow must be >= 1");
      anonymousScopes = Set.copyOf(anonymousScopes);
      trustedProxies = List.copyOf(trustedProxies);
      try {
        new ClientAddress(trustedProxies);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("security.trustedProxies: " + e.getMessage());
      }
      require(!anonymousScopes.contains(Scope.OPERATE)
              && !anonymousScopes.contains(Scope.ADMIN),
          "security.anonymousScopes may hold read, upload and publish only");
    }
  }

  public record Limits(long maxPixels, int maxDimension, long maxScenePixels, int maxSceneDimension,
                       int maxBatchFiles) {
    public Limits {
      require(maxPixels > 0, "limits.maxPixels must be > 0");
      require(maxDimension > 0, "limits.maxDimension must be > 0");
      require(maxScenePixels >= maxPixels, "limits.maxScenePixels must be >= limits.maxPixels");
      require(maxSceneDimension >= maxDimension, "limits.maxSceneDimension must be >= limits.maxDimension");
      require(maxBatchFiles >= 1, "limits.maxBatchFiles must be >= 1");
    }
  }

  /**
   * @param syncMs how often a node adds its local counts to the shared ones in Redis
   * @param bytesPerWindow upload bytes one client (key, else address) may send per window (0: not limited)
   * @param pixelsPerWindow image pixels one client may upload per window (0: not limited)
   * @param streamsPerClient alert streams one client may hold open on one node at once
   * @param webhooksPerKey webhook subscriptions one tenant may hold
   */
  public record RateLimit(int requestsPerWindow, int windowSeconds, long syncMs, long bytesPerWindow,
                          long pixelsPerWindow, int streamsPerClient, int webhooksPerKey) {
    public RateLimit {
      require(requestsPerWindow >= 1, "rateLimit.requestsPerWindow must be >= 1");
      require(windowSeconds >= 1, "rateLimit.windowSeconds must be >= 1");
      require(syncMs >= 10, "rateLimit.syncMs must be >= 10");
      require(bytesPerWindow >= 0 && pixelsPerWindow >= 0, "rateLimit.bytesPerWindow and pixelsPerWindow must be >= 0"
          + " (0: not limited)");
      require(streamsPerClient >= 1, "rateLimit.streamsPerClient must be >= 1");
      require(webhooksPerKey >= 1, "rateLimit.webhooksPerKey must be >= 1");
    }
  }

  /**
   * How long data is kept, in days (0: kept until deleted); swept every {@code sweepIntervalMs} by one node at a
   * time ({@code lifecycle.RetentionSweeper}).
   *
   * @param uploadDays uploads older than this are deleted as their owner's {@code DELETE} would (the content, its
   *     object and analyses with the last upload of it)
   * @param shadowDays shadow comparisons (candidate models' analyses) older than this
   * @param usageDays usage rows (they hold client addresses) older than this
   * @param unverifiedAlertDays unverified and rejected alerts (never public) older than this
   * @param sweepIntervalMs how often a node tries to sweep (0: never)
   */
  public record Retention(int uploadDays, int shadowDays, int usageDays, int unverifiedAlertDays,
                          long sweepIntervalMs) {
    public Retention {
      require(uploadDays >= 0 && shadowDays >= 0 && usageDays >= 0 && unverifiedAlertDays >= 0,
          "retention.*Days must be >= 0 (0: kept)");
      require(sweepIntervalMs == 0 || sweepIntervalMs >= 1000, "retention.sweepIntervalMs must be 0 (off) or >= 1000");
    }
  }

  /**
   * @param sslMode the MariaDB client's TLS mode: disabled (the client's default), preferred, required, verify_ca,
   *     verify_identity
   * @param trustCertPath PEM certificate(s) of the authority that signed the server's certificate; empty: the JVM's
   */
  public record Db(String host, int port, String name, String user, String password, int poolSize,
                   String replicaHost, int replicaPort, String sslMode, String trustCertPath) {
    public Db {
      sslMode = sslMode == null || sslMode.isBlank() ? "disabled" : sslMode.trim().toLowerCase(Locale.ROOT);
      trustCertPath = trustCertPath == null ? "" : trustCertPath.trim();
      require(List.of("disabled", "preferred", "required", "verify_ca", "verify_identity").contains(sslMode),
          "db.sslMode must be disabled, preferred, required, verify_ca or verify_identity");
      requireReadable(trustCertPath, "db.trustCertPath");
      require(!host.isBlank(), "db.host must be set");
      require(!name.isBlank(), "db.name must be set");
      require(poolSize >= 1, "db.poolSize must be >= 1");
    }

    public boolean hasReplica() {
      return replicaHost != null && !replicaHost.isBlank();
    }

    @Override
    public String toString() {
      return "Db[" + user + "@" + host + ":" + port + "/" + name + "]"; // never print the password
    }
  }

  /**
   * @param database the Redis logical database (0-15): two deployments, or tests and a node, on one server
   * @param tls connect with TLS ({@code rediss://})
   * @param trustCertPath PEM certificate(s) of the authority that signed the server's certificate; empty: the JVM's
   */
  public record Redis(String host, int port, String password, int database, int analysisTtlSeconds,
                      int resultTtlSeconds, int alertsTtlSeconds, long nearCacheBytes, boolean tls,
                      String trustCertPath) {
    /** Without TLS. */
    public Redis(String host, int port, String password, int database, int analysisTtlSeconds, int resultTtlSeconds,
                 int alertsTtlSeconds, long nearCacheBytes) {
      this(host, port, password, database, analysisTtlSeconds, resultTtlSeconds, alertsTtlSeconds, nearCacheBytes,
          false, "");
    }

    public Redis {
      trustCertPath = trustCertPath == null ? "" : trustCertPath.trim();
      requireReadable(trustCertPath, "redis.trustCertPath");
      require(analysisTtlSeconds > 0 && resultTtlSeconds > 0 && alertsTtlSeconds > 0, "redis.*TtlSeconds must be > 0");
      require(database >= 0 && database <= 15, "redis.database must be 0..15");
    }

    public String uri() {
      String auth = password == null || password.isEmpty() ? ""
          : ":" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@";
      return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
      return "Redis[" + host + ":" + port + "/" + database + "]"; // never print the password
    }
  }

  public record Kafka(String bootstrap, String consumerGroup, String topicProcess, String topicProcessHigh,
                      String topicDlq, String topicResults, String topicAlerts, String topicMonitoring,
                      int maxInFlight, int maxAttempts, long retryBackoffMs, long commitIntervalMs,
                      int producerLingerMs, long attemptTimeoutMs, int claimGraceSeconds, long sweepIntervalMs, long sessionTimeoutMs,
                      long claimLeaseMs, long outageRetryMs, long monitoringIntervalMs, int requeueAfterSeconds,
                      KafkaTls tls) {
    public Kafka {
      require(claimLeaseMs >= 1000, "kafka.claimLeaseMs must be >= 1000");
      require(sessionTimeoutMs >= 6000 && sessionTimeoutMs <= 300_000,
          "kafka.sessionTimeoutMs must be 6000..300000 (the broker's group.min/max.session.timeout.ms)");
      require(claimGraceSeconds >= 1, "kafka.claimGraceSeconds must be >= 1");
      require(sweepIntervalMs >= 0, "kafka.sweepIntervalMs must be >= 0 (0: no sweeping)");
      require(!bootstrap.isBlank(), "kafka.bootstrap must be set");
      require(maxInFlight >= 1, "kafka.maxInFlight must be >= 1");
      require(maxAttempts >= 1, "kafka.maxAttempts must be >= 1");
      require(retryBackoffMs >= 0, "kafka.retryBackoffMs must be >= 0");
      require(commitIntervalMs >= 0, "kafka.commitIntervalMs must be >= 0");
      require(producerLingerMs >= 0, "kafka.producerLingerMs must be >= 0");
      require(attemptTimeoutMs > 0, "kafka.attemptTimeoutMs must be > 0");
    }
  }

  /**
   * @param trustCertPath PEM certificate(s) of the authority that signed an https endpoint's certificate; empty: the
   *     JVM's
   */
  public record S3(String endpoint, String region, String accessKey, String secretKey, String bucket, int workerThreads,
                   long recentBytes, int recentObjectMaxBytes, String trustCertPath) {
    /** Trusting the JVM's authorities. */
    public S3(String endpoint, String region, String accessKey, String secretKey, String bucket, int workerThreads,
              long recentBytes, int recentObjectMaxBytes) {
      this(endpoint, region, accessKey, secretKey, bucket, workerThreads, recentBytes, recentObjectMaxBytes, "");
    }

    public S3 {
      trustCertPath = trustCertPath == null ? "" : trustCertPath.trim();
      requireReadable(trustCertPath, "s3.trustCertPath");
      require(!bucket.isBlank(), "s3.bucket must be set");
      require(workerThreads >= 1, "s3.workerThreads must be >= 1");
      require(recentBytes >= 0 && recentObjectMaxBytes >= 0, "s3.recent* sizes must be >= 0");
    }

    @Override
    public String toString() {
      return "S3[" + endpoint + "/" + bucket + "]"; // never print the secret
    }
  }

  /**
   * TLS to the Kafka brokers.
   *
   * @param securityProtocol PLAINTEXT or SSL (Kafka's {@code security.protocol})
   * @param trustStorePath the brokers' authority: a PKCS#12/JKS trust store, or PEM certificates (.pem, .crt);
   *     empty: the JVM's
   * @param trustStorePassword the trust store's password (none for PEM)
   */
  public record KafkaTls(String securityProtocol, String trustStorePath, String trustStorePassword) {
    public KafkaTls {
      securityProtocol = securityProtocol == null || securityProtocol.isBlank() ? "PLAINTEXT"
          : securityProtocol.trim().toUpperCase(Locale.ROOT);
      trustStorePath = trustStorePath == null ? "" : trustStorePath.trim();
      trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
      require(securityProtocol.equals("PLAINTEXT") || securityProtocol.equals("SSL"),
          "kafka.securityProtocol must be PLAINTEXT or SSL");
      require(trustStorePath.isEmpty() || securityProtocol.equals("SSL"),
          "kafka.trustStorePath is set but kafka.securityProtocol is not SSL");
      requireReadable(trustStorePath, "kafka.trustStorePath");
    }

    @Override
    public String toString() {
      return "KafkaTls[" + securityProtocol + ", " + (trustStorePath.isEmpty() ? "JVM trust" : trustStorePath) + "]";
    }
  }

  public record Model(List<Path> paths, List<String> classNames, int inputSize, float confThreshold, float iouThreshold,
                      int maxDetections, String executionProvider, List<Integer> cudaDevices, int intraOpThreads,
                      int interOpThreads, boolean allowSpinning) {
    public Model {
      paths = List.copyOf(paths);
      require(!paths.isEmpty(), "model.paths must name at least one model file");
      require(inputSize >= 32 && inputSize % 32 == 0, "model.inputSize must be a multiple of 32 (>= 32)");
      require(confThreshold > 0 && confThreshold < 1, "model.confThreshold must be in (0, 1)");
      require(iouThreshold > 0 && iouThreshold <= 1, "model.iouThreshold must be in (0, 1]");
      require(maxDetections >= 1, "model.maxDetections must be >= 1");
      require(executionProvider.equals("cpu") || executionProvider.equals("cuda")
              || executionProvider.equals("tensorrt"),
          "model.executionProvider must be cpu, cuda or tensorrt");
      require(intraOpThreads >= 0 && interOpThreads >= 0, "model.*OpThreads must be >= 0 (0 = ORT default)");
      require(!cudaDevices.isEmpty() && cudaDevices.stream().allMatch(id -> id >= 0)
          && cudaDevices.stream().distinct().count() == cudaDevices.size(),
          "model.cudaDevices must list distinct device ids >= 0");
    }
  }

  public record Batcher(int maxBatch, long maxDelayMs, int preprocessThreads) {
    public Batcher {
      require(maxBatch >= 1, "batcher.maxBatch must be >= 1");
      require(maxDelayMs >= 0, "batcher.maxDelayMs must be >= 0");
      require(preprocessThreads >= 1, "batcher.preprocessThreads must be >= 1");
    }
  }

  public record Scenes(int tileAboveSide, double tileOverlap, int maxTilesPerSideUnknownScale, int tilesInFlight,
                       String defaultBands, long progressIntervalMs) {
    public Scenes {
      require(tileAboveSide >= 32, "scenes.tileAboveSide must be >= 32");
      require(maxTilesPerSideUnknownScale >= 1, "scenes.maxTilesPerSideUnknownScale must be >= 1");
      require(tileOverlap >= 0 && tileOverlap < 0.9, "scenes.tileOverlap must be in [0, 0.9)");
      require(tilesInFlight >= 1, "scenes.tilesInFlight must be >= 1");
      require(defaultBands.isBlank() || defaultBands.matches("\\s*\\d+\\s*(,\\s*\\d+\\s*)*"),
          "scenes.defaultBands must be empty or 1-based band numbers like 4,3,2");
      require(progressIntervalMs >= 0, "scenes.progressIntervalMs must be >= 0");
    }
  }

  /**
   * Clustering: nodes with {@code enabled} share one event bus through Hazelcast (TCP/IP discovery).
   *
   * @param host the address this node binds and announces for cluster and event-bus traffic
   * @param port the first Hazelcast member port tried (the next free one up to {@code port + 9} is taken)
   * @param members where other members may be ({@code host} or {@code host:port}); empty: this machine
   * @param eventBusPort the clustered event bus's own port; 0 picks a free one
   * @param kubernetesServiceDns a headless service's DNS name: members are found through Kubernetes DNS
   *     instead of {@code members} (empty: TCP/IP discovery)
   * @param interfaces the local addresses Hazelcast may bind (Hazelcast's interface patterns, {@code 10.0.*.*},
   *     {@code 10.0.1.4-18}); empty: {@code host} when it is an IP address. Bound ones only, never the wildcard
   * @param tls event-bus TLS with a certificate on both ends of every connection; off: plain TCP
   */
  public record Cluster(boolean enabled, String name, String host, int port, List<String> members, int eventBusPort,
                        String kubernetesServiceDns, List<String> interfaces, ClusterTls tls) {
    public Cluster {
      members = List.copyOf(members);
      interfaces = List.copyOf(interfaces);
      require(interfaces.stream().allMatch(i -> i.matches("[0-9*]{1,3}(-[0-9]{1,3})?(\\.[0-9*]{1,3}(-[0-9]{1,3})?){3}")),
          "cluster.interfaces must be IPv4 addresses or patterns like 10.0.*.* or 10.0.1.4-18");
      require(!name.isBlank(), "cluster.name must not be empty");
      require(port > 0 && port <= 65535 - 9, "cluster.port must be 1..65526");
      require(eventBusPort >= 0 && eventBusPort <= 65535, "cluster.eventBusPort must be 0..65535");
      require(members.stream().allMatch(m -> m.matches("[A-Za-z0-9.:\\[\\]-]+(:\\d+)?")),
          "cluster.members must be host or host:port entries");
    }
  }

  /**
   * Event-bus TLS between nodes ({@code cluster.tls}): this node's certificate and key (a PEM pair, or a PKCS#12 key
   * store) and the authority that signs the nodes' certificates (PEM certificates, or a PKCS#12 trust store). Every
   * bus connection is mutual: the receiving node requires the sender's certificate too (client authentication
   * required), so a process without a certificate from that authority exchanges no message with the nodes. Host
   * names are not checked (Vert.x's cluster client does not, nodes are addressed by IP): the authority is the
   * membership, so it should sign the cluster's node certificates and nothing else. All set, or none.
   */
  public record ClusterTls(String certPath, String keyPath, String keyStorePath, String keyStorePassword,
                           String trustCertPath, String trustStorePath, String trustStorePassword) {
    public ClusterTls {
      certPath = certPath == null ? "" : certPath.trim();
      keyPath = keyPath == null ? "" : keyPath.trim();
      keyStorePath = keyStorePath == null ? "" : keyStorePath.trim();
      keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
      trustCertPath = trustCertPath == null ? "" : trustCertPath.trim();
      trustStorePath = trustStorePath == null ? "" : trustStorePath.trim();
      trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
      require(certPath.isEmpty() == keyPath.isEmpty(), "cluster.tls.certPath and cluster.tls.keyPath go together");
      require(certPath.isEmpty() || keyStorePath.isEmpty(),
          "cluster.tls: set either certPath/keyPath (PEM) or keyStorePath (PKCS#12), not both");
      require(trustCertPath.isEmpty() || trustStorePath.isEmpty(),
          "cluster.tls: set either trustCertPath (PEM) or trustStorePath (PKCS#12), not both");
      boolean hasKey = !certPath.isEmpty() || !keyStorePath.isEmpty();
      boolean hasTrust = !trustCertPath.isEmpty() || !trustStorePath.isEmpty();
      require(hasKey == hasTrust, "cluster.tls needs both this node's certificate (certPath/keyPath or keyStorePath)"
          + " and the nodes' authority (trustCertPath or trustStorePath): every connection is checked both ways");
      for (String[] file : new String[][] {{certPath, "certPath"}, {keyPath, "keyPath"},
          {keyStorePath, "keyStorePath"}, {trustCertPath, "trustCertPath"}, {trustStorePath, "trustStorePath"}}) {
        requireReadable(file[0], "cluster.tls." + file[1]);
      }
    }

    public boolean enabled() {
      return !certPath.isEmpty() || !keyStorePath.isEmpty();
    }

    public boolean pem() {
      return !certPath.isEmpty();
    }

    @Override
    public String toString() {
      return !enabled() ? "off" : (pem() ? "pem " + certPath : "pkcs12 " + keyStorePath) + ", trust "
          + (trustCertPath.isEmpty() ? trustStorePath : trustCertPath); // never a password
    }
  }

  /**
   * How alert subscriptions (webhooks) are delivered.
   *
   * @param allowPrivateTargets deliver to loopback, private and link-local addresses too (tests, closed networks)
   * @param maxAttempts attempts per delivery, the first included
   * @param retryBaseMs first retry delay; it doubles each attempt, with up to half of it added or taken at random
   * @param timeoutMs one attempt's limit
   * @param disableAfterFailures failed deliveries in a row that disable a subscription
   */
  public record Webhooks(boolean allowPrivateTargets, int maxAttempts, long retryBaseMs, long timeoutMs,
                         int disableAfterFailures) {
    public Webhooks {
      require(maxAttempts >= 1, "alerts.webhooks.maxAttempts must be >= 1");
      require(retryBaseMs >= 1, "alerts.webhooks.retryBaseMs must be >= 1");
      require(timeoutMs >= 100, "alerts.webhooks.timeoutMs must be >= 100");
      require(disableAfterFailures >= 1, "alerts.webhooks.disableAfterFailures must be >= 1");
    }
  }

  /**
   * Alerts raised from stored analyses.
   *
   * @param ttlHours alerts expire this long after they are raised (or last merged)
   * @param minRiskLevel alerts are raised for results at or above this risk level: medium, high or critical
   * @param capSender the {@code sender} of the CAP messages (an address of the operator's)
   * @param webhooks how subscriptions are delivered
   */
  public record Alerts(int ttlHours, String minRiskLevel, String capSender, Webhooks webhooks) {
    public Alerts {
      require(ttlHours >= 1, "alerts.ttlHours must be >= 1");
      require(List.of("medium", "high", "critical").contains(minRiskLevel),
          "alerts.minRiskLevel must be medium, high or critical");
    }
  }

  /**
   * Scenes analysed where they lie ({@code POST /api/v1/analyze/reference}): {@code s3://} references in the node's
   * own bucket are always read; {@code https://} ones only when enabled, from the hosts listed, and only from hosts
   * that resolve to public addresses (the webhooks' check), since each read is a request made on a caller's behalf.
   *
   * @param httpsAllowedHosts host names ({@code *.example.org}: its subdomains)
   * @param httpsTimeoutMs one ranged request's limit, connection included
   */
  public record References(boolean httpsEnabled, List<String> httpsAllowedHosts, long httpsTimeoutMs) {
    /** https off: a configuration without the section. */
    public static final References OFF = new References(false, List.of(), 30_000);

    public References {
      httpsAllowedHosts = httpsAllowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
      require(httpsTimeoutMs >= 100, "references.httpsTimeoutMs must be >= 100");
      require(!httpsEnabled || !httpsAllowedHosts.isEmpty(),
          "references.httpsEnabled needs references.httpsAllowedHosts (the hosts scenes may be read from)");
    }
  }

  /** Builds and validates the records from the merged JSON tree (see {@link ConfigLoader}). */
  public static AppConfig fromJson(JsonObject json) {
    try {
      JsonObject node = json.getJsonObject("node");
      JsonObject http = json.getJsonObject("http");
      JsonObject limits = json.getJsonObject("limits");
      JsonObject rate = json.getJsonObject("rateLimit");
      JsonObject db = json.getJsonObject("db");
      JsonObject redis = json.getJsonObject("redis");
      JsonObject kafka = json.getJsonObject("kafka");
      JsonObject s3 = json.getJsonObject("s3");
      JsonObject model = json.getJsonObject("model");
      JsonObject batcher = json.getJsonObject("batcher");
      JsonObject scenes = json.getJsonObject("scenes");
      JsonObject alerts = json.getJsonObject("alerts");
      JsonObject cluster = json.getJsonObject("cluster");
      JsonObject security = json.getJsonObject("security");
      return new AppConfig(
          new Node(nodeId(node.getString("id")), roles(node.getJsonArray("roles")), node.getInteger("metricsPort"),
              mode(node.getString("mode"))),
          new Http(http.getString("host"), http.getInteger("port"),
              http.getInteger("instances"), http.getLong("maxBodyBytes"), http.getString("uploadsDir"),
              text(http.getValue("adminToken")), tls(http.getJsonObject("tls"))),
          new Limits(limits.getLong("maxPixels"), limits.getInteger("maxDimension"), limits.getLong("maxScenePixels"),
              limits.getInteger("maxSceneDimension"), limits.getInteger("maxBatchFiles")),
          new RateLimit(rate.getInteger("requestsPerWindow"), rate.getInteger("windowSeconds"),
              rate.getLong("syncMs"), rate.getLong("bytesPerWindow"), rate.getLong("pixelsPerWindow"),
              rate.getInteger("streamsPerClient"), rate.getInteger("webhooksPerKey")),
          new Db(db.getString("host"), db.getInteger("port"), db.getString("name"), db.getString("user"),
              text(db.getValue("password")), db.getInteger("poolSize"), db.getString("replicaHost"),
              db.getInteger("replicaPort"), text(db.getValue("sslMode")), text(db.getValue("trustCertPath"))),
          new Redis(redis.getString("host"), redis.getInteger("port"), text(redis.getValue("password")),
              redis.getInteger("database"), redis.getInteger("analysisTtlSeconds"),
              redis.getInteger("resultTtlSeconds"), redis.getInteger("alertsTtlSeconds"),
              redis.getLong("nearCacheBytes"), redis.getBoolean("tls"), text(redis.getValue("trustCertPath"))),
          new Kafka(kafka.getString("bootstrap"), kafka.getString("consumerGroup"), kafka.getString("topicProcess"),
              kafka.getString("topicProcessHigh"), kafka.getString("topicDlq"), kafka.getString("topicResults"),
              kafka.getString("topicAlerts"), kafka.getString("topicMonitoring"), kafka.getInteger("maxInFlight"),
              kafka.getInteger("maxAttempts"), kafka.getLong("retryBackoffMs"), kafka.getLong("commitIntervalMs"),
              kafka.getInteger("producerLingerMs"), kafka.getLong("attemptTimeoutMs"),
              kafka.getInteger("claimGraceSeconds"), kafka.getLong("sweepIntervalMs"),
              kafka.getLong("sessionTimeoutMs"), kafka.getLong("claimLeaseMs"), kafka.getLong("outageRetryMs"),
              kafka.getLong("monitoringIntervalMs"), kafka.getInteger("requeueAfterSeconds"),
              new KafkaTls(text(kafka.getValue("securityProtocol")), text(kafka.getValue("trustStorePath")),
                  text(kafka.getValue("trustStorePassword")))),
          new S3(s3.getString("endpoint"), s3.getString("region"), s3.getString("accessKey"),
              text(s3.getValue("secretKey")), s3.getString("bucket"), s3.getInteger("workerThreads"),
              s3.getLong("recentBytes"), s3.getInteger("recentObjectMaxBytes"), text(s3.getValue("trustCertPath"))),
          new Model(strings(model.getJsonArray("paths")).stream().map(Path::of).toList(),
              strings(model.getJsonArray("classNames")),
              model.getInteger("inputSize"), model.getFloat("confThreshold"), model.getFloat("iouThreshold"),
              model.getInteger("maxDetections"), model.getString("executionProvider").toLowerCase(Locale.ROOT),
              integers(model.getJsonArray("cudaDevices"), "model.cudaDevices"), model.getInteger("intraOpThreads"), model.getInteger("interOpThreads"),
              model.getBoolean("allowSpinning")),
          new Batcher(batcher.getInteger("maxBatch"), batcher.getLong("maxDelayMs"),
              batcher.getInteger("preprocessThreads")),
          new Scenes(scenes.getInteger("tileAboveSide"), scenes.getDouble("tileOverlap"),
              scenes.getInteger("maxTilesPerSideUnknownScale"), scenes.getInteger("tilesInFlight"), text(scenes.getValue("defaultBands")),
              scenes.getLong("progressIntervalMs")),
          new Alerts(alerts.getInteger("ttlHours"), alerts.getString("minRiskLevel"), alerts.getString("capSender"),
              webhooks(alerts.getJsonObject("webhooks"))),
          new Cluster(cluster.getBoolean("enabled"), cluster.getString("name"), cluster.getString("host"),
              cluster.getInteger("port"), strings(cluster.getJsonArray("members")), cluster.getInteger("eventBusPort"),
              text(cluster.getValue("kubernetesServiceDns")),
              strings(cluster.getJsonArray("interfaces")).stream().filter(s -> !s.isBlank()).toList(),
              clusterTls(cluster.getJsonObject("tls"))),
          new Security(scopes(security.getJsonArray("anonymousScopes")),
              strings(security.getJsonArray("trustedProxies")).stream().filter(s -> !s.isBlank()).toList(),
              security.getInteger("failedKeyAttemptsPerWindow")),
          references(json.getJsonObject("references")),
          retention(json.getJsonObject("retention")));
    } catch (ClassCastException | NullPointerException e) {
      throw new ConfigException("configuration has a missing or mistyped value: " + e.getMessage());
    }
  }

  private static Tls tls(JsonObject t) {
    return new Tls(text(t.getValue("certPath")), text(t.getValue("keyPath")), text(t.getValue("keyStorePath")),
        text(t.getValue("keyStorePassword")));
  }

  private static ClusterTls clusterTls(JsonObject t) {
    return new ClusterTls(text(t.getValue("certPath")), text(t.getValue("keyPath")), text(t.getValue("keyStorePath")),
        text(t.getValue("keyStorePassword")), text(t.getValue("trustCertPath")), text(t.getValue("trustStorePath")),
        text(t.getValue("trustStorePassword")));
  }

  private static Mode mode(String configured) {
    try {
      return Mode.valueOf(configured.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("node.mode: '" + configured + "' is neither development nor production");
    }
  }

  private static References references(JsonObject r) {
    if (r == null) {
      return References.OFF;
    }
    Object hosts = r.getValue("httpsAllowedHosts");
    List<String> allowed = hosts instanceof JsonArray array ? strings(array)
        : hosts == null ? List.of() : List.of(hosts.toString().split(","));
    return new References(r.getBoolean("httpsEnabled", false), allowed, r.getLong("httpsTimeoutMs", 30_000L));
  }

  private static Retention retention(JsonObject r) {
    return new Retention(r.getInteger("uploadDays"), r.getInteger("shadowDays"), r.getInteger("usageDays"),
        r.getInteger("unverifiedAlertDays"), r.getLong("sweepIntervalMs"));
  }

  private static Webhooks webhooks(JsonObject w) {
    return new Webhooks(w.getBoolean("allowPrivateTargets"), w.getInteger("maxAttempts"), w.getLong("retryBaseMs"),
        w.getLong("timeoutMs"), w.getInteger("disableAfterFailures"));
  }

  private static Set<Scope> scopes(JsonArray array) {
    try {
      return Scope.of(strings(array).stream().filter(s -> !s.isBlank()).toList());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("security.anonymousScopes: " + e.getMessage());
    }
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    for (Object item : array) {
      out.add(String.valueOf(item));
    }
    return List.copyOf(out);
  }

  private static List<Integer> integers(JsonArray array, String key) {
    List<Integer> out = new ArrayList<>();
    for (Object item : array) {
      try {
        out.add(Integer.parseInt(String.valueOf(item).trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(key + ": '" + item + "' is not a number");
      }
    }
    return List.copyOf(out);
  }

  private static Set<Role> roles(JsonArray array) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object item : array) {
      String name = String.valueOf(item).trim().toUpperCase(Locale.ROOT);
      try {
        roles.add(Role.valueOf(name));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("node.roles: unknown role '" + item + "' (api, pipeline, inference, persistence, alerts)");
      }
    }
    return roles;
  }

  private static String nodeId(String configured) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "node";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new ConfigException(message);
    }
  }
}
