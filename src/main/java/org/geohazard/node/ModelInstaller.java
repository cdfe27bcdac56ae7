package org.geohazard.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;

/**
 * The node's end of the model registry's questions ({@code node.models.describe.<member id>}: the whole summaries
 * of what it serves) and of an operator's model change ({@code node.models.install.<member id>}): hands it to each of the
 * node's inference verticles (one per GPU) in turn and answers with what they all serve afterwards. One at a
 * time per device, so two GPUs never warm up a new model at once on a host that may be short of memory.
 */
final class ModelInstaller {

  private final Vertx vertx;
  private final List<Integer> devices;
  /** Tells the cluster at once what the node serves after a change (a heartbeat), not up to an interval later. */
  private final Runnable announce;

  ModelInstaller(Vertx vertx, List<Integer> devices, Runnable announce) {
    this.vertx = vertx;
    this.announce = announce;
    this.devices = List.copyOf(devices);
  }

  void start(String memberId) {
    Addresses.NODE_MODELS_INSTALL.at(memberId).consume(vertx.eventBus(), this::install, Failure.Code.INTERNAL_ERROR);
    Addresses.NODE_MODELS_DESCRIBE.at(memberId).consume(vertx.eventBus(),
        query -> Addresses.INFERENCE_HEALTH.request(vertx.eventBus(), query), Failure.Code.UNAVAILABLE);
  }

  private Future<InferenceStatus> install(ModelInstall change) {
    List<ModelSummary> models = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int device : devices) {
      chain = chain.compose(v -> Addresses.INFERENCE_MODELS_INSTALL.at(String.valueOf(device))
          .request(vertx.eventBus(), change, new DeliveryOptions().setSendTimeout(LOAD_TIMEOUT_MS))
          .map(status -> {
            models.addAll(status.models());
            return null;
          }));
    }
    // Announced whatever became of it: a change applied on one device before another refused it counts too.
    return chain.onComplete(done -> announce.run()).map(v -> new InferenceStatus(models));
  }

  /** Loading and warming a model up on a busy CPU takes seconds; a GPU engine build can take minutes. */
  static final long LOAD_TIMEOUT_MS = 300_000;
}
