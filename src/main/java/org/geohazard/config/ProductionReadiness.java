package org.geohazard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.geohazard.auth.Scope;

/**
 * What a production node must not run with: the credentials the local stack and the shipped defaults use, a
 * missing admin token, plain HTTP, anonymous publication, a cluster whose event bus is plain TCP. Each finding names
 * the configuration key to change, so one start-up message lists everything an operator has to set, not the first
 * thing only.
 *
 * <p>Pure: it reads the configured values and nothing else (it does not try the credentials).
 */
public final class ProductionReadiness {

  /** The object store keys of {@code scripts/local-stack.sh} and of the shipped defaults. */
  static final Set<String> LOCAL_STACK_S3_KEYS = Set.of("geohazard", "geohazard-secret");

  private ProductionReadiness() {}

  /** The settings a production node refuses, each naming its key; empty when there are none. */
  public static List<String> findings(AppConfig.Http http, AppConfig.Db db, AppConfig.Redis redis, AppConfig.S3 s3,
                                      AppConfig.Security security, AppConfig.Cluster cluster) {
    List<String> findings = new ArrayList<>();
    if (http.adminToken().isBlank()) {
      findings.add("http.adminToken is not set");
    }
    if (!http.tls().enabled()) {
      findings.add("http.tls is off (set http.tls.certPath and http.tls.keyPath, or http.tls.keyStorePath)");
    }
    if (blank(db.password())) {
      findings.add("db.password is empty");
    }
    if (db.user() == null || db.user().isBlank() || db.user().trim().toLowerCase(Locale.ROOT).equals("root")) {
      findings.add("db.user is root (or empty): use an account with the geohazard schema's rights only");
    }
    if (blank(redis.password())) {
      findings.add("redis.password is empty");
    }
    if (blank(s3.accessKey()) || LOCAL_STACK_S3_KEYS.contains(s3.accessKey().trim())) {
      findings.add("s3.accessKey is empty or the local stack's default");
    }
    if (blank(s3.secretKey()) || LOCAL_STACK_S3_KEYS.contains(s3.secretKey().trim())) {
      findings.add("s3.secretKey is empty or the local stack's default");
    }
    if (security.anonymousScopes().contains(Scope.PUBLISH)) {
      findings.add("security.anonymousScopes contains publish (anyone could raise a public alert)");
    }
    if (cluster.enabled() && !cluster.tls().enabled()) {
      // Hazelcast OSS authenticates no member: the bus is where a certificate keeps strangers' messages out.
      findings.add("cluster.enabled without cluster.tls (set cluster.tls.certPath/keyPath or keyStorePath, and"
          + " cluster.tls.trustCertPath or trustStorePath)");
    }
    return List.copyOf(findings);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
