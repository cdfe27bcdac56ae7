package org.geohazard.ogc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The query of {@code /ogc/collections/{id}/items}, read from its raw parameters and checked: what is malformed is an
 * {@link IllegalArgumentException} whose message is fit for a 400. {@code limit} over {@link #MAX_LIMIT} is served
 * as the maximum (Part 1, 7.15.2: not an error); paging is by {@code offset}, which the {@code next} link carries.
 *
 * @param bbox null: anywhere
 * @param time null: any time
 * @param type alerts only: {@code landslide} or {@code flood}; null: both
 * @param severity alerts only: {@code medium}, {@code high} or {@code critical}; null: any
 */
public record ItemsQuery(OgcCollection collection, Bbox bbox, TimeFilter time, int limit, int offset, String type,
                         String severity) {

  public static final int DEFAULT_LIMIT = 10;
  /** The most features one page holds: a page is built in memory on the event loop. */
  public static final int MAX_LIMIT = 1000;
  /** Deeper pages cost a scan of every skipped row: past this, narrow the query instead. */
  public static final int MAX_OFFSET = 1_000_000;
  private static final Set<String> TYPES = Set.of("landslide", "flood");
  private static final Set<String> SEVERITIES = Set.of("medium", "high", "critical");

  /** @param parameters the request's query parameters (first value of each); a missing one reads as null */
  public static ItemsQuery parse(OgcCollection collection, Function<String, String> parameters) {
    String bboxText = parameters.apply("bbox");
    String timeText = parameters.apply("datetime");
    int limit = Math.min(integer(parameters.apply("limit"), "limit", DEFAULT_LIMIT, 1, Integer.MAX_VALUE), MAX_LIMIT);
    int offset = integer(parameters.apply("offset"), "offset", 0, 0, MAX_OFFSET);
    String type = parameters.apply("type");
    String severity = parameters.apply("severity");
    if (collection != OgcCollection.ALERTS && (type != null || severity != null)) {
      throw new IllegalArgumentException("type and severity filter the alerts collection only");
    }
    if (type != null && !TYPES.contains(type)) {
      throw new IllegalArgumentException("type must be landslide or flood, got '" + type + "'");
    }
    if (severity != null && !SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("severity must be medium, high or critical, got '" + severity + "'");
    }
    return new ItemsQuery(collection, bboxText == null ? null : Bbox.parse(bboxText),
        timeText == null ? null : TimeFilter.parse(timeText), limit, offset, type, severity);
  }

  private static int integer(String text, String name, int fallback, int min, int max) {
    if (text == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** The query of the page starting at {@code pageOffset}, as a query string (without the '?'). */
  public String queryString(int pageOffset) {
    Map<String, String> values = new LinkedHashMap<>();
    if (bbox != null) {
      values.put("bbox", bbox.toQueryValue());
    }
    if (time != null) {
      values.put("datetime", time.text());
    }
    if (type != null) {
      values.put("type", type);
    }
    if (severity != null) {
      values.put("severity", severity);
    }
    values.put("limit", Integer.toString(limit));
    values.put("offset", Integer.toString(pageOffset));
    StringBuilder query = new StringBuilder();
    values.forEach((name, value) -> query.append(query.isEmpty() ? "" : "&").append(name).append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2C", ",")));
    return query.toString();
  }

  /** The offset of the next page, or -1 when this page ({@code returned} features) reaches the last match. */
  public int nextOffset(int returned, long matched) {
    long next = (long) offset + returned;
    return returned > 0 && next < matched && next <= MAX_OFFSET ? (int) next : -1;
  }
}
