package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A node's health and throughput, sent to Kafka {@code system.monitoring} every {@code kafka.monitoringIntervalMs}
 * (key: the node id) for whatever watches the fleet from outside the cluster. Totals count since the node started.
 *
 * @param imagesProcessed images analysed and stored by this node's pipeline
 * @param imagesFailed images this node's pipeline dead-lettered
 * @param requests HTTP requests this node answered
 * @param avgProcessingMs mean analysis time per image
 * @param models versions of the models its inference verticles serve (shadows excluded)
 */
public record NodeReport(String nodeId, String memberId, List<String> roles, String sentAt, long uptimeSeconds,
                         int inFlight, long imagesProcessed, long imagesFailed, long requests, double avgProcessingMs,
                         long heapUsedBytes, long heapMaxBytes, List<String> models) {
  public static final int VERSION = 1;

  public NodeReport {
    roles = List.copyOf(roles);
    models = List.copyOf(models);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("node_id", nodeId).put("member_id", memberId)
        .put("roles", new JsonArray(roles)).put("sent_at", sentAt).put("uptime_s", uptimeSeconds)
        .put("in_flight", inFlight).put("images_processed", imagesProcessed).put("images_failed", imagesFailed)
        .put("requests", requests).put("avg_processing_ms", avgProcessingMs).put("heap_used_bytes", heapUsedBytes)
        .put("heap_max_bytes", heapMaxBytes).put("models", new JsonArray(models));
  }
}
