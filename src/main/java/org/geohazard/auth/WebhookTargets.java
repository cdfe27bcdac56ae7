package org.geohazard.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may be delivered: http(s) URLs whose host resolves only to public addresses. Loopback,
 * private (RFC 1918, IPv6 unique-local), link-local (which holds the clouds' metadata service at
 * 169.254.169.254), carrier-grade NAT, multicast and unspecified addresses are refused unless the operator
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
    List<InetAddress> addresses;
    try {
      addresses = List.of(InetAddress.getAllByName(uri.getHost()));
    } catch (Exception e) {
      throw new RefusedTarget("the host " + uri.getHost() + " does not resolve");
    }
    if (!allowPrivate) {
      for (InetAddress address : addresses) {
        String why = refusal(address);
        if (why != null) {
          throw new RefusedTarget("the host " + uri.getHost() + " resolves to " + address.getHostAddress() + ", " + why
              + ": not a webhook target");
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
    return null;
  }
}
