package org.geohazard.api;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Request ids: the client's {@code X-Request-Id} when it is sane, a new UUID otherwise; echoed on every answer. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "geohazard.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestIds() {}

  public static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SANE.matcher(given).matches() ? given : fresh();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /**
   * A random (version 4) UUID from the thread's own generator. An id names a request in logs and error bodies and
   * grants nothing, so it needs uniqueness, not secrecy: {@code UUID.randomUUID()} draws from the shared
   * {@code SecureRandom} on every request without an id of its own.
   */
  static String fresh() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "" : id;
  }
}
