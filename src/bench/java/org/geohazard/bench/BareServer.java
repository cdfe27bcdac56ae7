package org.geohazard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The limit a cached read is measured against: a bare Vert.x HTTP server answering every request with the same
 * JSON body as the node, on as many event loops as the node's API ({@code --instances}), in a process of its own.
 * Run by {@link ReadLoadBenchmark}.
 */
public final class BareServer {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(options.get("body"))));
    int port = Integer.parseInt(options.getOrDefault("port", "8096"));
    int instances = Integer.parseInt(options.getOrDefault("instances", "2"));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(request -> request.response()
            .putHeader("Content-Type", "application/json").end(body)).listen(port);
      }
    }, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare server on " + port))
        .onFailure(error -> {
          error.printStackTrace();
          System.exit(1);
        });
  }
}
