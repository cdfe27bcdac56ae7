package org.geohazard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures: {@code X-Geohazard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">} with the
 * subscription's secret. A receiver recomputes it over the raw body and refuses a timestamp older than its
 * replay window (five minutes is suggested), so a captured delivery cannot be replayed later.
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

  /** Whether {@code header} signs {@code body} with {@code secret} within {@code windowSeconds} of {@code now}. */
  public static boolean verify(String secret, String header, byte[] body, long nowSeconds, long windowSeconds) {
    long t = -1;
    String v1 = null;
    for (String part : header.split(",")) {
      if (part.startsWith("t=")) {
        try {
          t = Long.parseLong(part.substring(2));
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (part.startsWith("v1=")) {
        v1 = part.substring(3);
      }
    }
    if (t < 0 || v1 == null || Math.abs(nowSeconds - t) > windowSeconds) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, t, body).getBytes(StandardCharsets.US_ASCII),
        v1.getBytes(StandardCharsets.US_ASCII));
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
