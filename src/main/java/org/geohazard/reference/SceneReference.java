package org.geohazard.reference;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a scene (or one band of it) lies: an object in an S3-compatible store ({@code s3://bucket/key}) or a file on
 * a web server ({@code https://host/path}). Only the form is checked here; whether this node may read it (the
 * configured bucket, an allowed and public host) is {@link ReferenceSources}' decision when it is opened.
 *
 * @param uri the normalised reference
 * @param bucket the bucket of an {@code s3://} reference, else empty
 * @param key the object key of an {@code s3://} reference (without the leading slash), else empty
 */
public record SceneReference(Scheme scheme, URI uri, String bucket, String key) {

  /** The schemes this node reads. Plain {@code http://} is refused: bytes anyone on the path may change. */
  public enum Scheme { S3, HTTPS }

  /** Longest reference accepted; S3 keys are at most 1024 bytes. */
  public static final int MAX_LENGTH = 2048;

  public SceneReference {
    if ((scheme == Scheme.S3) == (bucket.isEmpty() || key.isEmpty())) {
      throw new IllegalArgumentException("an s3 reference has a bucket and a key, an https one neither");
    }
  }

  /** Parses an absolute reference. */
  public static SceneReference parse(String reference) throws ReferenceRefused {
    return resolve(null, reference);
  }

  /**
   * Resolves {@code href} (absolute, or relative to {@code base}, as STAC asset hrefs may be) and checks its form.
   *
   * @param base the URL of the document {@code href} appears in; null when there is none
   */
  public static SceneReference resolve(URI base, String href) throws ReferenceRefused {
    if (href == null || href.isBlank()) {
      throw new ReferenceRefused("The reference is empty; give an s3:// or https:// URL.");
    }
    if (href.length() > MAX_LENGTH) {
      throw new ReferenceRefused("The reference is " + href.length() + " characters long; at most " + MAX_LENGTH
          + " are accepted.");
    }
    URI uri;
    try {
      uri = new URI(href.strip());
    } catch (URISyntaxException e) {
      throw new ReferenceRefused("'" + shown(href) + "' is not a URL: " + e.getReason() + ".");
    }
    if (!uri.isAbsolute()) {
      if (base == null) {
        throw new ReferenceRefused("'" + shown(href) + "' is a relative reference and there is no document URL "
            + "(a self link) to resolve it against; give an s3:// or https:// URL.");
      }
      uri = base.resolve(uri);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "s3" -> s3(uri);
      case "https" -> https(uri);
      case "http" -> throw new ReferenceRefused("'" + shown(uri.toString()) + "' is plain http://; only https:// "
          + "(and s3:// in this node's object store) is read.");
      default -> throw new ReferenceRefused("'" + shown(uri.toString()) + "' has the scheme '" + scheme
          + "'; only s3:// (this node's object store) and https:// are read.");
    };
  }

  private static SceneReference s3(URI uri) throws ReferenceRefused {
    String bucket = uri.getAuthority();
    String path = uri.getPath() == null ? "" : uri.getPath();
    String key = path.startsWith("/") ? path.substring(1) : path;
    if (bucket == null || bucket.isBlank() || key.isEmpty() || uri.getQuery() != null || uri.getFragment() != null) {
      throw new ReferenceRefused("'" + shown(uri.toString()) + "' is not of the form s3://bucket/key.");
    }
    return new SceneReference(Scheme.S3, uri, bucket, key);
  }

  private static SceneReference https(URI uri) throws ReferenceRefused {
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new ReferenceRefused("'" + shown(uri.toString()) + "' must name a host, without user information.");
    }
    if (uri.getFragment() != null) {
      uri = URI.create(uri.toString().substring(0, uri.toString().indexOf('#')));
    }
    return new SceneReference(Scheme.HTTPS, uri, "", "");
  }

  /** A reference as shown back in a message: never more than 200 characters of it. */
  private static String shown(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
