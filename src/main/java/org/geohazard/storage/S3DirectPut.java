package org.geohazard.storage;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.geohazard.config.AppConfig;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * PutObject of an object held in memory, signed with the AWS SDK's own SigV4 signer and sent on Vert.x's HTTP
 * client: one request and its signature, without the SDK client's per-request pipeline (interceptors, endpoint
 * rules, marshalling, the Apache client on a blocking worker), which took about 45 % of a node's CPU per upload
 * (BENCHMARKS.md). The payload is signed (its SHA-256 in {@code x-amz-content-sha256}), so the store checks the
 * bytes as it did with the SDK client. Path-style addressing, as the SDK client is configured.
 *
 * <p>{@link #sign} is CPU work proportional to the size (one SHA-256 pass): call it off the event loop.
 * {@link #send} is non-blocking. A put that fails at the connection or with a 5xx is sent again (a key is a content
 * hash, so a put is idempotent), up to {@link #ATTEMPTS} times.
 */
final class S3DirectPut implements AutoCloseable {

  static final int ATTEMPTS = 3;
  private static final long RETRY_DELAY_MS = 50;
  private static final int ERROR_BODY_CHARS = 300;

  /** A request ready to go: the signed headers and the body they sign. */
  record Signed(String path, Map<String, List<String>> headers, byte[] body) {}

  /** The store answered a put with an error status. */
  static final class PutRefusedException extends RuntimeException {
    private final int status;

    PutRefusedException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final URI endpoint;
  private final String bucket;
  private final String region;
  private final AwsCredentialsIdentity credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  S3DirectPut(Vertx vertx, AppConfig.S3 config) {
    this.vertx = vertx;
    this.endpoint = endpointOf(config);
    this.bucket = config.bucket();
    this.region = config.region();
    this.credentials = AwsCredentialsIdentity.create(config.accessKey(), config.secretKey());
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    HttpClientOptions options = new HttpClientOptions()
        .setDefaultHost(endpoint.getHost())
        .setDefaultPort(port(endpoint))
        .setSsl(tls)
        .setConnectTimeout(2_000)
        .setKeepAlive(true);
    if (tls && !config.trustCertPath().isEmpty()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(config.trustCertPath()));
    }
    // As many connections as the SDK client had (one per S3 worker) and as many again: a connection is now held
    // only while bytes move, not while a worker thread waits.
    this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(2 * config.workerThreads()));
  }

  /** The configured endpoint, or AWS's regional one when none is set. */
  static URI endpointOf(AppConfig.S3 config) {
    String configured = config.endpoint();
    return configured == null || configured.isBlank()
        ? URI.create("https://s3." + config.region() + ".amazonaws.com")
        : URI.create(configured);
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Signs a put of {@code body} under {@code key}: SigV4 with a signed payload, as S3 expects it. CPU work. */
  Signed sign(String key, byte[] body, String contentType) {
    String path = "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(bucket) + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
    SdkHttpRequest request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.PUT)
        .protocol(endpoint.getScheme())
        .host(endpoint.getHost())
        .port(port(endpoint))
        .encodedPath(path)
        .putHeader("Content-Type", contentType)
        .putHeader("Content-Length", Integer.toString(body.length))
        .build();
    SdkHttpRequest signed = signer.sign(r -> r.identity(credentials)
        .request(request)
        .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false)).request();
    return new Signed(path, signed.headers(), body);
  }

  /**
   * Sends a signed put; succeeds once the store has answered 2xx (the object is stored). Fails with
   * {@link PutRefusedException} on another status, or with the connection's error. Non-blocking.
   */
  Future<Void> send(Signed put) {
    Promise<Void> done = Promise.promise();
    attempt(put, 1, done);
    return done.future();
  }

  private void attempt(Signed put, int attempt, Promise<Void> done) {
    once(put).onComplete(result -> {
      if (result.succeeded()) {
        done.complete();
      } else if (attempt < ATTEMPTS && retryable(result.cause())) {
        // A pooled connection the store closed meanwhile, or a store restarting: the same put again shortly.
        vertx.setTimer(RETRY_DELAY_MS * attempt, id -> attempt(put, attempt + 1, done));
      } else {
        done.fail(result.cause());
      }
    });
  }

  private static boolean retryable(Throwable error) {
    return !(error instanceof PutRefusedException refused) || refused.status() >= 500;
  }

  private Future<Void> once(Signed put) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setURI(put.path()).setIdleTimeout(30_000);
    return http.request(options).compose(request -> {
      MultiMap headers = request.headers();
      put.headers().forEach((name, values) -> {
        // Vert.x writes Host and Content-Length itself, to the values that were signed.
        if (!"Host".equalsIgnoreCase(name) && !"Content-Length".equalsIgnoreCase(name)) {
          headers.add(name, values);
        }
      });
      return request.send(Buffer.buffer(put.body()));
    }).compose(response -> response.body().compose(body -> {
      if (response.statusCode() / 100 == 2) {
        return Future.succeededFuture();
      }
      String text = body.toString();
      return Future.failedFuture(new PutRefusedException(response.statusCode(), "the store answered "
          + response.statusCode() + " to a put: " + text.substring(0, Math.min(text.length(), ERROR_BODY_CHARS))));
    }));
  }

  @Override
  public void close() {
    http.close();
  }
}
