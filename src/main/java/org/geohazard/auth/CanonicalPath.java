package org.geohazard.auth;

/**
 * Whether a request path is in the one spelling the router and admission both read. The router matches a
 * normalised path ({@code //api/v1/x} and {@code /api/v1/./x} reach {@code /api/v1/x}); anything that decides on the
 * path before routing (which operations cost quota, which are exempt) would otherwise see a different path than
 * the route that answers. So a path with another spelling is refused before either looks at it: no empty segment
 * ({@code //}), no dot segment ({@code .}, {@code ..}), no segment ending in a dot, no backslash, no percent-encoding
 * (no path of this service needs one: ids are UUIDs, every other segment a fixed word or a bundled file's name),
 * only the characters RFC 3986 allows unencoded in a segment.
 */
public final class CanonicalPath {

  private CanonicalPath() {}

  /** Null when {@code rawPath} is canonical; otherwise what is wrong with it, for the 400 answer. */
  public static String problem(String rawPath) {
    if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      return "the path must start with /";
    }
    if (rawPath.length() > 2048) {
      return "the path is over 2048 characters";
    }
    int segmentStart = 1;
    for (int i = 1; i <= rawPath.length(); i++) {
      if (i < rawPath.length() && rawPath.charAt(i) != '/') {
        char c = rawPath.charAt(i);
        if (c == '%') {
          return "the path must not be percent-encoded";
        }
        if (c == '\\') {
          return "the path must not hold a backslash";
        }
        if (!allowed(c)) {
          return "the path holds a character that must not appear unencoded";
        }
        continue;
      }
      String segment = rawPath.substring(segmentStart, i);
      boolean last = i == rawPath.length();
      if (segment.isEmpty() && !last) {
        return "the path must not hold an empty segment (//)";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "the path must not hold a dot segment";
      }
      if (segment.endsWith(".")) {
        return "a path segment must not end with a dot";
      }
      segmentStart = i + 1;
    }
    return null;
  }

  /** RFC 3986 pchar, less the percent sign: unreserved, sub-delims, ':' and '@'. */
  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
  }
}
