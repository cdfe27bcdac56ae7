package org.geohazard.ogc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The {@code datetime} of an OGC API - Features query (Part 1, 7.15.4): an instant, a date (that whole UTC day) or an
 * interval {@code start/end} whose ends may be open ({@code ..} or empty). Both ends are inclusive; null is open.
 */
public record TimeFilter(Instant start, Instant end, String text) {

  public TimeFilter {
    if (start != null && end != null && start.isAfter(end)) {
      throw new IllegalArgumentException("datetime interval must not end before it starts");
    }
  }

  public static TimeFilter parse(String text) {
    String value = text.trim();
    int slash = value.indexOf('/');
    if (slash < 0) {
      if (value.isEmpty() || value.equals("..")) {
        throw new IllegalArgumentException("datetime must be an instant, a date or an interval start/end");
      }
      if (isDate(value)) {
        LocalDate day = date(value);
        return new TimeFilter(day.atStartOfDay().toInstant(ZoneOffset.UTC),
            day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1), text);
      }
      Instant at = instant(value);
      return new TimeFilter(at, at, text);
    }
    if (value.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("datetime interval has more than one '/'");
    }
    String from = value.substring(0, slash).trim();
    String to = value.substring(slash + 1).trim();
    Instant start = open(from) ? null : isDate(from) ? date(from).atStartOfDay().toInstant(ZoneOffset.UTC)
        : instant(from);
    Instant end = open(to) ? null : isDate(to)
        ? date(to).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1) : instant(to);
    return new TimeFilter(start, end, text);
  }

  /** Whether {@code at} lies in the filter. */
  public boolean contains(Instant at) {
    return (start == null || !at.isBefore(start)) && (end == null || !at.isAfter(end));
  }

  private static boolean open(String end) {
    return end.isEmpty() || end.equals("..");
  }

  private static boolean isDate(String value) {
    return value.length() == 10 && value.indexOf('T') < 0;
  }

  private static LocalDate date(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("datetime '" + value + "' is not a date (YYYY-MM-DD)");
    }
  }

  private static Instant instant(String value) {
    try {
      OffsetDateTime parsed = OffsetDateTime.parse(value);
      // java.time takes years to ±999 999 999, whose milliseconds overflow a long further on; RFC 3339 has four digits.
      if (parsed.getYear() < 0 || parsed.getYear() > 9999) {
        throw new IllegalArgumentException("datetime '" + value + "' is outside the years 0000 to 9999");
      }
      return parsed.toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("datetime '" + value
          + "' is not an RFC 3339 date-time with an offset, e.g. 2026-12-01T10:00:00Z");
    }
  }
}
