package org.geohazard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.geohazard.harness.BenchArgs;
import org.geohazard.harness.LoadClient;
import org.geohazard.harness.NodeProcess;
import org.geohazard.testing.TestImages;

/**
 * Durable uploads per second: closed-loop clients upload ~100 KB JPEGs, each made unique (a comment segment with a
 * counter), to a node with the API and persistence roles only (an accepted upload is stored in S3, recorded in the
 * database and queued on Kafka; nothing analyses it), and the same requests to a bare Vert.x server that spools
 * the multipart body to disk and answers 202 ({@link BareServer} {@code --uploads}): the HTTP side's own limit on
 * this machine. Rounds alternate; medians and the ratio are printed with the goal (1,000 per second).
 *
 * <pre>scripts/load.sh uploads [CONNECTIONS (16)] [SECONDS (10)] [ROUNDS (3)] [STORE: s3proxy (default) | bare]</pre>
 */
public final class UploadLoadBenchmark {

  private UploadLoadBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int connections = Integer.parseInt(options.getOrDefault("connections", "16"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    // Seconds of load on each server before the rounds: on these small machines the JIT takes minutes to finish
    // compiling the node's paths (and the S3 SDK's, and s3proxy's), and a short warm-up measures a cold node.
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
    int nodePort = 8097;
    int barePort = 8098;
    byte[] jpeg = noiseJpeg(100 * 1024);
    // --store bare: the node stores into BareServer --s3 (reads each body, answers its MD5, keeps nothing) instead
    // of s3proxy: the node's figure with the store's own cost taken out (not durable; a measurement only).
    boolean bareStore = options.getOrDefault("store", "s3proxy").equals("bare");
    int storePort = 8099;
    Map<String, String> settings = new HashMap<>(Map.of("GEOHAZARD_HTTP_PORT", Integer.toString(nodePort),
        "GEOHAZARD_NODE_ID", "upload-load", "GEOHAZARD_HTTP_INSTANCES", "2",
        "GEOHAZARD_NODE_ROLES", "api,persistence",
        // Claims go to topics of their own (created on first use): nothing here analyses them, and on the stack's
        // own topics the tens of thousands left behind would be the next node's backlog (a read benchmark after
        // this one waited behind them for its one image).
        "GEOHAZARD_KAFKA_TOPIC_PROCESS", "bench.upload-load.process",
        "GEOHAZARD_KAFKA_TOPIC_PROCESS_HIGH", "bench.upload-load.process.high"));
    Process store = null;
    if (bareStore) {
      store = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-cp", System.getProperty("java.class.path"), BareServer.class.getName(),
          "--port", Integer.toString(storePort), "--instances", "1", "--s3", "true")
          .redirectErrorStream(true).redirectOutput(new File(".stack/logs/bare-s3-store.log")).start();
      settings.put("GEOHAZARD_S3_ENDPOINT", "http://127.0.0.1:" + storePort);
      awaitPort(storePort);
    }
    try (NodeProcess node = NodeProcess.start(settings, "768m", "upload-load")) {
      node.awaitReady(new LoadClient("http://127.0.0.1:" + nodePort), "upload-load");
      Path answer = Files.createTempFile("upload-load-answer", ".json");
      Files.writeString(answer, "{\"image_id\":\"00000000-0000-0000-0000-000000000000\",\"status\":\"pending\"}");
      Path spool = Files.createTempDirectory("bare-uploads");
      Process bare = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), BareServer.class.getName(),
          "--body", answer.toString(), "--port", Integer.toString(barePort), "--instances", "2",
          "--uploads", spool.toString())
          .redirectErrorStream(true).redirectOutput(new File(".stack/logs/bare-upload-server.log")).start();
      Vertx vertx = Vertx.vertx();
      try {
        Thread.sleep(2000);
        System.out.printf(Locale.ROOT, "uploads of a %d-byte JPEG, each unique: %d connections, %d s per round, %d"
            + " rounds; store: %s; %d s of warm-up each%n", jpeg.length, connections, seconds, rounds,
            bareStore ? "BareServer --s3 (reads and hashes each body, keeps nothing)" : "s3proxy (durable, on disk)",
            warmup);
        AtomicLong counter = new AtomicLong();
        load(vertx, nodePort, jpeg, counter, connections, warmup);
        load(vertx, barePort, jpeg, counter, connections, warmup);
        List<Double> nodeRates = new ArrayList<>();
        List<Double> bareRates = new ArrayList<>();
        List<Double> nodeP99 = new ArrayList<>();
        CpuAccounting.Snapshot cpuBefore = CpuAccounting.available() ? CpuAccounting.snapshot() : null;
        Map<String, Double> cpuPerUpload = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
          CpuAccounting.Snapshot roundStart = cpuBefore == null ? null : CpuAccounting.snapshot();
          ClosedLoop.Result n = load(vertx, nodePort, jpeg, counter, connections, seconds);
          if (roundStart != null) {
            // The node runs in its own process, which the accounting counts as "rest of machine" (the bare server
            // is idle during the node's round); this JVM is the load client.
            CpuAccounting.PerImage cpu = CpuAccounting.between(roundStart, CpuAccounting.snapshot(), n.count());
            for (String part : CpuAccounting.PARTS) {
              String label = part.equals("rest of machine") ? "node process"
                  : CpuAccounting.isNodePart(part) ? "load client" : part;
              cpuPerUpload.merge(label, cpu.msPerImage().getOrDefault(part, 0.0) / rounds, Double::sum);
            }
            cpuPerUpload.merge("machine busy %", 100 * cpu.machineUtilisation() / rounds, Double::sum);
          }
          ClosedLoop.Result b = load(vertx, barePort, jpeg, counter, connections, seconds);
          nodeRates.add(n.rate());
          bareRates.add(b.rate());
          nodeP99.add(n.p99Ms());
          System.out.printf(Locale.ROOT, "round %d: node %6.0f accepted/s p50 %6.1f ms p99 %6.1f ms (refused %d) |"
                  + " bare %6.0f/s p50 %5.1f ms p99 %5.1f ms | ratio %.2f%n", round, n.rate(), n.p50Ms(), n.p99Ms(),
              n.errors(), b.rate(), b.p50Ms(), b.p99Ms(), n.rate() / b.rate());
        }
        if (!cpuPerUpload.isEmpty()) {
          StringBuilder line = new StringBuilder("CPU ms per accepted upload during the node's rounds (mean):");
          cpuPerUpload.forEach((part, ms) -> line.append(String.format(Locale.ROOT, " %s %.2f;", part, ms)));
          System.out.println(line);
        }
        double nodeMedian = Stats.median(nodeRates);
        double bareMedian = Stats.median(bareRates);
        System.out.printf(Locale.ROOT, "median: node %.0f %s uploads/s (p99 %.1f ms) vs bare Vert.x %.0f/s: ratio"
            + " %.2f (goal >= 1000/s)%n", nodeMedian, bareStore ? "accepted (store: bare sink, not durable)" : "durable",
            Stats.median(nodeP99), bareMedian, nodeMedian / bareMedian);
      } finally {
        vertx.close();
        bare.destroy();
        Files.deleteIfExists(answer);
      }
    } finally {
      if (store != null) {
        store.destroy();
      }
    }
  }

  /** Waits (up to 30 s) until something accepts connections on the port. */
  private static void awaitPort(int port) throws Exception {
    long until = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("nothing listens on " + port + " after 30 s");
        }
        Thread.sleep(200);
      }
    }
  }

  /** A JPEG of random noise about {@code size} bytes long (noise does not compress). */
  static byte[] noiseJpeg(int size) {
    Random random = new Random(7);
    int side = 64;
    byte[] jpeg;
    do {
      side += 16;
      BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          image.setRGB(x, y, random.nextInt(0xFFFFFF));
        }
      }
      jpeg = TestImages.jpeg(image);
    } while (jpeg.length < size);
    return jpeg;
  }

  /** The JPEG with a comment segment right after SOI holding {@code n}: new content, same picture. */
  private static byte[] unique(byte[] jpeg, long n) {
    byte[] text = String.format(Locale.ROOT, "upload-load %016d", n).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + text.length + 4);
    out.write(jpeg, 0, 2);
    out.write(0xFF);
    out.write(0xFE);
    out.write((text.length + 2) >> 8);
    out.write((text.length + 2) & 0xFF);
    out.writeBytes(text);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  private static Buffer multipart(byte[] file, String boundary) {
    return Buffer.buffer()
        .appendString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"u.jpg\"\r\n"
            + "Content-Type: image/jpeg\r\n\r\n")
        .appendBytes(file)
        .appendString("\r\n--" + boundary + "--\r\n");
  }

  /** Closed loop of uploads, each of a new JPEG; a 202 or 200 is done. */
  private static ClosedLoop.Result load(Vertx vertx, int port, byte[] jpeg, AtomicLong counter, int connections,
                                        int seconds) throws Exception {
    return ClosedLoop.run(vertx, port, connections, seconds, () -> {
      long n = counter.incrementAndGet();
      String boundary = "upload-load-" + n;
      return new ClosedLoop.Request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/v1/analyze/single")
          .putHeader("Content-Type", "multipart/form-data; boundary=" + boundary), multipart(unique(jpeg, n), boundary));
    }, status -> status == 202 || status == 200);
  }
}
