package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import org.geohazard.bus.BusService;
import org.geohazard.bus.Failure;
import org.geohazard.bus.Location;
import org.geohazard.bus.Messages;
import org.geohazard.bus.ServiceBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A service interface on a real event bus: calls, answers, failures, timeouts (one Vert.x, no cluster). */
class ServiceBusIT {

  @BusService("test.places")
  public interface Places {
    Future<List<Location>> near(double latitude, double longitude, int limit);

    Future<Void> forget(String name);

    Future<String> slow();

    default Future<Location> first(double latitude, double longitude) {
      return near(latitude, longitude, 1).map(found -> found.get(0));
    }
  }

  private static final class Stored implements Places {
    @Override
    public Future<List<Location>> near(double latitude, double longitude, int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be positive");
      }
      return Future.succeededFuture(List.of(new Location(latitude, longitude), new Location(0, 0)).subList(0, limit));
    }

    @Override
    public Future<Void> forget(String name) {
      return "known".equals(name) ? Future.succeededFuture()
          : name.equals("broken") ? Future.failedFuture(new IllegalStateException("disk on fire"))
          : Future.failedFuture(Failure.notFound("no place " + name));
    }

    @Override
    public Future<String> slow() {
      return Promise.<String>promise().future();
    }
  }

  private Vertx vertx;
  private Places places;

  @BeforeEach
  void serve() {
    vertx = Vertx.vertx();
    Messages.registerCodecs(vertx.eventBus());
    ServiceBus.serve(vertx.eventBus(), Places.class, new Stored(),
        (operation, error) -> Failure.unavailable("store unavailable"));
    places = ServiceBus.client(vertx.eventBus(), Places.class, new DeliveryOptions().setSendTimeout(500));
  }

  @AfterEach
  void close() {
    TestNode.await(vertx.close());
  }

  @Test
  void aCallIsAnsweredByTheImplementation() {
    assertThat(TestNode.await(places.near(38.1, -0.76, 2))).containsExactly(new Location(38.1, -0.76),
        new Location(0, 0));
    assertThat(TestNode.await(places.forget("known"))).isNull();
    assertThat(TestNode.await(places.first(1, 2))).isEqualTo(new Location(1, 2));
  }

  @Test
  void failuresComeBackAsTheOneFailureType() {
    assertThat(failureOf(places.forget("elsewhere")))
        .satisfies(f -> assertThat(f.code()).isEqualTo(Failure.Code.NOT_FOUND))
        .hasMessage("no place elsewhere");
    assertThat(failureOf(places.near(0, 0, 0)).code()).isEqualTo(Failure.Code.INVALID_REQUEST);
    Failure outage = failureOf(places.forget("broken"));
    assertThat(outage.code()).isEqualTo(Failure.Code.UNAVAILABLE);
    assertThat(outage).hasMessage("store unavailable");
    assertThat(outage.operation()).isEqualTo("test.places.forget");
    assertThat(failureOf(places.forget("elsewhere")).operation()).isEqualTo("test.places.forget");
    Failure timeout = failureOf(places.slow());
    assertThat(timeout.code()).isEqualTo(Failure.Code.UNAVAILABLE);
    assertThat(timeout.getMessage()).doesNotContain("__vertx");
    assertThat(timeout.operation()).isEqualTo("test.places.slow");
  }

  @Test
  void anInterfaceNotMarkedAsAServiceIsRefused() {
    assertThatThrownBy(() -> ServiceBus.client(vertx.eventBus(), Runnable.class))
        .hasMessageContaining("not a @BusService interface");
  }

  private static Failure failureOf(Future<?> call) {
    Throwable thrown = catchThrowable(() -> TestNode.await(call));
    assertThat(thrown).isInstanceOf(Failure.class);
    return (Failure) thrown;
  }
}
