package org.geohazard.bench;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What it would cost to send a scene's tiles to the inference verticle of another node: two clustered Vert.x
 * instances (Hazelcast on loopback, as {@code scripts/cluster-demo.sh} runs them) and request-replies carrying
 * one model input each, at the sizes a tile has (a 256² or 320² RGB tile as bytes, and as the float32 tensor
 * ONNX Runtime takes). Prints the median and 90th percentile round trip per size, next to the time the model
 * itself takes for one tile (from {@code ModelLatency}; passed as {@code --model-ms}).
 *
 * <pre>
 * mvn -B -q -Pbench test-compile
 * java -cp target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath) \
 *     org.geohazard.bench.ClusterTransferBenchmark [--model-ms 15]
 * </pre>
 */
public final class ClusterTransferBenchmark {

  private static final int ROUNDS = 200;

  private ClusterTransferBenchmark() {}

  public static void main(String[] args) throws Exception {
    double modelMs = args.length == 2 && args[0].equals("--model-ms") ? Double.parseDouble(args[1]) : Double.NaN;
    String name = "transfer-bench-" + UUID.randomUUID();
    Vertx receiver = clustered(name).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx sender = clustered(name).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    receiver.eventBus().<Buffer>consumer("bench.tile", message -> message.reply(Buffer.buffer(new byte[64])))
        .completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Thread.sleep(2000);  // the consumer's registration reaches the other member
    System.out.printf(Locale.ROOT, "%-36s %10s %10s %12s%n", "tile as sent", "bytes", "p50 ms", "p90 ms");
    int[][] sizes = {{256, 1}, {320, 1}, {256, 4}, {320, 4}};
    for (int[] size : sizes) {
      int bytes = size[0] * size[0] * 3 * size[1];
      Buffer payload = Buffer.buffer(new byte[bytes]);
      List<Double> millis = new ArrayList<>();
      for (int i = 0; i < ROUNDS + 20; i++) {
        long start = System.nanoTime();
        sender.eventBus().request("bench.tile", payload).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (i >= 20) {
          millis.add((System.nanoTime() - start) / 1e6);
        }
      }
      millis.sort(Double::compare);
      System.out.printf(Locale.ROOT, "%-36s %10d %10.2f %12.2f%n",
          size[0] + "² RGB " + (size[1] == 1 ? "uint8" : "float32 tensor"), bytes, millis.get(millis.size() / 2),
          millis.get(millis.size() * 9 / 10));
    }
    if (!Double.isNaN(modelMs)) {
      System.out.printf(Locale.ROOT, "the model's own time per tile (limit to beat): %.1f ms%n", modelMs);
    }
    sender.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    receiver.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Future<Vertx> clustered(String name) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(name);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(5801).setPortAutoIncrement(true).setPortCount(10);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.setProperty("hazelcast.tcp.join.port.try.count", "10");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
        .withClusterManager(new HazelcastClusterManager(config)).buildClustered();
  }
}
