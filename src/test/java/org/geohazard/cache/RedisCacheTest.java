package org.geohazard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.RedisOptions;
import org.geohazard.config.AppConfig;
import org.junit.jupiter.api.Test;

/**
 * The pure part of {@link RedisCache}, its client settings (its behaviour against Redis is covered by the ITs), and
 * what it does when a server takes a command and never answers.
 */
class RedisCacheTest {

  private static AppConfig.Redis redis(String password, int database) {
    return new AppConfig.Redis("cache.internal", 6380, password, database, 3600, 3600, 30, 0);
  }

  @Test
  void connectsToTheConfiguredServerAndLogicalDatabase() {
    RedisOptions options = RedisCache.options(redis("", 4));
    assertThat(options.getEndpoint()).isEqualTo("redis://cache.internal:6380/4");
    assertThat(options.getMaxPoolSize()).isEqualTo(16);
    assertThat(options.getMaxPoolWaiting()).isEqualTo(256);
    assertThat(options.getPoolRecycleTimeout()).isEqualTo(15_000);
  }

  @Test
  void aPasswordWithUriCharactersIsEncodedIntoTheConnectionString() {
    RedisOptions options = RedisCache.options(redis("p@ss:w/rd", 0));
    assertThat(options.getEndpoint()).isEqualTo("redis://:p%40ss%3Aw%2Frd@cache.internal:6380/0");
  }

  @Test
  void tlsConnectsWithRedissAndVerifiesTheServerAgainstTheConfiguredAuthority(@org.junit.jupiter.api.io.TempDir
                                                                               java.nio.file.Path dir) throws Exception {
    java.nio.file.Path ca = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
    RedisOptions options = RedisCache.options(new AppConfig.Redis("cache.internal", 6380, "secret", 2, 3600, 3600,
        30, 0, true, ca.toString()));
    assertThat(options.getEndpoint()).isEqualTo("rediss://:secret@cache.internal:6380/2");
    assertThat(options.getNetClientOptions().isSsl()).isTrue();
    assertThat(options.getNetClientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(((io.vertx.core.net.PemTrustOptions) options.getNetClientOptions().getTrustOptions()).getCertPaths())
        .containsExactly(ca.toString());
  }

  @Test
  void withoutTlsTheClientSpeaksPlainRedis() {
    RedisOptions options = RedisCache.options(redis("", 0));
    assertThat(options.getEndpoint()).startsWith("redis://");
    assertThat(options.getNetClientOptions().isSsl()).isFalse();
  }

  /**
   * A server that accepts connections and reads every command but never answers (what a command sent on a
   * connection the client is closing looks like from the caller's side): each command fails or reads as a miss
   * after the bounded wait, rather than holding its caller for good.
   */
  @Test
  void aCommandThatIsNeverAnsweredFailsAfterTheBoundedWait() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.net.NetServer silent = vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> { }));
      int port = silent.listen(0, "127.0.0.1").await().actualPort();
      RedisCache cache = new RedisCache(vertx, new AppConfig.Redis("127.0.0.1", port, "", 0, 3600, 3600, 30, 0), 300);
      try {
        // Each await gives up after 10 s with java.util.concurrent.TimeoutException: the command's own bounded wait
        // (0.3 s here) must have ended it first, as a miss or as the command's failure.
        assertThat(cache.getJson("k").await(10, java.util.concurrent.TimeUnit.SECONDS)).as("a miss").isEmpty();
        assertThat(cache.errors()).isEqualTo(1);
        Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> cache.addInWindow("rate:k", 1, 60)
            .await(10, java.util.concurrent.TimeUnit.SECONDS));
        // The command's own bound (its 300 ms named), not the await's plain TimeoutException.
        assertThat(failed).isNotNull().isNotExactlyInstanceOf(java.util.concurrent.TimeoutException.class)
            .hasMessageContaining("300");
        assertThat(cache.delete("k").await(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
      } finally {
        cache.close();
      }
    } finally {
      vertx.close().await();
    }
  }
}
