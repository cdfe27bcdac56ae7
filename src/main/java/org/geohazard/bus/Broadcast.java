package org.geohazard.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/** A publish-subscribe address with the one record type every subscriber receives. */
public record Broadcast<T>(String name, Class<T> type) {

  public void publish(EventBus bus, T event) {
    bus.publish(name, event);
  }

  public MessageConsumer<T> subscribe(EventBus bus, Consumer<T> handler) {
    return bus.consumer(name, message -> handler.accept(message.body()));
  }
}
