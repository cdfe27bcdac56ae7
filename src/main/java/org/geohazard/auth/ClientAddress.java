package org.geohazard.auth;

import java.util.List;
import java.util.Set;

/**
 * The address a request is counted against. The direct peer, unless the peer is one of the configured trusted
 * proxies: then the address that proxy says it forwarded for, the right-most {@code X-Forwarded-For} entry that is
 * not itself a trusted proxy (entries further left were written by the client and prove nothing). With no trusted
 * proxies (the default) {@code X-Forwarded-For} is ignored: any client could send one.
 */
public final class ClientAddress {

  private final Set<String> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = Set.copyOf(trustedProxies.stream().map(String::trim).toList());
  }

  public String resolve(String peer, String forwardedFor) {
    if (peer == null || !trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty() || hop.length() > 64) {
        return peer;
      }
      if (!trustedProxies.contains(hop)) {
        return hop;
      }
    }
    return peer;
  }
}
