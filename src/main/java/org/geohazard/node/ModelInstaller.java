package org.geohazard.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;

/**
 * The node's end of an operator's model change ({@code node.models.install.<member id>}): hands it to each of the
 * node's inference verticles (one per GPU) in turn and answers with what they all serve afterwards. One at a
 * time per device, so two GPUs never warm up a new model at once on a host that may be short of memory.
 */
final class ModelInstaller {

  private final Vertx vertx;
  private final List<Integer> devices;

  ModelInstaller(Vertx vertx, List<Integer> devices) {
    this.vertx = vertx;
    this.devices = List.copyOf(devices);
  }

  void start(String memberId) {
    Addresses.NODE_MODELS_INSTALL.at(memberId).consume(vertx.eventBus(), this::install, Failure.INTERNAL);
  }

  private Future<InferenceStatus> install(ModelInstall change) {
    List<ModelSummary> models = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int device : devices) {
      chain = chain.compose(v -> Addresses.INFERENCE_MODELS_INSTALL.at(String.valueOf(device))
          .request(vertx.eventBus(), change, new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(LOAD_TIMEOUT_MS))
          .map(status -> {
            models.addAll(status.models());
            return null;
          }));
    }
    return chain.map(v -> new InferenceStatus(models));
  }

  /** Loading and warming a model up on a busy CPU takes seconds; a GPU engine build can take minutes. */
  static final long LOAD_TIMEOUT_MS = 300_000;
}
