package org.geohazard.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be delivered: http(s) URLs whose host resolves only to public addresses. Loopback,
 * private (RFC 1918, IPv6 unique-local), link-local (which holds the clouds' metadata service at
 * 169.254.169.254), carrier-grade NAT, multicast, unspecified, reserved and documentation addresses, and the
 * IPv6 forms that reach an IPv4 host the check cannot see (NAT64, 6to4, Teredo, IPv4-compatible) are refused unless
 * the operator
 * allows private targets: a subscriber must not turn the node into a proxy into its own network. The
 * delivery connects to the addresses checked here, not to a second lookup (DNS rebinding).
 */
public final class WebhookTargets {

  private WebhookTargets() {}

  /** A checked target: the URL and the addresses its host resolved to, all allowed. */
  public record Target(URI url, String host, int port, boolean https, List<InetAddress> addresses) {}

  /** Thrown for a URL that may not be a webhook target; the message is fit to show its owner. */
  public static final class RefusedTarget extends Exception {
    public RefusedTarget(String message) {
      super(message, null, false, false);
    }
  }

  /** Checks the URL's form (blocking: it resolves the host). */
  public static Target check(String url, boolean allowPrivate) throws RefusedTarget {
    return check(url, allowPrivate, "a webhook target");
  }

  /**
   * The same check for another outgoing request (a scene read by reference): {@code what} names it in the refusal
   * ("a scene source").
   */
  public static Target check(String url, boolean allowPrivate, String what) throws RefusedTarget {
    URI uri;
    try {
      uri = new URI(url);
    } catch (Exception e) {
      throw new RefusedTarget("not a URL: " + url);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedTarget("a webhook URL is http:// or https://");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new RefusedTarget("a webhook URL names a host, without user information");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    // A name's refusal says neither whether it resolves nor to what: the answer would map the node's private DNS
    // for whoever may register a URL. An address the caller wrote is named with why it is refused.
    boolean literal = uri.getHost().startsWith("[") || uri.getHost().matches("[0-9.]+");
    String notPublic = "the host " + uri.getHost() + " does not resolve to a public address: not " + what;
    List<InetAddress> addresses;
    try {
      addresses = List.of(InetAddress.getAllByName(uri.getHost()));
    } catch (Exception e) {
      throw new RefusedTarget(literal ? "not an address: " + uri.getHost() : notPublic);
    }
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        String why = refusal(address);
        if (why != null) {
          throw new RefusedTarget(literal ? uri.getHost() + " is " + why + ": not " + what : notPublic);
        }
      }
    }
    return new Target(uri, uri.getHost(), port, scheme.equals("https"), addresses);
  }

  /** Why an address is not public, or null for a public one. */
  static String refusal(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return "a loopback address";
    }
    if (address.isLinkLocalAddress()) {
      return "a link-local address (cloud metadata services live there)";
    }
    if (address.isSiteLocalAddress()) {
      return "a private address";
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return "not a unicast host address";
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet6Address && (b[0] & 0xFE) == 0xFC) {
      return "a private (unique-local) address";
    }
    if (b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64) {
      return "a carrier-grade NAT address";
    }
    if (b.length == 4 && (b[0] & 0xFF) == 0) {
      return "not a unicast host address";
    }
    if (b.length == 4) {
      return reservedIpv4(b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF);
    }
    // IPv6 prefixes that carry an IPv4 address the checks above never see: NAT64 (64:ff9b::/96, 64:ff9b:1::/48),
    // 6to4 (2002::/16), Teredo (2001:0::/32), and the deprecated IPv4-compatible ::a.b.c.d (::/96).
    if (u16(b, 0) == 0x64 && u16(b, 2) == 0xff9b) {
      return "a NAT64 address (it reaches an IPv4 host behind it)";
    }
    if (u16(b, 0) == 0x2002) {
      return "a 6to4 address (it reaches an IPv4 host behind it)";
    }
    if (u16(b, 0) == 0x2001 && u16(b, 2) == 0) {
      return "a Teredo address (it reaches an IPv4 host behind it)";
    }
    if (u16(b, 0) == 0x2001 && u16(b, 2) == 0x0db8) {
      return "a documentation address";
    }
    boolean compatible = true;
    for (int i = 0; i < 12; i++) {
      compatible &= b[i] == 0;
    }
    if (compatible) {
      return "an IPv4-compatible address (it reaches an IPv4 host)";
    }
    return null;
  }

  /** IANA special-purpose IPv4 blocks that are not public hosts (beyond those refused above). */
  private static String reservedIpv4(int a, int b, int c) {
    if (a == 192 && b == 0 && c == 0) {
      return "a reserved address (IETF protocol assignments, 192.0.0.0/24)";
    }
    if ((a == 192 && b == 0 && c == 2) || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)) {
      return "a documentation address (TEST-NET)";
    }
    if (a == 198 && (b == 18 || b == 19)) {
      return "a benchmarking address (198.18.0.0/15)";
    }
    if (a == 192 && b == 88 && c == 99) {
      return "a 6to4 relay address (192.88.99.0/24)";
    }
    if (a >= 240) {
      return "a reserved address (240.0.0.0/4, broadcast)";
    }
    return null;
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
