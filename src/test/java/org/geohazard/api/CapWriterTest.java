package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CAP 1.2 messages checked element by element against the standard's structure (OASIS CAP-v1.2, section 3):
 * the required elements of {@code alert}, {@code info} and {@code area} in their schema order, the value sets of
 * status, msgType, scope, category, urgency, severity and certainty, times with an explicit offset, the circle as
 * "lat,lon radius". The OASIS schema itself is not bundled (its notice reserves all rights); these messages
 * were also validated against it by hand while this writer was built.
 */
class CapWriterTest {

  private static final String NS = "urn:oasis:names:tc:emergency:cap:1.2";
  private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");
  private final CapWriter writer = new CapWriter("geohazard@example.org");

  private static Alert alert(int version, String updatedAt, AlertState state, String expires, RiskLevel severity) {
    return new Alert("2c9e7f1a-6b3d-4e8a-9f0c-1d2e3f4a5b6c", "5f0c1d6e-8a53-4a8e-9d0e-3c2b7f1a9e44", Hazard.FLOOD, severity,
        38.1058, -0.7589, 4.2, 0.91, 0.8, "Flood risk critical near 38.1058, -0.7589", "4 flood detection(s) <&> \"x\"",
        "2026-12-01T17:00:00Z", expires, 0, version, updatedAt, state);
  }

  @Test
  void aNewAlertIsAnAlertMessageWithEveryRequiredElementInOrder() throws Exception {
    Element root = parse(writer.message(alert(1, null, AlertState.ACTIVE, "2026-12-02T17:00:00Z", RiskLevel.CRITICAL), NOW));
    assertThat(root.getNamespaceURI()).isEqualTo(NS);
    assertThat(children(root)).containsExactly("identifier", "sender", "sent", "status", "msgType", "scope", "info");
    Map<String, String> alert = values(root);
    assertThat(alert.get("identifier")).isEqualTo("urn:geohazard:alert:2c9e7f1a-6b3d-4e8a-9f0c-1d2e3f4a5b6c:1");
    assertThat(alert.get("sent")).isEqualTo("2026-12-01T17:00:00+00:00");
    assertThat(alert.get("status")).isEqualTo("Actual");
    assertThat(alert.get("msgType")).isEqualTo("Alert");
    assertThat(alert.get("scope")).isEqualTo("Public");
    Element info = child(root, "info");
    assertThat(children(info)).containsExactly("language", "category", "event", "urgency", "severity", "certainty",
        "effective", "expires", "senderName", "headline", "description", "parameter", "parameter", "area");
    Map<String, String> values = values(info);
    // A public message: the alert's own id, never the private id of the upload that raised it.
    assertThat(elements(info, "parameter").stream().map(p -> values(p).get("valueName")))
        .containsExactly("probability", "geohazardAlertId");
    assertThat(values.get("category")).isEqualTo("Met");
    assertThat(values.get("urgency")).isEqualTo("Immediate");
    assertThat(values.get("severity")).isEqualTo("Extreme");
    assertThat(values.get("certainty")).isEqualTo("Likely");
    assertThat(values.get("expires")).isEqualTo("2026-12-02T17:00:00+00:00");
    assertThat(values.get("description")).isEqualTo("4 flood detection(s) <&> \"x\"");
    Element area = child(info, "area");
    assertThat(children(area)).containsExactly("areaDesc", "circle");
    assertThat(values(area).get("circle")).isEqualTo("38.105800,-0.758900 4.200");
  }

  @Test
  void theEvidenceGoesOutAsParametersBeforeTheArea() throws Exception {
    io.vertx.core.json.JsonObject evidence = new io.vertx.core.json.JsonObject()
        .put("level_before_cap", "critical").put("level", "critical").put("verified", false)
        .put("corroborated", true).put("corroborated_by", new io.vertx.core.json.JsonArray().add("independent_view"))
        .put("precision", null).put("precision_sets", new io.vertx.core.json.JsonArray())
        .put("seen_by", new io.vertx.core.json.JsonArray()
            .add(new io.vertx.core.json.JsonObject().put("model", "s2-1").put("view", "swir_nir_green"))
            .add(new io.vertx.core.json.JsonObject().put("model", "rgb-1").put("view", "rgb")))
        .put("reason", "critical by corroboration (another view <agrees>)");
    Alert plain = alert(1, null, AlertState.ACTIVE, "2026-12-02T17:00:00Z", RiskLevel.CRITICAL);
    Alert withEvidence = new Alert(plain.alertId(), plain.imageId(), plain.alertType(), plain.severity(),
        plain.latitude(), plain.longitude(), plain.radiusKm(), plain.probability(), plain.confidence(), plain.title(),
        plain.description(), plain.createdAt(), plain.expiresAt(), plain.distanceKm(), plain.version(),
        plain.updatedAt(), plain.state(), evidence);
    Element info = child(parse(writer.message(withEvidence, NOW)), "info");
    Map<String, String> parameters = new java.util.LinkedHashMap<>();
    for (Element parameter : elements(info, "parameter")) {
      parameters.put(values(parameter).get("valueName"), values(parameter).get("value"));
    }
    assertThat(parameters).containsEntry("geohazardEvidenceLevelBeforeCap", "critical")
        .containsEntry("geohazardEvidenceVerified", "false")
        .containsEntry("geohazardEvidenceCorroborated", "true")
        .containsEntry("geohazardEvidenceCorroboratedBy", "independent_view")
        .containsEntry("geohazardEvidenceSeenBy", "s2-1 (swir_nir_green),rgb-1 (rgb)")
        .containsEntry("geohazardEvidence", "critical by corroboration (another view <agrees>)")
        .doesNotContainKey("geohazardEvidencePrecision");
    assertThat(children(info).get(children(info).size() - 1)).isEqualTo("area");
  }

  @Test
  void aMappedFloodExtentGoesOutAsPolygonsBeforeTheCircle() throws Exception {
    Alert plain = alert(1, null, AlertState.ACTIVE, "2026-12-02T17:00:00Z", RiskLevel.HIGH);
    String ring = "38.10000,-0.76000 38.10000,-0.75000 38.11000,-0.75000 38.10000,-0.76000";
    Alert withArea = new Alert(plain.alertId(), plain.imageId(), plain.alertType(), plain.severity(),
        plain.latitude(), plain.longitude(), plain.radiusKm(), plain.probability(), plain.confidence(), plain.title(),
        plain.description(), plain.createdAt(), plain.expiresAt(), plain.distanceKm(), plain.version(),
        plain.updatedAt(), plain.state(), null, List.of(ring, ring));
    Element area = child(child(parse(writer.message(withArea, NOW)), "info"), "area");
    assertThat(children(area)).containsExactly("areaDesc", "polygon", "polygon", "circle");
    assertThat(elements(area, "polygon").get(0).getTextContent()).isEqualTo(ring);
    assertThat(child(area, "areaDesc").getTextContent()).contains("flood extent (2 polygon(s))");
    // The JSON of the alert carries the same area as GeoJSON ([longitude, latitude]).
    assertThat(withArea.toJson().getJsonObject("area").getJsonArray("coordinates").getJsonArray(0)
        .getJsonArray(0).getJsonArray(1).getList()).containsExactly(-0.75, 38.1);
    assertThat(plain.toJson().containsKey("area")).isFalse();
  }

  @Test
  void aMergedAlertIsAnUpdateReferencingTheFirstMessage() throws Exception {
    Element root = parse(writer.message(alert(3, "2026-12-01T17:40:00Z", AlertState.ACTIVE, "2026-12-02T17:40:00Z",
        RiskLevel.HIGH), NOW));
    Map<String, String> alert = values(root);
    assertThat(children(root)).containsExactly("identifier", "sender", "sent", "status", "msgType", "scope",
        "references", "info");
    assertThat(alert.get("msgType")).isEqualTo("Update");
    assertThat(alert.get("sent")).isEqualTo("2026-12-01T17:40:00+00:00");
    assertThat(alert.get("references")).isEqualTo(
        "geohazard@example.org,urn:geohazard:alert:2c9e7f1a-6b3d-4e8a-9f0c-1d2e3f4a5b6c:1,2026-12-01T17:00:00+00:00");
    assertThat(values(child(root, "info")).get("severity")).isEqualTo("Severe");
  }

  @Test
  void resolvedAndExpiredAlertsAreCancels() throws Exception {
    Map<String, String> resolved = values(parse(writer.message(alert(2, "2026-12-01T17:30:00Z", AlertState.RESOLVED,
        "2026-12-02T17:00:00Z", RiskLevel.HIGH), NOW)));
    assertThat(resolved.get("msgType")).isEqualTo("Cancel");
    Element expired = parse(writer.message(alert(1, null, AlertState.ACTIVE, "2026-12-01T17:50:00Z", RiskLevel.MEDIUM), NOW));
    assertThat(values(expired).get("msgType")).isEqualTo("Cancel");
    assertThat(values(expired).get("sent")).isEqualTo("2026-12-01T17:50:00+00:00");
    assertThat(values(child(expired, "info")).get("urgency")).isEqualTo("Past");
  }

  @Test
  void theFeedIsAtomWithOneEntryPerAlertCarryingItsCapMessage() throws Exception {
    String feed = writer.feed(List.of(alert(1, null, AlertState.ACTIVE, "2026-12-02T17:00:00Z", RiskLevel.HIGH)), NOW,
        "http://node/api/v1/alerts/feed");
    Element root = parse(feed);
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
    Element entry = child(root, "entry");
    Element content = child(entry, "content");
    assertThat(content.getAttribute("type")).isEqualTo("application/cap+xml");
    assertThat(child(content, "alert").getNamespaceURI()).isEqualTo(NS);
  }

  /**
   * Markup characters come back as they were, through a namespace-aware parser; a control character, which XML 1.0
   * cannot carry even as a reference, is dropped (the rest of its text kept), as is an unpaired surrogate, while a
   * character beyond the BMP stays. In an attribute (the feed's self link) the same.
   */
  @Test
  void markupCharactersRoundTripAndWhatXmlCannotCarryIsDropped() throws Exception {
    String nasty = "<&>\"' \u0001bell\u0007 \ud83c\udf0a \udc00end";
    Alert plain = alert(1, null, AlertState.ACTIVE, "2026-12-02T17:00:00Z", RiskLevel.HIGH);
    Alert alert = new Alert(plain.alertId(), plain.imageId(), plain.alertType(), plain.severity(), plain.latitude(),
        plain.longitude(), plain.radiusKm(), plain.probability(), plain.confidence(), "title " + nasty,
        "description " + nasty, plain.createdAt(), plain.expiresAt(), plain.distanceKm(), plain.version(),
        plain.updatedAt(), plain.state());
    String expected = "<&>\"' bell \ud83c\udf0a end";

    Map<String, String> info = values(child(parse(writer.message(alert, NOW)), "info"));
    assertThat(info.get("headline")).isEqualTo("title " + expected);
    assertThat(info.get("description")).isEqualTo("description " + expected);

    Element feed = parse(writer.feed(List.of(alert), NOW, "http://node/feed?a=1&b=" + nasty));
    assertThat(elements(feed, "link").get(0).getAttribute("href")).isEqualTo("http://node/feed?a=1&b=" + expected);
    Element entry = child(feed, "entry");
    assertThat(values(entry).get("title")).isEqualTo("title " + expected);
    assertThat(values(child(child(child(entry, "content"), "alert"), "info")).get("headline"))
        .isEqualTo("title " + expected);
  }

  @Test
  void xmlCharsKeepsTextThatNeedsNothingDropped() {
    String clean = "Flood risk critical near 38.1058, -0.7589\twith\nlines";
    assertThat(CapWriter.xmlChars(clean)).isSameAs(clean);
    assertThat(CapWriter.xmlChars("\u0000\u001f\ufffe\uffff")).isEmpty();
    assertThat(CapWriter.xmlChars(null)).isEmpty();
  }

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }

  private static List<String> children(Element parent) {
    List<String> names = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        names.add(e.getLocalName());
      }
    }
    return names;
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getLocalName() + ">");
  }

  private static List<Element> elements(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  private static Map<String, String> values(Element parent) {
    Map<String, String> out = new java.util.HashMap<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.putIfAbsent(e.getLocalName(), e.getTextContent());
      }
    }
    return out;
  }
}
