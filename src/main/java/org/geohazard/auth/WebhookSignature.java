package org.geohazard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-Geohazard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} with the
 * subscription's secret. A receiver recomputes it over the raw body and refuses a timestamp older than its
 * replay window (five minutes is suggested), so a captured delivery cannot be replayed later.
 *
 * <p>While a rotated secret's overlap lasts, the header carries one {@code v1} per valid secret, the new one first:
 * {@code t=<unix seconds>,v1=<new>,v1=<old>}. A receiver accepts the delivery when any {@code v1} matches the secret
 * it holds, so it can switch to the new secret at any moment of the overlap; after it only the new {@code v1} is
 * sent.
 */
public final class WebhookSignature {

  public static final String HEADER = "X-Geohazard-Signature";

  private WebhookSignature() {}

  /** A new secret: 32 random bytes, hex. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "whsec_" + HexFormat.of().formatHex(bytes);
  }

  public static String header(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + hmac(secret, unixSeconds, body);
  }

  /** The header signed with {@code secret} and, when not null, also with {@code previousSecret} (an overlap). */
  public static String header(String secret, String previousSecret, long unixSeconds, byte[] body) {
    String current = header(secret, unixSeconds, body);
    return previousSecret == null ? current : current + ",v1=" + hmac(previousSecret, unixSeconds, body);
  }

  /**
   * Whether {@code header} signs {@code body} with {@code secret} (any of its {@code v1} values) within
   * {@code windowSeconds} of {@code now}.
   */
  public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long windowSeconds) {
    long t = -1;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        signatures.add(part.substring(3));
      }
    }
    if (t < 0 || signatures.isEmpty() || Math.abs(nowSeconds - t) > windowSeconds) {
      return false;
    }
    byte[] expected = hmac(secret, t, body).getBytes(StandardCharsets.US_ASCII);
    boolean matched = false;
    for (String v1 : signatures) {
      // Every value compared, in constant time each: which one matched is not told by the time taken.
      matched |= MessageDigest.isEqual(expected, v1.getBytes(StandardCharsets.US_ASCII));
    }
    return matched;
  }

  private static String hmac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
