package org.geohazard.api;

import io.vertx.core.http.HttpHeaders;
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

  // Names and values encoded once (Vert.x writes these as they are): set on every answer.
  private static final CharSequence CSP_NAME = HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence CSP_VALUE = HttpHeaders.createOptimized(CONTENT_SECURITY_POLICY);
  private static final CharSequence NOSNIFF_NAME = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF_VALUE = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence FRAME_NAME = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence FRAME_VALUE = HttpHeaders.createOptimized("DENY");
  private static final CharSequence REFERRER_NAME = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence REFERRER_VALUE = HttpHeaders.createOptimized("strict-origin-when-cross-origin");
  private static final CharSequence OPENER_NAME = HttpHeaders.createOptimized("Cross-Origin-Opener-Policy");
  private static final CharSequence OPENER_VALUE = HttpHeaders.createOptimized("same-origin");

  private SecurityHeaders() {}

  static void add(RoutingContext ctx) {
    ctx.response().headers()
        .set(CSP_NAME, CSP_VALUE)
        .set(NOSNIFF_NAME, NOSNIFF_VALUE)
        .set(FRAME_NAME, FRAME_VALUE)
        .set(REFERRER_NAME, REFERRER_VALUE)
        .set(OPENER_NAME, OPENER_VALUE);
    ctx.next();
  }
}
