package org.geohazard.storage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.geohazard.config.AppConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3-compatible object storage through the AWS SDK v2 blocking client, run on a dedicated worker pool
 * so that no event loop waits on the network; puts of objects that fit in memory go through
 * {@link S3DirectPut} instead (the SDK's signer, Vert.x's HTTP client). Path-style addressing works with s3proxy,
 * MinIO and AWS.
 */
public final class S3ObjectStore implements ObjectStore {

  /** Larger objects (large scenes) stream from their file through the SDK client instead of being held in memory. */
  static final long DIRECT_PUT_MAX_BYTES = 64L << 20;

  private final S3Client client;
  private final String bucket;
  private final WorkerExecutor workers;
  private final RecentObjects recent;
  private final S3DirectPut directPut;

  public S3ObjectStore(Vertx vertx, AppConfig.S3 config) {
    this.bucket = config.bucket();
    this.recent = new RecentObjects(config.recentBytes(), config.recentObjectMaxBytes());
    this.workers = vertx.createSharedWorkerExecutor("geohazard-s3", config.workerThreads());
    var builder = S3Client.builder()
        .region(Region.of(config.region()))
        .httpClientBuilder(httpClient(config))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.accessKey(), config.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        // Checksums only where S3 requires them: s3proxy and some other stores reject the new
        // default trailing checksums.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (config.endpoint() != null && !config.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(config.endpoint()));
    }
    this.client = builder.build();
    this.directPut = new S3DirectPut(vertx, config);
  }

  /** The SDK's HTTP client: one connection per worker; an https endpoint verified against s3.trustCertPath if set. */
  static ApacheHttpClient.Builder httpClient(AppConfig.S3 config) {
    ApacheHttpClient.Builder http = ApacheHttpClient.builder().maxConnections(config.workerThreads());
    if (!config.trustCertPath().isEmpty()) {
      var trustManagers = PemTrust.trustManagers(Path.of(config.trustCertPath()));
      http.tlsTrustManagersProvider(() -> trustManagers);
    }
    return http;
  }

  @Override
  public Future<Void> ensureBucket() {
    return blocking(() -> {
      try {
        client.headBucket(b -> b.bucket(bucket));
      } catch (NoSuchBucketException e) {
        try {
          client.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException raced) {
          // another node created it between our two calls
        }
      } catch (S3Exception e) {
        if (e.statusCode() != 404) {
          throw e;
        }
        client.createBucket(b -> b.bucket(bucket));
      }
      return null;
    });
  }

  /**
   * Objects up to {@link #DIRECT_PUT_MAX_BYTES} (every upload but a large scene) are read into memory on a worker,
   * signed there and sent by {@link S3DirectPut} on the event loop; larger ones stream from the file through the SDK
   * client. Either way the future completes only once the store has acknowledged the object.
   */
  @Override
  public Future<Void> put(String key, Path file, String contentType) {
    return blocking(() -> {
      long size = Files.size(file);
      if (size > DIRECT_PUT_MAX_BYTES) {
        client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
        return null;
      }
      // Read once: the same bytes are signed, go to the store and stay here for the analysis that follows.
      return directPut.sign(key, Files.readAllBytes(file), contentType);
    }).compose(signed -> {
      if (signed == null) {
        return Future.succeededFuture();
      }
      return directPut.send(signed).onSuccess(v -> recent.remember(key, signed.body()));
    });
  }

  @Override
  public Future<Buffer> get(String key) {
    Optional<byte[]> kept = recent.take(key);
    if (kept.isPresent()) {
      return Future.succeededFuture(Buffer.buffer(kept.get()));
    }
    return blocking(() -> {
      try {
        return Buffer.buffer(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
      } catch (S3Exception e) {
        throw missingOr(e, key);
      }
    });
  }

  /**
   * The bytes this node just put, as they were signed and sent (handed over once, see {@link RecentObjects}), or the
   * SDK's own array of a GET: neither is copied, since nothing else holds either.
   */
  @Override
  public Future<byte[]> getBytes(String key) {
    Optional<byte[]> kept = recent.take(key);
    if (kept.isPresent()) {
      return Future.succeededFuture(kept.get());
    }
    return blocking(() -> {
      try {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArrayUnsafe();
      } catch (S3Exception e) {
        throw missingOr(e, key);
      }
    });
  }

  @Override
  public Future<Void> download(String key, Path target) {
    return blocking(() -> {
      Files.deleteIfExists(target);
      Optional<byte[]> kept = recent.take(key);
      if (kept.isPresent()) {
        Files.write(target, kept.get());
      } else {
        try {
          client.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
        } catch (S3Exception e) {
          throw missingOr(e, key);
        }
      }
      return null;
    });
  }

  @Override
  public Future<Void> delete(String key) {
    recent.take(key);
    return blocking(() -> {
      client.deleteObject(b -> b.bucket(bucket).key(key));
      return null;
    });
  }

  /** The bucket this store reads and writes; a reference to another bucket is not this store's to read. */
  public String bucket() {
    return bucket;
  }

  /**
   * Opens an object for ranged reads ({@link RangeReader}) with the default header cache of
   * {@link CachedRangeReader#DEFAULT_BLOCK_COUNT} × {@link CachedRangeReader#DEFAULT_BLOCK_SIZE} bytes. Blocking (one
   * {@code HeadObject} to learn the size): call from a worker thread.
   *
   * @throws MissingObjectException when there is no such object in this store's bucket
   */
  @Override
  public RangeReader openRange(String key) {
    long size;
    try {
      size = client.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new MissingObjectException(key);
      }
      throw new StoreUnavailableException("the store answered " + e.statusCode() + " for " + key, e);
    } catch (SdkException unreachable) {
      throw new StoreUnavailableException("the store did not answer for " + key + ": " + unreachable.getMessage(),
          unreachable);
    }
    return new S3RangeReader(client, bucket, key, size, CachedRangeReader.DEFAULT_BLOCK_SIZE,
        CachedRangeReader.DEFAULT_BLOCK_COUNT);
  }

  @Override
  public Future<Void> ping() {
    return blocking(() -> {
      client.headBucket(b -> b.bucket(bucket));
      return null;
    });
  }

  /** A 404 is a missing object (retrying will not bring it); anything else is the store's trouble. */
  private static RuntimeException missingOr(S3Exception e, String key) {
    return e.statusCode() == 404 ? new MissingObjectException(key) : e;
  }

  private <T> Future<T> blocking(Callable<T> call) {
    // Unordered: independent uploads must not queue behind each other.
    return workers.executeBlocking(call, false);
  }

  @Override
  public void close() {
    directPut.close();
    client.close();
    workers.close();
  }
}
