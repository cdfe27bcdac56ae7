package org.geohazard.reference;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geohazard.auth.WebhookTargets;
import org.geohazard.storage.CachedRangeReader;

/**
 * A file on an https server read by {@code Range} requests, sent to the address the SSRF check approved
 * ({@link WebhookTargets}: public addresses only, the connection pinned to the checked address so that a second DNS
 * answer cannot move it, TLS verified against the host name). Redirects are not followed (one could lead inside);
 * a server that answers a range with the whole file (200 instead of 206) is refused rather than read.
 *
 * <p>Blocking on purpose, like the S3 reader: the raster reader decodes on worker threads and asks for bytes
 * synchronously. Refuses to run on an event loop.
 */
final class HttpsRangeReader extends CachedRangeReader {

  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final int INITIAL_BODY_BYTES = 1 << 20;

  private final HttpClient http;
  private final WebhookTargets.Target target;
  private final long timeoutMs;

  private HttpsRangeReader(HttpClient http, WebhookTargets.Target target, long size, long timeoutMs) {
    super(target.url().toString(), size, DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_COUNT);
    this.http = http;
    this.target = target;
    this.timeoutMs = timeoutMs;
  }

  /** Checks the target, then learns the size with a one-byte range request (which shows ranges are served). */
  static HttpsRangeReader open(HttpClient http, WebhookTargets.Target target, long timeoutMs) throws IOException {
    Answer first = get(http, target, 0, 0, timeoutMs);
    if (first.total < 0) {
      throw new IOException(target.url() + ": the server does not say the file's length (Content-Range */"
          + "unknown)");
    }
    return new HttpsRangeReader(http, target, first.total, timeoutMs);
  }

  @Override
  protected void fetch(long position, byte[] target, int offset, int length) throws IOException {
    Answer answer = get(http, this.target, position, position + length - 1, timeoutMs);
    if (answer.body.length() != length) {
      throw new IOException(location() + ": asked for " + length + " bytes at " + position + ", got "
          + answer.body.length());
    }
    answer.body.getBytes(0, length, target, offset);
  }

  private record Answer(Buffer body, long total) {}

  private static Answer get(HttpClient http, WebhookTargets.Target target, long first, long last, long timeoutMs)
      throws IOException {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a ranged https read blocks: run it on a worker thread");
    }
    String path = target.url().getRawPath() == null || target.url().getRawPath().isEmpty() ? "/"
        : target.url().getRawPath();
    if (target.url().getRawQuery() != null) {
      path += "?" + target.url().getRawQuery();
    }
    String range = "bytes=" + first + "-" + last;
    long expected = last - first + 1;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setServer(SocketAddress.inetSocketAddress(target.port(), target.addresses().get(0).getHostAddress()))
        .setHost(target.host()).setPort(target.port()).setSsl(target.https()).setURI(path)
        .setTimeout(timeoutMs).setFollowRedirects(false)
        .putHeader("Range", range)
        .putHeader("User-Agent", "geohazard-reference-reader");
    // The response's handlers must be set on the connection's event loop in the callback that delivers it. Chained
    // from this worker thread, the last compose could be attached after the response had arrived (a preempted
    // worker under load): Vert.x then ran it as a later task, after the body and its end had gone by unread.
    // Nested, it is attached inside the event-loop callback that sends the request, before any answer can arrive.
    Future<Answer> answer = http.request(options)
        .compose(request -> request.send()
            .compose(response -> read(response, target, range, first, last, expected)));
    try {
      return answer.toCompletionStage().toCompletableFuture().get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(target.url() + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException(target.url() + ": no answer to " + range + " in " + timeoutMs + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + target.url(), e);
    }
  }

  /** Checks status and Content-Range before reading the body; a body longer than asked is cut off unread. */
  private static Future<Answer> read(HttpClientResponse response, WebhookTargets.Target target, String range,
      long first, long last, long expected) {
    if (response.statusCode() != 206) {
      response.request().reset();
      String why = response.statusCode() == 200 ? "the server ignores ranges (200 with the whole file)"
          : response.statusCode() / 100 == 3 ? "redirects are not followed" : "HTTP " + response.statusCode();
      return Future.failedFuture(new IOException(target.url() + ": " + range + " refused: " + why));
    }
    Matcher m = CONTENT_RANGE.matcher(String.valueOf(response.getHeader("Content-Range")));
    if (!m.matches() || Long.parseLong(m.group(1)) != first || Long.parseLong(m.group(2)) != last) {
      response.request().reset();
      return Future.failedFuture(new IOException(target.url() + ": asked for " + range + ", the server answered "
          + "Content-Range " + response.getHeader("Content-Range")));
    }
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    // Grown as bytes arrive, not sized by the ask up front: what is asked for comes from the remote file's own tables.
    Buffer body = Buffer.buffer((int) Math.min(expected, INITIAL_BODY_BYTES));
    return Future.future(promise -> {
      response.handler(chunk -> {
        if (body.length() + chunk.length() > expected) {
          response.request().reset();
          promise.tryFail(new IOException(target.url() + ": the answer to " + range + " is longer than asked"));
        } else {
          body.appendBuffer(chunk);
        }
      });
      response.exceptionHandler(promise::tryFail);
      response.endHandler(v -> promise.tryComplete(new Answer(body, total)));
    });
  }

  @Override
  public void close() {
    // The HTTP client is shared by every https source of the node; nothing of its own to release.
  }
}
