package org.geohazard.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
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

  /** Sends the request; a failed reply comes back as a {@link FailureException} with its code. */
  public Future<A> request(EventBus bus, Q request, DeliveryOptions options) {
    if (local) {
      options.setLocalOnly(true);
    }
    return bus.<A>request(name, request, options).map(Message::body)
        .recover(error -> Future.failedFuture(error instanceof ReplyException reply
            ? new FailureException(Failure.of(error), messageOf(reply)) : error));
  }

  /** A failed reply's text for callers (and clients): Vert.x's own for a timeout names internal reply addresses. */
  private String messageOf(ReplyException reply) {
    String area = name.substring(0, Math.max(0, name.indexOf('.')));
    return switch (reply.failureType()) {
      case TIMEOUT -> "the " + area + " service did not answer in time; retry later";
      case NO_HANDLERS -> "no " + area + " service is running in the cluster; retry later";
      default -> reply.getMessage();
    };
  }

  /**
   * Answers requests with {@code handler}. A handler that throws or fails with a {@link FailureException}
   * answers with its code; any other failure is {@code fallback} (what the owner's failures mean to callers:
   * a database error is {@link Failure#UNAVAILABLE}).
   */
  public MessageConsumer<Q> consume(EventBus bus, Function<Q, Future<A>> handler, Failure fallback) {
    Function<Message<Q>, Void> answer = message -> {
      Future<A> reply;
      try {
        reply = handler.apply(message.body());
      } catch (FailureException e) {
        reply = Future.failedFuture(e);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(new FailureException(Failure.BAD_REQUEST, String.valueOf(e.getMessage())));
      }
      reply.onSuccess(message::reply).onFailure(error -> {
        if (error instanceof FailureException failure) {
          message.fail(failure.failure().code(), failure.getMessage());
        } else {
          message.fail(fallback.code(), String.valueOf(error.getMessage()));
        }
      });
      return null;
    };
    return local ? bus.localConsumer(name, answer::apply) : bus.consumer(name, answer::apply);
  }
}
