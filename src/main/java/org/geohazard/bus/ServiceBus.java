package org.geohazard.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A {@link BusService} interface on the event bus: {@link #client} gives an implementation that sends each call
 * to the method's address, {@link #serve} answers those addresses with a real implementation. Arguments and
 * results travel in an {@link Envelope}; a failure comes back as the {@link Failure} the implementation failed
 * with (any other error as {@code errors} says what it means to callers), naming the operation that failed
 * ({@link Failure#operation()}: the method's address).
 */
public final class ServiceBus {

  private ServiceBus() {}

  /** A client of {@code api} whose calls use the bus's default timeout. */
  public static <S> S client(EventBus bus, Class<S> api) {
    return client(bus, api, new DeliveryOptions());
  }

  /** A client of {@code api}; every call is sent with {@code options} (a timeout, headers). */
  public static <S> S client(EventBus bus, Class<S> api, DeliveryOptions options) {
    BusService service = describe(api);
    DeliveryOptions sent = new DeliveryOptions(options).setLocalOnly(service.local() || options.isLocalOnly());
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "toString" -> api.getSimpleName() + " client at " + service.value();
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        };
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      Type result = resultType(method);
      String address = service.value() + "." + method.getName();
      return bus.<Envelope>request(address, Envelope.of(args == null ? new Object[0] : args), sent)
          .transform(reply -> reply.succeeded() ? Future.succeededFuture(reply.result().body().read(result))
              : Future.failedFuture(Failure.of(reply.cause()).at(address)));
    };
    return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, handler));
  }

  /**
   * Answers every method of {@code api} with {@code implementation}. A call that fails with a {@link Failure}
   * answers with it; a value a record refuses (thrown while the arguments are read, or by the implementation) is
   * {@link Failure.Code#INVALID_REQUEST}; any other error is what {@code errors} makes of it, told which operation
   * (address) failed. Every failure answered names that operation ({@link Failure#at}).
   *
   * @return the consumers, to unregister when the owner stops
   */
  public static <S> List<MessageConsumer<Envelope>> serve(EventBus bus, Class<S> api, S implementation,
                                                         BiFunction<String, Throwable, Failure> errors) {
    BusService service = describe(api);
    List<MessageConsumer<Envelope>> consumers = new ArrayList<>();
    for (Method method : operations(api)) {
      String address = service.value() + "." + method.getName();
      Type[] parameters = method.getGenericParameterTypes();
      Handler<Message<Envelope>> answer = message -> call(implementation, method, parameters,
          message.body())
          .onSuccess(value -> message.reply(Envelope.of(value)))
          .onFailure(error -> message.reply((error instanceof Failure failure ? failure
              : error instanceof IllegalArgumentException ? Failure.invalidRequest(error.getMessage())
              : errors.apply(address, error)).at(address)));
      consumers.add(service.local() ? bus.localConsumer(address, answer) : bus.consumer(address, answer));
    }
    return consumers;
  }

  private static Future<?> call(Object implementation, Method method, Type[] parameters, Envelope envelope) {
    try {
      return (Future<?>) method.invoke(implementation, envelope.arguments(parameters));
    } catch (InvocationTargetException e) {
      return Future.failedFuture(e.getCause());
    } catch (RuntimeException | IllegalAccessException e) {
      return Future.failedFuture(e);
    }
  }

  private static BusService describe(Class<?> api) {
    BusService service = api.getAnnotation(BusService.class);
    if (!api.isInterface() || service == null) {
      throw new IllegalArgumentException(api.getName() + " is not a @BusService interface");
    }
    return service;
  }

  /** The abstract methods, each returning a future, with unique names (a name is an address). */
  private static List<Method> operations(Class<?> api) {
    List<Method> operations = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Method method : api.getMethods()) {
      if (!Modifier.isAbstract(method.getModifiers())) {
        continue;
      }
      if (method.getReturnType() != Future.class || !names.add(method.getName())) {
        throw new IllegalArgumentException(api.getName() + "." + method.getName()
            + ": a bus operation returns a Future and has a name of its own");
      }
      operations.add(method);
    }
    return operations;
  }

  private static Type resultType(Method method) {
    return method.getGenericReturnType() instanceof ParameterizedType future
        ? future.getActualTypeArguments()[0] : Object.class;
  }
}
