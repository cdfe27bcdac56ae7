package org.geohazard.reference;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.io.IOException;
import org.geohazard.auth.WebhookTargets;
import org.geohazard.config.AppConfig;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.RangeReader;
import org.geohazard.storage.S3ObjectStore;

/**
 * Opens a {@link SceneReference} for ranged reads, deciding whether this node may read it: an {@code s3://}
 * reference only in the bucket of the node's own object store (the store's credentials must not become a way to read
 * any bucket they happen to reach), an {@code https://} one only when {@link HttpsSources} allows its host and the
 * host resolves to public addresses only. Blocking (a HEAD, a DNS lookup, a first range): call from a worker thread.
 */
public final class ReferenceSources {

  private final S3ObjectStore store;
  private final HttpClient http;
  private final HttpsSources https;

  /**
   * @param http the client https sources are read with (plain options: TLS is verified, redirects are not
   *     followed); unused while {@code https} is off
   */
  public ReferenceSources(S3ObjectStore store, HttpClient http, HttpsSources https) {
    this.store = store;
    this.http = http;
    this.https = https;
  }

  /**
   * The sources a node reads: its own store's bucket, and https per {@code references} (its client verifies TLS
   * against the host name and follows no redirect).
   */
  public static ReferenceSources of(Vertx vertx, S3ObjectStore store, AppConfig.References references) {
    HttpsSources https = new HttpsSources(references.httpsEnabled(), references.httpsAllowedHosts(),
        references.httpsTimeoutMs());
    return new ReferenceSources(store, vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, references.httpsTimeoutMs())).setVerifyHost(true)
        .setTrustAll(false)), https);
  }

  /**
   * @throws ReferenceRefused if this node may not read the reference (another bucket, https off, host not allowed or
   *     private); a missing object is {@link org.geohazard.storage.ObjectStore.MissingObjectException}
   * @throws IOException if the source does not answer as a ranged source should
   */
  public RangeReader open(SceneReference reference) throws ReferenceRefused, IOException {
    return switch (reference.scheme()) {
      case S3 -> {
        if (!reference.bucket().equals(store.bucket())) {
          throw new ReferenceRefused("'" + reference + "' is in the bucket '" + reference.bucket() + "'; this node "
              + "reads s3:// references in its own bucket '" + store.bucket() + "' only.");
        }
        if (ObjectStore.isServiceObject(reference.key())) {
          throw new ReferenceRefused("'" + reference + "' names an object the service stores itself (uploads and"
              + " masks under images/ and masks/); reference your own scene files, or upload the scene.");
        }
        try {
          yield store.openRange(reference.key());
        } catch (ObjectStore.StoreUnavailableException away) {
          throw new IOException(away.getMessage(), away);
        }
      }
      case HTTPS -> HttpsRangeReader.open(http, checkHttps(reference, https), https.timeoutMs());
    };
  }

  /**
   * The whole of a small object (a STAC Item's JSON) under the same rules as a scene, refused when it is larger
   * than {@code maxBytes}. Blocking.
   */
  public byte[] readSmall(SceneReference reference, int maxBytes) throws ReferenceRefused, IOException {
    try (RangeReader source = open(reference)) {
      if (source.size() > maxBytes) {
        throw new ReferenceRefused("'" + reference + "' is " + source.size() + " bytes long; at most " + maxBytes
            + " are read for a STAC Item.");
      }
      byte[] bytes = new byte[(int) source.size()];
      source.readFully(0, bytes, 0, bytes.length);
      return bytes;
    }
  }

  /** The checked target of an https reference under {@code https}; blocking (it resolves the host). */
  static WebhookTargets.Target checkHttps(SceneReference reference, HttpsSources https) throws ReferenceRefused {
    return checkHttps(reference, https, false);
  }

  /** With {@code allowPrivate} for tests against a server on this machine only. */
  static WebhookTargets.Target checkHttps(SceneReference reference, HttpsSources https, boolean allowPrivate)
      throws ReferenceRefused {
    if (!https.enabled()) {
      throw new ReferenceRefused("'" + reference + "': this node does not read https:// references (off unless the "
          + "operator allows hosts).");
    }
    String host = reference.uri().getHost();
    if (!https.allows(host)) {
      throw new ReferenceRefused("'" + reference + "': the host " + host + " is not among the hosts this node reads "
          + "scenes from.");
    }
    try {
      return WebhookTargets.check(reference.uri().toString(), allowPrivate, "a scene source");
    } catch (WebhookTargets.RefusedTarget e) {
      throw new ReferenceRefused("'" + reference + "': " + e.getMessage() + ".");
    }
  }
}
