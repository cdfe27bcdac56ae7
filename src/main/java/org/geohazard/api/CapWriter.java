package org.geohazard.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;

/**
 * An alert as a Common Alerting Protocol 1.2 message (OASIS, {@code urn:oasis:names:tc:emergency:cap:1.2}), the
 * way GDACS and MeteoAlarm publish: one {@code <info>} with the hazard, severity, certainty and expiry and one
 * {@code <area>} with the alert's circle, and the mapped flood extent's {@code <polygon>}s when it has one. An alert that was merged or extended is an {@code Update} referencing
 * its first message; a resolved or expired one is a {@code Cancel}. Written with the JDK's StAX writer, which
 * escapes every value; characters that XML 1.0 cannot carry are dropped first (see {@link #xmlChars}).
 */
final class CapWriter {

  static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";
  private static final String ATOM = "http://www.w3.org/2005/Atom";
  /** Thread-safe once configured (StAX): one for every message. */
  private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
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
    return document(xml -> writeAlert(xml, alert, now));
  }

  /** The {@code <alert>} element, in the CAP namespace as the default: alone, or inside a feed's entry. */
  private void writeAlert(Xml xml, Alert alert, Instant now) throws XMLStreamException {
    Instant created = Instant.parse(alert.createdAt());
    Instant expires = Instant.parse(alert.expiresAt());
    boolean resolved = alert.state() == AlertState.RESOLVED;
    boolean expired = !resolved && !expires.isAfter(now);
    boolean cancelled = resolved || expired;
    Instant sent = expired ? expires : Instant.parse(alert.versionAt());
    String msgType = cancelled ? "Cancel" : alert.version() > 1 ? "Update" : "Alert";
    String identifier = identifier(alert.alertId(), alert.version()) + (expired ? ":expired" : "");
    xml.start("alert", NAMESPACE);
    xml.element("identifier", identifier);
    xml.element("sender", sender);
    xml.element("sent", capTime(sent));
    xml.element("status", "Actual");
    xml.element("msgType", msgType);
    xml.element("scope", "Public");
    if (!msgType.equals("Alert")) {
      xml.element("references", sender + "," + identifier(alert.alertId(), 1) + "," + capTime(created));
    }
    xml.start("info");
    xml.element("language", "en-US");
    // CAP's categories: a landslide is geophysical, a flood meteorological (hydrological) in CAP's own examples.
    xml.element("category", switch (alert.alertType()) {
      case LANDSLIDE -> "Geo";
      case FLOOD -> "Met";
    });
    xml.element("event", capitalised(alert.alertType().wireName()));
    xml.element("urgency", cancelled ? "Past" : urgency(alert.severity()));
    xml.element("severity", severity(alert.severity()));
    xml.element("certainty", alert.probability() >= 0.5 ? "Likely" : "Possible");
    xml.element("effective", capTime(created));
    xml.element("expires", capTime(expires));
    xml.element("senderName", "geohazard");
    xml.element("headline", alert.title());
    xml.element("description", alert.description());
    parameter(xml, "probability", String.format(Locale.ROOT, "%.4f", alert.probability()));
    parameter(xml, "geohazardAlertId", alert.alertId());
    evidenceParameters(xml, alert.evidence());
    xml.start("area");
    xml.element("areaDesc", alert.areaPolygons().isEmpty()
        ? String.format(Locale.ROOT, "Within %.1f km of %.5f, %.5f", alert.radiusKm(), alert.latitude(),
            alert.longitude())
        : String.format(Locale.ROOT, "Mapped flood extent (%d polygon(s)) within %.1f km of %.5f, %.5f",
            alert.areaPolygons().size(), alert.radiusKm(), alert.latitude(), alert.longitude()));
    // CAP 1.2 orders <polygon> before <circle>; a receiver that draws only circles still has the circle.
    for (String polygon : alert.areaPolygons()) {
      xml.element("polygon", polygon);
    }
    xml.element("circle", String.format(Locale.ROOT, "%.6f,%.6f %.3f", alert.latitude(), alert.longitude(),
        alert.radiusKm()));
    xml.end();
    xml.end();
    xml.end();
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
  private static void evidenceParameters(Xml xml, JsonObject evidence) throws XMLStreamException {
    if (evidence == null) {
      return;
    }
    parameter(xml, "geohazardEvidenceLevelBeforeCap", evidence.getString("level_before_cap"));
    parameter(xml, "geohazardEvidenceVerified", String.valueOf(evidence.getBoolean("verified", false)));
    parameter(xml, "geohazardEvidenceCorroborated", String.valueOf(evidence.getBoolean("corroborated", false)));
    JsonArray by = evidence.getJsonArray("corroborated_by", new JsonArray());
    if (!by.isEmpty()) {
      parameter(xml, "geohazardEvidenceCorroboratedBy", String.join(",", by.stream().map(String::valueOf).toList()));
    }
    Number precision = evidence.getNumber("precision");
    if (precision != null) {
      parameter(xml, "geohazardEvidencePrecision", String.format(Locale.ROOT, "%.4f", precision.doubleValue()));
      parameter(xml, "geohazardEvidencePrecisionSets", String.join(",",
          evidence.getJsonArray("precision_sets", new JsonArray()).stream().map(String::valueOf).toList()));
    }
    JsonArray seen = evidence.getJsonArray("seen_by", new JsonArray());
    if (!seen.isEmpty()) {
      parameter(xml, "geohazardEvidenceSeenBy", String.join(",", seen.stream()
          .map(s -> ((JsonObject) s).getString("model") + " (" + ((JsonObject) s).getString("view") + ")").toList()));
    }
    String reason = evidence.getString("reason");
    if (reason != null && !reason.isEmpty()) {
      parameter(xml, "geohazardEvidence", reason);
    }
  }

  private static void parameter(Xml xml, String name, String value) throws XMLStreamException {
    xml.start("parameter");
    xml.element("valueName", name);
    xml.element("value", value);
    xml.end();
  }

  private static String capitalised(String text) {
    return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  /**
   * An Atom 1.0 feed of {@code alerts}, each entry carrying the alert's CAP message as its content (as the
   * OASIS CAP feeds note and the feeds of GDACS and MeteoAlarm do), newest first.
   */
  String feed(List<Alert> alerts, Instant now, String selfUrl) {
    return document(xml -> {
      xml.start("feed", ATOM);
      xml.element("id", "urn:geohazard:alerts:active");
      xml.element("title", "geohazard: active landslide and flood alerts");
      xml.element("updated", capTime(now));
      xml.empty("link", "rel", "self", "href", selfUrl);
      xml.start("author");
      xml.element("name", "geohazard");
      xml.element("email", sender);
      xml.end();
      for (Alert alert : alerts) {
        xml.start("entry");
        xml.element("id", identifier(alert.alertId(), alert.version()));
        xml.element("title", alert.title());
        xml.element("updated", capTime(Instant.parse(alert.versionAt())));
        xml.element("summary", alert.description());
        xml.empty("link", "rel", "alternate", "type", AlertHandlers.CAP,
            "href", "/api/v1/alerts/" + alert.alertId() + "?format=cap");
        xml.start("content", null, "type", AlertHandlers.CAP);
        writeAlert(xml, alert, now);
        xml.end();
        xml.end();
      }
      xml.end();
    });
  }

  /** What goes into a document: elements written through {@link Xml}. */
  @FunctionalInterface
  private interface Body {
    void write(Xml xml) throws XMLStreamException;
  }

  /** A UTF-8 XML 1.0 document holding what {@code body} writes, indented two spaces per level. */
  private static String document(Body body) {
    StringWriter out = new StringWriter(2048);
    try {
      XMLStreamWriter writer = OUTPUT.createXMLStreamWriter(out);
      writer.writeStartDocument("UTF-8", "1.0");
      Xml xml = new Xml(writer);
      body.write(xml);
      writer.writeCharacters("\n");
      writer.writeEndDocument();
      writer.close();
    } catch (XMLStreamException e) {
      // Only element names of this class's own and filtered text go in: a failure here is a bug, not bad input.
      throw new IllegalStateException("could not write XML: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * {@link XMLStreamWriter}, which escapes markup ({@code < > &}, and quotes in attributes), with indentation and
   * elements that hold only text. What XML 1.0 cannot carry at all (control characters other than tab, line feed
   * and carriage return, unpaired surrogates, U+FFFE and U+FFFF) is dropped from text and attributes: not even
   * a character reference may name them, and a reader of an alert loses nothing it could display.
   */
  private static final class Xml {

    private final XMLStreamWriter writer;
    private int depth;

    Xml(XMLStreamWriter writer) {
      this.writer = writer;
    }

    /** Opens {@code name}; with a {@code namespace}, it is the default one from here down. */
    void start(String name, String namespace, String... attributes) throws XMLStreamException {
      indent();
      writer.writeStartElement(name);
      if (namespace != null) {
        writer.writeDefaultNamespace(namespace);
      }
      attributes(attributes);
      depth++;
    }

    void start(String name) throws XMLStreamException {
      start(name, null);
    }

    void end() throws XMLStreamException {
      depth--;
      indent();
      writer.writeEndElement();
    }

    void element(String name, String text) throws XMLStreamException {
      indent();
      writer.writeStartElement(name);
      writer.writeCharacters(xmlChars(text));
      writer.writeEndElement();
    }

    /** An element without content; {@code attributes} are name, value, name, value... */
    void empty(String name, String... attributes) throws XMLStreamException {
      indent();
      writer.writeEmptyElement(name);
      attributes(attributes);
    }

    private void attributes(String... attributes) throws XMLStreamException {
      for (int i = 0; i < attributes.length; i += 2) {
        writer.writeAttribute(attributes[i], xmlChars(attributes[i + 1]));
      }
    }

    private void indent() throws XMLStreamException {
      writer.writeCharacters("\n" + "  ".repeat(depth));
    }
  }

  /** {@code text} without the characters XML 1.0 cannot hold (see {@link Xml}); the empty string for null. */
  static String xmlChars(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int width = Character.charCount(c);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0xD7FF
          || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
      if (!allowed && out == null) {
        out = new StringBuilder(text.length()).append(text, 0, i);
      } else if (allowed && out != null) {
        out.appendCodePoint(c);
      }
      i += width;
    }
    return out == null ? text : out.toString();
  }
}
