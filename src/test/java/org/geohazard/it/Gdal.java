package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * GDAL's command-line tools (Debian gdal-bin) as the client of the node's OGC API - Features, for the ITs that check
 * what a GIS user gets: run a tool, read a GeoPackage back as GeoJSON, compare geometries. Tests skip visibly, saying
 * why, where the tools are missing ({@code scripts/local-stack.sh up} installs them).
 */
final class Gdal {

  /** Geometries GDAL copied must match the API's within this, in degrees (issue 25). */
  static final double TOLERANCE_DEGREES = 1e-7;

  private Gdal() {}

  static void require() {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ogrinfo")) && Files.isExecutable(Path.of(
        "/usr/bin/ogr2ogr")), "GDAL's ogrinfo/ogr2ogr are not installed (Debian gdal-bin; scripts/local-stack.sh up"
        + " installs it)");
  }

  /** Runs a GDAL tool (with an HTTP header for every request, e.g. the API key) and returns its output. */
  static String run(String header, String... command) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(command));
    if (header != null) {
      args.add(1, "--config");
      args.add(2, "GDAL_HTTP_HEADERS");
      args.add(3, header);
    }
    ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
    builder.environment().put("GDAL_HTTP_TIMEOUT", "60");
    builder.environment().remove("http_proxy");
    builder.environment().remove("HTTP_PROXY");
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", args) + "\n" + text).isZero();
    return text;
  }

  /** A layer of a GeoPackage read back by GDAL, as GeoJSON features (written next to it in {@code dir}). */
  static JsonArray readBack(Path dir, Path gpkg, String layer) throws Exception {
    Path json = dir.resolve(layer + "-" + System.nanoTime() + ".geojson");
    run(null, "ogr2ogr", "-f", "GeoJSON", json.toString(), gpkg.toString(), layer);
    return new JsonObject(Files.readString(json)).getJsonArray("features");
  }

  /** The same geometry type and every coordinate within {@link #TOLERANCE_DEGREES}, in the same order. */
  static void assertSameGeometry(JsonObject actual, JsonObject expected, String id) {
    assertThat(actual.getString("type")).as(id).isEqualTo(expected.getString("type"));
    List<Double> got = flatten(actual.getJsonArray("coordinates"));
    List<Double> want = flatten(expected.getJsonArray("coordinates"));
    assertThat(got).as(id).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i)).as("%s coordinate %d", id, i).isCloseTo(want.get(i), within(TOLERANCE_DEGREES));
    }
  }

  private static List<Double> flatten(JsonArray coordinates) {
    List<Double> out = new ArrayList<>();
    for (Object value : coordinates) {
      if (value instanceof JsonArray nested) {
        out.addAll(flatten(nested));
      } else {
        out.add(((Number) value).doubleValue());
      }
    }
    return out;
  }
}
