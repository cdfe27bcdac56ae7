package org.geohazard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** How API keys are stored and looked up: the SHA-256 of the key, in hex. Keys themselves are never stored. */
public final class ApiKeyHash {

  private ApiKeyHash() {}

  /** A new key: 32 random bytes, URL-safe Base64, prefixed so that it is recognisable in a leak scan. */
  public static String newKey() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return "ghz_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  public static String of(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
