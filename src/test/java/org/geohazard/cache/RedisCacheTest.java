package org.geohazard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.redis.client.RedisOptions;
import org.geohazard.config.AppConfig;
import org.junit.jupiter.api.Test;

/** The pure part of {@link RedisCache}: its client settings (its behaviour against Redis is covered by the ITs). */
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
}
