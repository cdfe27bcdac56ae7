package org.geohazard.reference;

import java.util.List;
import java.util.Locale;

/**
 * Whether and where scenes may be read over https: off unless the operator turns it on and lists the hosts, since
 * every such read is a request the node makes on a caller's behalf.
 *
 * @param enabled false (the default): every https:// reference is refused
 * @param allowedHosts host names read from; {@code *.example.org} allows the subdomains of example.org (not
 *     example.org itself). Each host must also resolve only to public addresses ({@code WebhookTargets}).
 * @param timeoutMs how long one ranged request may take, connection included
 */
public record HttpsSources(boolean enabled, List<String> allowedHosts, long timeoutMs) {

  /** Off. */
  public static final HttpsSources OFF = new HttpsSources(false, List.of(), 30_000);

  public HttpsSources {
    allowedHosts = allowedHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be >= 1");
    }
  }

  /** Whether {@code host} is on the list (case-insensitive). */
  public boolean allows(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String allowed : allowedHosts) {
      if (allowed.startsWith("*.") ? h.endsWith(allowed.substring(1)) : h.equals(allowed)) {
        return true;
      }
    }
    return false;
  }
}
