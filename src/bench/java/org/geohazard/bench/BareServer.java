package org.geohazard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.geohazard.harness.BenchArgs;

/**
 * The limit the node's HTTP side is measured against: a bare Vert.x HTTP server on as many event loops as the
 * node's API ({@code --instances}), in a process of its own. It answers every request with the same JSON body as
 * the node ({@link ReadLoadBenchmark}); with {@code --uploads DIR} it takes multipart uploads the way the node's
 * upload route does (a BodyHandler spooling the file to DIR, deleted when answered) and answers 202 with the body,
 * storing nothing ({@link UploadLoadBenchmark}). With {@code --s3 true} it is the cheapest S3-compatible store there can be,
 * for measuring uploads with the store's own cost taken out: a PUT's body is read and its MD5 returned as the ETag
 * (the AWS SDK checks it), HEAD of anything is 200, GET is 404; nothing is kept.
 */
public final class BareServer {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    Buffer body = options.containsKey("body") ? Buffer.buffer(Files.readAllBytes(Path.of(options.get("body"))))
        : Buffer.buffer();
    int port = Integer.parseInt(options.getOrDefault("port", "8096"));
    int instances = Integer.parseInt(options.getOrDefault("instances", "2"));
    String uploads = options.get("uploads");
    boolean s3 = Boolean.parseBoolean(options.getOrDefault("s3", "false"));
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        if (s3) {
          // The AWS SDK sends "Expect: 100-continue" with a put's headers and waits for the go-ahead.
          return vertx.createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(true))
              .requestHandler(BareServer::s3).listen(port);
        }
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

  private static void s3(HttpServerRequest request) {
    switch (request.method().name()) {
      case "PUT" -> {
        MessageDigest md5 = md5();
        request.handler(chunk -> md5.update(chunk.getBytes()));
        request.endHandler(end -> request.response()
            .putHeader("ETag", "\"" + HexFormat.of().formatHex(md5.digest()) + "\"").end());
      }
      case "GET" -> request.response().setStatusCode(404).putHeader("Content-Type", "application/xml")
          .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>"
              + "<Message>nothing is kept here</Message></Error>");
      default -> request.response().end();
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
