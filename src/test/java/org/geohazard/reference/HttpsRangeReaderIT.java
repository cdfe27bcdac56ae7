package org.geohazard.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geohazard.auth.WebhookTargets;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ranged reads over real TLS from a server on this machine (its certificate made by the JDK's keytool): ranges as
 * asked, a GeoTIFF's windows equal to the file's, and the answers a ranged reader must refuse (the whole file for a
 * range, a redirect). The address check is relaxed for 127.0.0.1 here only; {@link ReferenceSourcesTest} shows it
 * refusing such addresses.
 */
class HttpsRangeReaderIT {

  private static final String PASSWORD = "range-test";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");
  private static Vertx vertx;
  private static HttpServer server;
  private static HttpClient client;
  private static volatile byte[] served = new byte[0];
  private static final AtomicInteger rangeRequests = new AtomicInteger();

  @BeforeAll
  static void serve(@TempDir Path dir) throws Exception {
    Path store = selfSigned(dir.resolve("server.p12"));
    vertx = Vertx.vertx();
    PfxOptions pfx = new PfxOptions().setPath(store.toString()).setPassword(PASSWORD);
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(pfx))
        .requestHandler(HttpsRangeReaderIT::answer);
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    client = vertx.createHttpClient(new HttpClientOptions().setTrustOptions(pfx).setVerifyHost(true));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** /file.tif serves ranges; /whole.tif ignores them; /moved.tif redirects. */
  private static void answer(HttpServerRequest request) {
    byte[] file = served;
    switch (request.path()) {
      case "/file.tif" -> {
        Matcher m = RANGE.matcher(String.valueOf(request.getHeader("Range")));
        if (!m.matches()) {
          request.response().setStatusCode(400).end();
          return;
        }
        rangeRequests.incrementAndGet();
        int first = Integer.parseInt(m.group(1));
        int last = Math.min(Integer.parseInt(m.group(2)), file.length - 1);
        request.response().setStatusCode(206)
            .putHeader("Content-Range", "bytes " + first + "-" + last + "/" + file.length)
            .end(Buffer.buffer(Arrays.copyOfRange(file, first, last + 1)));
      }
      case "/whole.tif" -> request.response().setStatusCode(200).end(Buffer.buffer(file));
      case "/moved.tif" -> request.response().setStatusCode(302).putHeader("Location", "https://10.0.0.1/").end();
      default -> request.response().setStatusCode(404).end();
    }
  }

  private static HttpsRangeReader open(String path) throws Exception {
    SceneReference reference = SceneReference.parse("https://localhost:" + server.actualPort() + path);
    WebhookTargets.Target target = ReferenceSources.checkHttps(reference,
        new HttpsSources(true, List.of("localhost"), 10_000), true);
    return HttpsRangeReader.open(client, target, 10_000);
  }

  @Test
  void readsTheRangesAskedForAndAGeoTiffsWindowsEqualTheFiles(@TempDir Path dir) throws Exception {
    Path file = new GeoTiffFixture(1024, 1024).bands(4, SampleType.UINT16).tiles(256)
        .compression(GeoTiffFixture.Compression.DEFLATE).horizontalDifferencing()
        .samples((band, x, y) -> 100 * band + (x ^ y) % 97).write(dir.resolve("scene.tif"));
    served = Files.readAllBytes(file);
    try (HttpsRangeReader reader = open("/file.tif")) {
      assertThat(reader.size()).isEqualTo(served.length);
      byte[] middle = new byte[1000];
      reader.readFully(5_000, middle, 0, 1000);
      assertThat(middle).isEqualTo(Arrays.copyOfRange(served, 5_000, 6_000));
      assertThat(reader.requests()).isEqualTo(1);
    }
    int[] bands = {2, 1, 0};
    try (GeoTiffRaster remote = GeoTiffRaster.open(open("/file.tif"), ImageLimits.DEFAULT, 1 << 20);
         GeoTiffRaster local = GeoTiffRaster.open(file)) {
      float[] fromServer = new float[300 * 200 * 3];
      float[] fromDisk = new float[fromServer.length];
      remote.readWindow(400, 500, 300, 200, bands, fromServer);
      local.readWindow(400, 500, 300, 200, bands, fromDisk);
      assertThat(fromServer).isEqualTo(fromDisk);
    }
  }

  @Test
  void serverThatIgnoresRangesOrRedirectsIsRefused() {
    served = "not a tiff".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> open("/whole.tif")).isInstanceOf(IOException.class)
        .hasMessageContaining("ignores ranges");
    assertThatThrownBy(() -> open("/moved.tif")).isInstanceOf(IOException.class)
        .hasMessageContaining("redirects are not followed");
  }

  private static Path selfSigned(Path store) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
        "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost",
        "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return store;
  }
}
