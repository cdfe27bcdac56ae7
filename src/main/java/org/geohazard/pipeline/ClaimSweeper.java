package org.geohazard.pipeline;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the claims that never reached Kafka: an upload is stored, registered, then its claim sent, and a
 * node that dies between the last two leaves a pending image nothing will analyse. Every sweep asks
 * persistence for pending images registered more than {@code kafka.claimGraceSeconds} ago and never marked
 * queued, sends their claims (rebuilt from the rows) and marks them queued. Several pipeline nodes may sweep
 * the same image at once; the second claim is absorbed by the idempotent writes, and marking happens after
 * the send, so a send that fails leaves the image to the next sweep.
 */
final class ClaimSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(ClaimSweeper.class);
  static final int BATCH = 100;

  private final ImageService images;
  private final KafkaPublisher publisher;
  private final AppConfig.Kafka config;

  ClaimSweeper(EventBus bus, KafkaPublisher publisher, AppConfig.Kafka config) {
    this.images = ServiceBus.client(bus, ImageService.class);
    this.publisher = publisher;
    this.config = config;
  }

  /** One sweep; completes with the number of claims queued again. */
  Future<Integer> sweep() {
    return images.lostClaims(config.claimGraceSeconds(), BATCH, config.requeueAfterSeconds())
        .compose(lost -> {
          List<Future<String>> sent = new ArrayList<>();
          for (ImageClaim claim : lost) {
            String topic = claim.highPriority() ? config.topicProcessHigh() : config.topicProcess();
            sent.add(publisher.send(topic, claim.imageId(), claim.toJson()).map(claim.imageId()));
          }
          return Future.join(sent).transform(done -> {
            List<String> queued = sent.stream().filter(Future::succeeded).map(Future::result).toList();
            if (!queued.isEmpty()) {
              LOG.warn("queued {} claim(s) that never reached Kafka: {}", queued.size(), queued);
            }
            return images.markQueued(queued).map(queued.size());
          });
        });
  }
}
