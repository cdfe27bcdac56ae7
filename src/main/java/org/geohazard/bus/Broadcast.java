package org.geohazard.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A publish-subscribe address with the one type every subscriber receives, in an {@link Envelope}. */
public record Broadcast<T>(String name, Class<T> type) {

  private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);

  public void publish(EventBus bus, T event) {
    bus.publish(name, Envelope.of(event));
  }

  /** Subscribes {@code handler}; an event this node cannot read (another version's) is logged and dropped. */
  public MessageConsumer<Envelope> subscribe(EventBus bus, Consumer<T> handler) {
    return bus.<Envelope>consumer(name, message -> {
      T event;
      try {
        event = message.body().read(type);
      } catch (RuntimeException e) {
        LOG.warn("{} event dropped: {}", name, e.getMessage());
        return;
      }
      handler.accept(event);
    });
  }
}
