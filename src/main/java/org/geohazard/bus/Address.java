package org.geohazard.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Function;

/**
 * A request-reply address with the one record type it takes and the one it answers with. A local address
 * carries node-local work (pixels, the node's own sessions) and is never sent to another node.
 *
 * @param name the address, {@code <area>.<verb>}
 */
public record Address<Q, A>(String name, Class<Q> requestType, Class<A> replyType, boolean local) {

  /** The same address for one of several owners ({@code name.suffix}): a node, a device. */
  public Address<Q, A> at(String suffix) {
    return new Address<>(name + "." + suffix, requestType, replyType, local);
  }

  public Future<A> request(EventBus bus, Q request) {
    return request(bus, request, new DeliveryOptions());
  }

  /** Sends the request; a failed reply comes back as a {@link Failure}. */
  public Future<A> request(EventBus bus, Q request, DeliveryOptions options) {
    if (local) {
      options.setLocalOnly(true);
    }
    return bus.<A>request(name, request, options).map(Message::body)
        .recover(error -> Future.failedFuture(Failure.of(error, name.substring(0, Math.max(0, name.indexOf('.'))))));
  }

  /**
   * Answers requests with {@code handler}. A handler that throws or fails with a {@link Failure} answers with it;
   * a value it refuses ({@link IllegalArgumentException}) is {@link Failure.Code#INVALID_REQUEST}; any other failure
   * is {@code fallback} (what the owner's failures mean to callers: a database error is unavailable).
   */
  public MessageConsumer<Q> consume(EventBus bus, Function<Q, Future<A>> handler, Failure.Code fallback) {
    Handler<Message<Q>> answer = message -> {
      Future<A> reply;
      try {
        reply = handler.apply(message.body());
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(message::reply).onFailure(error -> message.reply(error instanceof Failure failure ? failure
          : error instanceof IllegalArgumentException ? Failure.invalidRequest(error.getMessage())
          : new Failure(fallback, String.valueOf(error.getMessage()))));
    };
    return local ? bus.localConsumer(name, answer) : bus.consumer(name, answer);
  }
}
