package org.geohazard.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;

/**
 * An alert as a Common Alerting Protocol 1.2 message (OASIS, {@code urn:oasis:names:tc:emergency:cap:1.2}), the
 * way GDACS and MeteoAlarm publish: one {@code <info>} with the hazard, severity, certainty and expiry and one
 * {@code <area>} with the alert's circle. An alert that was merged or extended is an {@code Update} referencing
 * its first message; a resolved or expired one is a {@code Cancel}. Pure text building: no XML library needed
 * for a message this regular, and every value is escaped.
 */
final class CapWriter {

  static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";
  /** CAP times carry an explicit offset ("Z" is not allowed) and no fraction of a second. */
  private static final DateTimeFormatter CAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);

  private final String sender;

  /** @param sender the sender CAP names (an address of the operator's, e.g. {@code geohazard@example.org}) */
  CapWriter(String sender) {
    this.sender = sender;
  }

  /**
   * The message for {@code alert} as of {@code now}: version 1 is an Alert, each later version (a merge with a
   * newer detection) an Update, a resolved alert a Cancel (its last version), an expired one a Cancel sent at
   * its expiry. Updates and Cancels reference the first message.
   */
  String message(Alert alert, Instant now) {
    Instant created = Instant.parse(alert.createdAt());
    Instant expires = Instant.parse(alert.expiresAt());
    boolean resolved = alert.state() == AlertState.RESOLVED;
    boolean expired = !resolved && !expires.isAfter(now);
    boolean cancelled = resolved || expired;
    Instant sent = expired ? expires : Instant.parse(alert.versionAt());
    String msgType = cancelled ? "Cancel" : alert.version() > 1 ? "Update" : "Alert";
    String identifier = identifier(alert.alertId(), alert.version()) + (expired ? ":expired" : "");
    StringBuilder xml = new StringBuilder(1024);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append("<alert xmlns=\"").append(NAMESPACE).append("\">\n");
    element(xml, 1, "identifier", identifier);
    element(xml, 1, "sender", sender);
    element(xml, 1, "sent", capTime(sent));
    element(xml, 1, "status", "Actual");
    element(xml, 1, "msgType", msgType);
    element(xml, 1, "scope", "Public");
    if (!msgType.equals("Alert")) {
      element(xml, 1, "references", sender + "," + identifier(alert.alertId(), 1) + "," + capTime(created));
    }
    xml.append("  <info>\n");
    element(xml, 2, "language", "en-US");
    // CAP's categories: a landslide is geophysical, a flood meteorological (hydrological) in CAP's own examples.
    element(xml, 2, "category", switch (alert.alertType()) {
      case LANDSLIDE -> "Geo";
      case FLOOD -> "Met";
    });
    element(xml, 2, "event", capitalised(alert.alertType().wireName()));
    element(xml, 2, "urgency", cancelled ? "Past" : urgency(alert.severity()));
    element(xml, 2, "severity", severity(alert.severity()));
    element(xml, 2, "certainty", alert.probability() >= 0.5 ? "Likely" : "Possible");
    element(xml, 2, "effective", capTime(created));
    element(xml, 2, "expires", capTime(expires));
    element(xml, 2, "senderName", "geohazard");
    element(xml, 2, "headline", alert.title());
    element(xml, 2, "description", alert.description());
    parameter(xml, "probability", String.format(Locale.ROOT, "%.4f", alert.probability()));
    parameter(xml, "geohazardAlertId", alert.alertId());
    parameter(xml, "geohazardImageId", alert.imageId());
    evidenceParameters(xml, alert.evidence());
    xml.append("    <area>\n");
    element(xml, 3, "areaDesc", String.format(Locale.ROOT, "Within %.1f km of %.5f, %.5f", alert.radiusKm(),
        alert.latitude(), alert.longitude()));
    element(xml, 3, "circle", String.format(Locale.ROOT, "%.6f,%.6f %.3f", alert.latitude(), alert.longitude(),
        alert.radiusKm()));
    xml.append("    </area>\n");
    xml.append("  </info>\n");
    xml.append("</alert>\n");
    return xml.toString();
  }

  /** Unique per message: the alert and its version. */
  static String identifier(String alertId, int version) {
    return "urn:geohazard:alert:" + alertId + ":" + version;
  }

  static String capTime(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).format(CAP_TIME);
  }

  static String severity(RiskLevel level) {
    return switch (level) {
      case CRITICAL -> "Extreme";
      case HIGH -> "Severe";
      case MEDIUM -> "Moderate";
      case LOW -> "Minor";
    };
  }

  static String urgency(RiskLevel level) {
    return level.atLeast(RiskLevel.HIGH) ? "Immediate" : "Expected";
  }

  /**
   * The alert's evidence as CAP parameters (valueName / value pairs, CAP 1.2 3.2.2): the level before and after the
   * evidence rule, verified and corroborated (with by what), the real-label precision behind the level and its sets,
   * the models that saw it, and the line for people. Nothing for an alert without evidence.
   */
  static void evidenceParameters(StringBuilder xml, io.vertx.core.json.JsonObject evidence) {
    if (evidence == null) {
      return;
    }
    parameter(xml, "geohazardEvidenceLevelBeforeCap", evidence.getString("level_before_cap"));
    parameter(xml, "geohazardEvidenceVerified", String.valueOf(evidence.getBoolean("verified", false)));
    parameter(xml, "geohazardEvidenceCorroborated", String.valueOf(evidence.getBoolean("corroborated", false)));
    io.vertx.core.json.JsonArray by = evidence.getJsonArray("corroborated_by", new io.vertx.core.json.JsonArray());
    if (!by.isEmpty()) {
      parameter(xml, "geohazardEvidenceCorroboratedBy", String.join(",", by.stream().map(String::valueOf).toList()));
    }
    Number precision = evidence.getNumber("precision");
    if (precision != null) {
      parameter(xml, "geohazardEvidencePrecision", String.format(Locale.ROOT, "%.4f", precision.doubleValue()));
      parameter(xml, "geohazardEvidencePrecisionSets", String.join(",",
          evidence.getJsonArray("precision_sets", new io.vertx.core.json.JsonArray()).stream().map(String::valueOf)
              .toList()));
    }
    io.vertx.core.json.JsonArray seen = evidence.getJsonArray("seen_by", new io.vertx.core.json.JsonArray());
    if (!seen.isEmpty()) {
      parameter(xml, "geohazardEvidenceSeenBy", String.join(",", seen.stream()
          .map(s -> ((io.vertx.core.json.JsonObject) s).getString("model") + " ("
              + ((io.vertx.core.json.JsonObject) s).getString("view") + ")").toList()));
    }
    String reason = evidence.getString("reason");
    if (reason != null && !reason.isEmpty()) {
      parameter(xml, "geohazardEvidence", reason);
    }
  }

  private static void parameter(StringBuilder xml, String name, String value) {
    xml.append("    <parameter>\n");
    element(xml, 3, "valueName", name);
    element(xml, 3, "value", value);
    xml.append("    </parameter>\n");
  }

  private static void element(StringBuilder xml, int depth, String name, String text) {
    xml.append("  ".repeat(depth)).append('<').append(name).append('>').append(escape(text)).append("</")
        .append(name).append(">\n");
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        default -> {
          // XML 1.0 forbids most control characters even as references: drop them.
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /**
   * An Atom 1.0 feed of {@code alerts}, each entry carrying the alert's CAP message as its content (as the
   * OASIS CAP feeds note and the feeds of GDACS and MeteoAlarm do), newest first.
   */
  String feed(java.util.List<Alert> alerts, Instant now, String selfUrl) {
    StringBuilder xml = new StringBuilder(2048 + alerts.size() * 2048);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.append("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(xml, 1, "id", "urn:geohazard:alerts:active");
    element(xml, 1, "title", "geohazard: active landslide and flood alerts");
    element(xml, 1, "updated", capTime(now));
    xml.append("  <link rel=\"self\" href=\"").append(escape(selfUrl)).append("\"/>\n");
    xml.append("  <author>\n");
    element(xml, 2, "name", "geohazard");
    element(xml, 2, "email", sender);
    xml.append("  </author>\n");
    for (Alert alert : alerts) {
      xml.append("  <entry>\n");
      element(xml, 2, "id", identifier(alert.alertId(), alert.version()));
      element(xml, 2, "title", alert.title());
      element(xml, 2, "updated", capTime(Instant.parse(alert.versionAt())));
      element(xml, 2, "summary", alert.description());
      xml.append("    <link rel=\"alternate\" type=\"").append(AlertHandlers.CAP).append("\" href=\"/api/v1/alerts/")
          .append(alert.alertId()).append("?format=cap\"/>\n");
      xml.append("    <content type=\"").append(AlertHandlers.CAP).append("\">\n");
      String message = message(alert, now);
      // The CAP document inline, without its XML declaration.
      xml.append(message.substring(message.indexOf("<alert "))).append("    </content>\n");
      xml.append("  </entry>\n");
    }
    xml.append("</feed>\n");
    return xml.toString();
  }
}
