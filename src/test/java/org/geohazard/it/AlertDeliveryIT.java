package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.parsers.DocumentBuilderFactory;
import org.geohazard.analysis.Hazard;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Alerts reaching people, on two clustered nodes: an alert raised by the worker appears on a stream opened on
 * the API node; a reconnect with {@code Last-Event-ID} is sent what it missed; the alert reads as JSON, GeoJSON
 * and CAP 1.2 (structure checked element by element), and in the Atom feed; an operator's key acknowledges and
 * resolves it (a resolved alert leaves the active list and its CAP message becomes a Cancel); the seed's
 * {@code lat}/{@code lon}/{@code radius} names work.
 */
class AlertDeliveryIT {

  private static TestNode worker;
  private static TestNode api;
  private static double latitude;
  /** The worker has no API: its meters are on a port of their own (node.metricsPort). */
  private static int workerMetricsPort;
  private static double longitude;

  @BeforeAll
  static void startCluster() {
    String cluster = "geohazard-alerts-it-" + Long.toHexString(new Random().nextLong());
    workerMetricsPort = freePort();
    worker = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
        "GEOHAZARD_NODE_ROLES", "pipeline,inference,persistence,alerts",
        "GEOHAZARD_NODE_METRICS_PORT", String.valueOf(workerMetricsPort)));
    api = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
        "GEOHAZARD_NODE_ROLES", "api"));
    // A different place every run: no alert of an earlier run absorbs this one.
    Random random = new Random();
    latitude = -50 + random.nextDouble() * 100;
    longitude = -170 + random.nextDouble() * 340;
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void aWorkerServesItsMetersOnItsOwnPortAndNothingElse() {
    WebClient client = WebClient.create(worker.vertx());
    HttpResponse<Buffer> metrics = TestNode.await(client.get(workerMetricsPort, "127.0.0.1", "/metrics").send());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.getHeader("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    // The node's own meters and the Kafka consumer's, which only a worker has.
    assertThat(metrics.bodyAsString()).contains("geohazard_images_processed_total", "kafka_consumer_");
    assertThat(TestNode.await(client.get(workerMetricsPort, "127.0.0.1", "/api/v1/health").send()).statusCode())
        .isEqualTo(404);
    client.close();
  }

  /** A port nothing listens on now (the node binds it moments later). */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void alertsSavedAtTheSameMomentAreAllKept() {
    // Regression: concurrent merges take the merge query's gap locks in opposite orders and InnoDB kills one
    // as a deadlock victim; the alert benchmark lost one alert in 200 until the store retried victims.
    // Sent from the API node, so every draft also crosses the cluster's wire codec.
    Random random = new Random();
    double baseLatitude = -50 + random.nextDouble() * 100;
    double baseLongitude = -170 + random.nextDouble() * 340;
    List<io.vertx.core.Future<org.geohazard.bus.AlertSaved>> saves = new ArrayList<>();
    AlertService alerts = ServiceBus.client(api.vertx().eventBus(), AlertService.class);
    for (int i = 0; i < 40; i++) {
      // 40 places 0.5 degrees apart along a meridian: close enough to share index ranges, too far to merge
      org.geohazard.bus.AlertDraft draft = new org.geohazard.bus.AlertDraft(java.util.UUID.randomUUID().toString(), Hazard.FLOOD,
          org.geohazard.analysis.RiskLevel.HIGH, Math.max(-89, Math.min(89, baseLatitude + (i - 20) * 0.5)),
          baseLongitude, 5, 0.8, 0.8, "test", "concurrent save " + i, 1);
      saves.add(alerts.save(draft));
    }
    List<org.geohazard.bus.AlertSaved> saved = TestNode.await(io.vertx.core.Future.all(saves)).list();
    assertThat(saved).hasSize(40).allMatch(org.geohazard.bus.AlertSaved::created);
    assertThat(saved.stream().map(s -> s.alert().alertId()).distinct()).hasSize(40);
  }

  /**
   * One alert per image and hazard: a draft of an image whose alert it may not merge into (here: far from it, as a
   * settled or other-class alert also is) stores nothing and answers the image's alert as unchanged, where the
   * insert's duplicate key used to fail the save (and, with alerts part of the pipeline's commit, would be retried
   * for ever).
   */
  @Test
  void aSecondDraftOfTheSameImageAndHazardLeavesItsAlertUnchanged() {
    AlertService alerts = ServiceBus.client(api.vertx().eventBus(), AlertService.class);
    String imageId = java.util.UUID.randomUUID().toString();
    double at = -50 + new Random().nextDouble() * 100;
    org.geohazard.bus.AlertSaved first = TestNode.await(alerts.save(new org.geohazard.bus.AlertDraft(imageId,
        Hazard.FLOOD, org.geohazard.analysis.RiskLevel.HIGH, at, 10, 5, 0.8, 0.8, "test", "first", 1)));
    assertThat(first.created()).isTrue();
    org.geohazard.bus.AlertSaved again = TestNode.await(alerts.save(new org.geohazard.bus.AlertDraft(imageId,
        Hazard.FLOOD, org.geohazard.analysis.RiskLevel.CRITICAL, -at, 100, 5, 0.9, 0.9, "test", "again", 1)));
    assertThat(again.unchanged()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.alert().alertId()).isEqualTo(first.alert().alertId());
    assertThat(again.alert().severity()).isEqualTo(org.geohazard.analysis.RiskLevel.HIGH);
  }

  /** A revoked key's webhooks get no more deliveries: what the delivery reads lists only live tenants'. */
  @Test
  void aRevokedKeysWebhooksAreNoLongerDeliveredTo() {
    org.geohazard.bus.WebhookService webhooks = ServiceBus.client(api.vertx().eventBus(),
        org.geohazard.bus.WebhookService.class);
    String suffix = Long.toHexString(new Random().nextLong());
    worker.createKey("alert-it-live-" + suffix, "operate");
    worker.createKey("alert-it-revoked-" + suffix, "operate");
    try (TestDatabase db = new TestDatabase(worker.vertx(), worker.config.db())) {
      long live = db.count("SELECT id FROM api_keys WHERE name = ?", "alert-it-live-" + suffix);
      long revoked = db.count("SELECT id FROM api_keys WHERE name = ?", "alert-it-revoked-" + suffix);
      String kept = TestNode.await(webhooks.create(live, "https://example.org/live", "whsec_a",
          org.geohazard.bus.AlertFilter.ALL)).webhookId();
      String stopped = TestNode.await(webhooks.create(revoked, "https://example.org/revoked", "whsec_b",
          org.geohazard.bus.AlertFilter.ALL)).webhookId();
      List<String> before = TestNode.await(webhooks.list(null)).stream().map(org.geohazard.bus.Webhook::webhookId)
          .toList();
      assertThat(before).contains(kept, stopped);
      db.execute("UPDATE api_keys SET revoked_at = NOW(3) WHERE id = ?", revoked);
      List<String> after = TestNode.await(webhooks.list(null)).stream().map(org.geohazard.bus.Webhook::webhookId)
          .toList();
      assertThat(after).contains(kept).doesNotContain(stopped);
      TestNode.await(webhooks.delete(live, kept));
      TestNode.await(webhooks.delete(revoked, stopped));
    }
  }

  @Test
  void anAlertTravelsToStreamsFeedsAndOperators() throws Exception {
    // A stream on the API node, filtered to this run's place, before anything is raised.
    List<String> events = new CopyOnWriteArrayList<>();
    HttpClient http = api.vertx().createHttpClient();
    String filter = "/api/v1/alerts/stream?latitude=" + latitude + "&longitude=" + longitude + "&radius_km=20&type=flood";
    HttpClientResponse stream = openStream(http, filter, null, events);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.getHeader("Content-Type")).startsWith("text/event-stream");

    // Uploaded with a key allowed to publish: its alert goes out at once (an anonymous one would be held, SecurityIT).
    String publisher = worker.createKey("alert-it-publisher", "read,upload,publish");
    JsonObject accepted = api.checked("analyzeSingle", api.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
        publisher));
    assertThat(api.awaitFinished(accepted.getString("image_id")).getString("status")).isEqualTo("completed");

    JsonObject raised = new JsonObject(awaitEvent(events, 0).data);
    String alertId = raised.getString("alert_id");
    assertThat(raised.getBoolean("created")).isTrue();
    assertThat(raised.getString("alert_type")).isEqualTo("flood");
    String firstId = awaitEvent(events, 0).id;

    // The seed's names, and both spellings at once refused.
    JsonObject active = api.checked("getActiveAlerts", api.get("/api/v1/alerts/active?lat=" + latitude + "&lon="
        + longitude + "&radius=5"));
    assertThat(active.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getString("alert_id").equals(alertId))).isTrue();
    assertThat(api.get("/api/v1/alerts/active?lat=1&latitude=1&lon=2").statusCode()).isEqualTo(400);
    HttpResponse<Buffer> geo = TestNode.await(api.client.get("/api/v1/alerts/active?latitude=" + latitude
        + "&longitude=" + longitude).putHeader("Accept", "application/geo+json").send());
    assertThat(geo.getHeader("Content-Type")).isEqualTo("application/geo+json");
    assertThat(geo.bodyAsJsonObject().getString("type")).isEqualTo("FeatureCollection");

    // One alert as JSON and as CAP 1.2.
    assertThat(api.checked("getAlert", api.get("/api/v1/alerts/" + alertId)).getInteger("version")).isEqualTo(1);
    Element cap = capOf(TestNode.await(api.client.get("/api/v1/alerts/" + alertId)
        .putHeader("Accept", "application/cap+xml").send()));
    assertThat(text(cap, "msgType")).isEqualTo("Alert");
    assertThat(text(cap, "event")).isEqualTo("Flood");
    assertThat(text(cap, "circle")).startsWith(String.format(java.util.Locale.ROOT, "%.6f,%.6f", latitude, longitude));

    // The Atom feed carries it with its CAP message.
    HttpResponse<Buffer> feed = api.get("/api/v1/alerts/feed");
    assertThat(feed.getHeader("Content-Type")).as(feed.bodyAsString()).isEqualTo("application/atom+xml");
    Document atom = xml(feed.bodyAsString());
    assertThat(atom.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2005/Atom");
    assertThat(feed.bodyAsString()).contains("urn:geohazard:alert:" + alertId + ":1");

    // Operators: acknowledging needs a key with 'operate' (the uploader's key has none); resolving ends the alert.
    assertThat(TestNode.await(api.client.post("/api/v1/alerts/" + alertId + "/acknowledge").send()).statusCode())
        .isEqualTo(401);
    HttpResponse<Buffer> notAnOperator = TestNode.await(api.client.post("/api/v1/alerts/" + alertId + "/acknowledge")
        .putHeader("X-API-Key", publisher).send());
    assertThat(api.checked("acknowledgeAlert", notAnOperator).getString("code")).isEqualTo("insufficient_scope");
    String key = worker.createKey("alert-it", "operate");
    HttpResponse<Buffer> acknowledged = TestNode.await(api.client.post("/api/v1/alerts/" + alertId + "/acknowledge")
        .putHeader("X-API-Key", key).send());
    assertThat(api.checked("acknowledgeAlert", acknowledged).getString("state")).isEqualTo("acknowledged");

    // The stream dropped and reopened with the last id it saw: the acknowledgement comes from the replay.
    stream.request().connection().close();
    List<String> resumed = new CopyOnWriteArrayList<>();
    openStream(http, filter, firstId, resumed);
    JsonObject replayed = new JsonObject(awaitEvent(resumed, 0).data);
    assertThat(replayed.getString("alert_id")).isEqualTo(alertId);
    assertThat(replayed.getString("state")).isEqualTo("acknowledged");

    HttpResponse<Buffer> resolved = TestNode.await(api.client.post("/api/v1/alerts/" + alertId + "/resolve")
        .putHeader("X-API-Key", key).send());
    assertThat(api.checked("resolveAlert", resolved).getString("state")).isEqualTo("resolved");
    JsonObject afterwards = api.checked("getActiveAlerts", api.get("/api/v1/alerts/active?latitude=" + latitude
        + "&longitude=" + longitude + "&radius_km=5"));
    assertThat(afterwards.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .noneMatch(a -> a.getString("alert_id").equals(alertId))).isTrue();
    Element cancel = capOf(TestNode.await(api.client.get("/api/v1/alerts/" + alertId + "?format=cap").send()));
    assertThat(text(cancel, "msgType")).isEqualTo("Cancel");
    assertThat(text(cancel, "references")).contains("urn:geohazard:alert:" + alertId + ":1");
    assertThat(new JsonObject(awaitEvent(resumed, 1).data).getString("state")).isEqualTo("resolved");

    JsonObject history = api.checked("getAlertHistory", api.get("/api/v1/alerts/history?from="
        + java.time.Instant.now().minusSeconds(3600) + "&latitude=" + latitude + "&longitude=" + longitude));
    assertThat(history.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getString("alert_id").equals(alertId) && a.getString("state").equals("resolved"))).isTrue();
    http.close();
  }

  private record Event(String id, String data) {}

  /** Opens a stream; every complete event (id + data) is appended to {@code events} as "id\ndata". */
  private static HttpClientResponse openStream(HttpClient http, String path, String lastEventId, List<String> events) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(api.node.httpPort()).setURI(path);
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    Promise<HttpClientResponse> opened = Promise.promise();
    StringBuilder pending = new StringBuilder();
    http.request(options).compose(request -> request.send()).onSuccess(response -> {
      response.handler(chunk -> {
        pending.append(chunk.toString(StandardCharsets.UTF_8));
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String block = pending.substring(0, end);
          pending.delete(0, end + 2);
          String id = null;
          String data = null;
          for (String line : block.split("\n")) {
            if (line.startsWith("id: ")) {
              id = line.substring(4);
            } else if (line.startsWith("data: ")) {
              data = line.substring(6);
            }
          }
          if (id != null && data != null) {
            events.add(id + "\n" + data);
          }
        }
      });
      opened.complete(response);
    }).onFailure(opened::fail);
    return TestNode.await(opened.future());
  }

  private static Event awaitEvent(List<String> events, int index) {
    String found = api.pollUntil(() -> io.vertx.core.Future.succeededFuture(events.size() > index ? events.get(index) : ""),
        e -> !e.isEmpty(), Duration.ofSeconds(30));
    int split = found.indexOf('\n');
    return new Event(found.substring(0, split), found.substring(split + 1));
  }

  private static Element capOf(HttpResponse<Buffer> response) throws Exception {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/cap+xml");
    Element alert = xml(response.bodyAsString()).getDocumentElement();
    assertThat(alert.getNamespaceURI()).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2");
    assertThat(alert.getLocalName()).isEqualTo("alert");
    return alert;
  }

  private static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Element root, String name) {
    List<String> found = new ArrayList<>();
    var nodes = root.getElementsByTagNameNS("urn:oasis:names:tc:emergency:cap:1.2", name);
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add(nodes.item(i).getTextContent());
    }
    assertThat(found).as("<%s> in the CAP message", name).hasSize(1);
    return found.get(0);
  }
}
