package org.geohazard.node;

import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.storage.ObjectStore;

/**
 * The node-wide services shared by the verticles that need them: the Redis cache, the object
 * store and the Kafka producer each have async APIs and are safe to use from any verticle.
 */
public record NodeServices(AppConfig config, RedisCache cache, ObjectStore objectStore, KafkaPublisher publisher,
                           NodeMetrics metrics) implements AutoCloseable {

  @Override
  public void close() {
    publisher.close();
    objectStore.close();
    cache.close();
  }
}
