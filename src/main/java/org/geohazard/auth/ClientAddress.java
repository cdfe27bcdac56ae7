package org.geohazard.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address a request is counted against. The direct peer, unless the peer is one of the configured trusted
 * proxies: then the address that proxy says it forwarded for, the right-most {@code X-Forwarded-For} entry that is
 * not itself a trusted proxy (entries further left were written by the client and prove nothing). With no trusted
 * proxies (the default) {@code X-Forwarded-For} is ignored: any client could send one. A trusted proxy is an exact
 * address or a network ({@code 10.0.0.0/8}, {@code fd00::/8}), e.g. the subnet a container network gives nginx.
 */
public final class ClientAddress {

  /** One trusted entry: an address and how many of its leading bits must match. */
  private record Network(byte[] address, int prefixBits) {
    boolean contains(byte[] candidate) {
      if (candidate.length != address.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != address[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (candidate[full] & mask) == (address[full] & mask);
    }
  }

  private final List<Network> trusted = new ArrayList<>();

  /** @throws IllegalArgumentException for an entry that is not an IP address or network */
  public ClientAddress(List<String> trustedProxies) {
    for (String entry : trustedProxies) {
      String text = entry.trim();
      int slash = text.indexOf('/');
      byte[] address = literal(slash < 0 ? text : text.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("not an IP address or network: '" + entry + "'");
      }
      int bits;
      try {
        bits = slash < 0 ? address.length * 8 : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IP network: '" + entry + "'");
      }
      if (bits < 0 || bits > address.length * 8) {
        throw new IllegalArgumentException("prefix length out of range: '" + entry + "'");
      }
      trusted.add(new Network(address, bits));
    }
  }

  public String resolve(String peer, String forwardedFor) {
    if (peer == null || !isTrusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty() || hop.length() > 64) {
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String host) {
    // Asked for every request: with no trusted proxy (the default) there is nothing to parse the peer for.
    if (trusted.isEmpty()) {
      return false;
    }
    byte[] address = literal(host);
    return address != null && trusted.stream().anyMatch(network -> network.contains(address));
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");

  /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
  private static byte[] literal(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean ipv4 = IPV4.matcher(bare).matches();
    boolean ipv6 = bare.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(bare).matches();
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
