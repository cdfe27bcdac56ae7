package org.geohazard.api;

import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer that tell a browser what this origin allows: scripts, styles and connections only from
 * itself (the dashboard and Swagger UI load no inline script or style and nothing from elsewhere; images also from
 * {@code data:} and {@code blob:}, the latter for the preview of a file being uploaded); never in a frame of another
 * page (clickjacking); no content-type guessing; no full URL in the Referer sent elsewhere.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  static void add(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "strict-origin-when-cross-origin")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    ctx.next();
  }
}
