package org.geohazard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The limit the node's HTTP side is measured against: a bare Vert.x HTTP server on as many event loops as the
 * node's API ({@code --instances}), in a process of its own. It answers every request with the same JSON body as
 * the node ({@link ReadLoadBenchmark}); with {@code --uploads DIR} it takes multipart uploads the way the node's
 * upload route does (a BodyHandler spooling the file to DIR, deleted when answered) and answers 202 with the body,
 * storing nothing ({@link UploadLoadBenchmark}).
 */
public final class BareServer {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(options.get("body"))));
    int port = Integer.parseInt(options.getOrDefault("port", "8096"));
    int instances = Integer.parseInt(options.getOrDefault("instances", "2"));
    String uploads = options.get("uploads");
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        if (uploads == null) {
          return vertx.createHttpServer().requestHandler(request -> request.response()
              .putHeader("Content-Type", "application/json").end(body)).listen(port);
        }
        Router router = Router.router(vertx);
        router.post().handler(BodyHandler.create(uploads).setDeleteUploadedFilesOnEnd(true).setHandleFileUploads(true))
            .handler(ctx -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(body));
        return vertx.createHttpServer().requestHandler(router).listen(port);
      }
    }, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare server on " + port))
        .onFailure(error -> {
          error.printStackTrace();
          System.exit(1);
        });
  }
}
