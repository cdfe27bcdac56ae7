package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.geohazard.config.AppConfig;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puts through the node's object store against the real s3proxy: an upload-sized object goes by the direct put
 * (the SDK's signer on Vert.x's HTTP client), and what the SDK client reads back is exactly the bytes written, every
 * byte value included; a put the store refuses (wrong secret, no such bucket) or cannot take (nothing listening)
 * fails instead of reporting the object stored.
 */
class ObjectStoreIT {

  private static Vertx vertx;
  private static Map<String, String> env;
  private static S3ObjectStore store;

  @BeforeAll
  static void connect() {
    env = LocalStack.env();
    vertx = Vertx.vertx();
    // No recent copies: every read below goes to the store.
    store = open(env.get("GEOHAZARD_S3_ENDPOINT"), env.get("GEOHAZARD_S3_SECRET_KEY"), env.get("GEOHAZARD_S3_BUCKET"));
    TestNode.await(store.ensureBucket());
  }

  @AfterAll
  static void close() {
    store.close();
    TestNode.await(vertx.close());
  }

  private static S3ObjectStore open(String endpoint, String secret, String bucket) {
    return new S3ObjectStore(vertx, new AppConfig.S3(endpoint, env.get("GEOHAZARD_S3_REGION"),
        env.get("GEOHAZARD_S3_ACCESS_KEY"), secret, bucket, 2, 0, 0));
  }

  private static Path randomFile(Path dir, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    for (int i = 0; i < 256; i++) {
      bytes[i] = (byte) i;
    }
    return Files.write(dir.resolve("object-" + seed), bytes);
  }

  @Test
  void directPutStoresExactlyTheFilesBytes(@TempDir Path dir) throws Exception {
    for (int size : new int[] {256, 104_674, 3 * 1024 * 1024 + 17}) {
      Path file = randomFile(dir, size, size);
      String key = "images/test/" + UUID.randomUUID() + " a+b=c.jpg";

      TestNode.await(store.put(key, file, "image/jpeg"));

      assertThat(TestNode.await(store.get(key)).getBytes()).as("%d bytes", size).isEqualTo(Files.readAllBytes(file));
    }
  }

  /**
   * {@code getBytes} (what the analysis reads, no buffer in between): the file's bytes from the store, and from the
   * node's own recent copy when it put them itself; the recent copy is handed out once, the next read goes to the
   * store and still gets the same bytes.
   */
  @Test
  void getBytesReadsTheFilesBytesFromTheStoreAndFromTheRecentCopy(@TempDir Path dir) throws Exception {
    Path file = randomFile(dir, 104_674, 7);
    byte[] expected = Files.readAllBytes(file);
    String key = "images/test/" + UUID.randomUUID();
    try (S3ObjectStore keeping = new S3ObjectStore(vertx, new AppConfig.S3(env.get("GEOHAZARD_S3_ENDPOINT"),
        env.get("GEOHAZARD_S3_REGION"), env.get("GEOHAZARD_S3_ACCESS_KEY"), env.get("GEOHAZARD_S3_SECRET_KEY"),
        env.get("GEOHAZARD_S3_BUCKET"), 2, 1 << 20, 1 << 20))) {
      TestNode.await(keeping.put(key, file, "image/jpeg"));

      assertThat(TestNode.await(keeping.getBytes(key))).as("the recent copy").isEqualTo(expected);
      assertThat(TestNode.await(keeping.getBytes(key))).as("then from the store").isEqualTo(expected);
    }
    assertThat(TestNode.await(store.getBytes(key))).as("a store that did not put it").isEqualTo(expected);
    assertThatThrownBy(() -> TestNode.await(store.getBytes(key + "-missing")))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
  }

  @Test
  void putOfTheSameKeyAgainIsHarmless(@TempDir Path dir) throws Exception {
    Path file = randomFile(dir, 50_000, 7);
    String key = "images/test/" + UUID.randomUUID();

    TestNode.await(store.put(key, file, "image/png"));
    TestNode.await(store.put(key, file, "image/png"));

    assertThat(TestNode.await(store.get(key)).getBytes()).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void aPutTheStoreRefusesOrCannotTakeFails(@TempDir Path dir) throws Exception {
    Path file = randomFile(dir, 10_000, 3);
    try (S3ObjectStore wrongSecret = open(env.get("GEOHAZARD_S3_ENDPOINT"), "not-the-secret",
        env.get("GEOHAZARD_S3_BUCKET"))) {
      assertThatThrownBy(() -> TestNode.await(wrongSecret.put("images/test/refused", file, "image/png")))
          .hasMessageContaining("403");
    }
    try (S3ObjectStore noBucket = open(env.get("GEOHAZARD_S3_ENDPOINT"), env.get("GEOHAZARD_S3_SECRET_KEY"),
        "no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8))) {
      assertThatThrownBy(() -> TestNode.await(noBucket.put("images/test/nowhere", file, "image/png")))
          .hasMessageContaining("404");
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (S3ObjectStore away = open("http://127.0.0.1:" + closedPort, env.get("GEOHAZARD_S3_SECRET_KEY"),
        env.get("GEOHAZARD_S3_BUCKET"))) {
      assertThatThrownBy(() -> TestNode.await(away.put("images/test/away", file, "image/png")))
          .hasMessageContaining("refused");
    }
  }

  /**
   * Opening an object for ranged reads tells a missing object (no retry brings it) from a store that cannot
   * answer (retry later): callers answer the first as the caller's error and the second as an outage.
   */
  @Test
  void rangedOpeningTellsAMissingObjectFromAStoreThatCannotAnswer() throws Exception {
    assertThatThrownBy(() -> store.openRange("images/test/never-" + UUID.randomUUID()))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
    try (S3ObjectStore wrongSecret = open(env.get("GEOHAZARD_S3_ENDPOINT"), "not-the-secret",
        env.get("GEOHAZARD_S3_BUCKET"))) {
      assertThatThrownBy(() -> wrongSecret.openRange("images/test/any"))
          .isInstanceOf(ObjectStore.StoreUnavailableException.class).hasMessageContaining("403");
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (S3ObjectStore away = open("http://127.0.0.1:" + closedPort, env.get("GEOHAZARD_S3_SECRET_KEY"),
        env.get("GEOHAZARD_S3_BUCKET"))) {
      assertThatThrownBy(() -> away.openRange("images/test/any"))
          .isInstanceOf(ObjectStore.StoreUnavailableException.class).hasMessageContaining("did not answer");
    }
  }
}
