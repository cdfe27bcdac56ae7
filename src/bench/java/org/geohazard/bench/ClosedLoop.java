package org.geohazard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load: each of {@code connections} keep-alive connections sends its next request when the
 * last answer is in, for a given time; the rate of answers counted as done and their latency percentiles. The load
 * benchmarks' client ({@link ReadLoadBenchmark}, {@link UploadLoadBenchmark}).
 */
final class ClosedLoop {

  /** Answers per second counted as done, their p50/p99 latency, the others, and how many were done. */
  record Result(double rate, double p50Ms, double p99Ms, long errors, long count) {}

  /** One request to send: where and how, and its body (null for none). */
  record Request(RequestOptions options, Buffer body) {}

  private ClosedLoop() {
  }

  /**
   * @param requests makes each request (called on the client's event loop)
   * @param done whether an answer's status counts as done (the others count as errors)
   */
  static Result run(Vertx vertx, int port, int connections, int seconds, Supplier<Request> requests,
                    IntPredicate done) throws Exception {
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultPort(port)
        .setDefaultHost("127.0.0.1"), new PoolOptions().setHttp1MaxSize(connections));
    Loop loop = new Loop(http, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds), requests, done);
    List<CompletableFuture<Void>> loops = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      CompletableFuture<Void> one = new CompletableFuture<>();
      loops.add(one);
      vertx.runOnContext(v -> loop.next(one));
    }
    CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(seconds + 60L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    http.close();
    int n = (int) Math.min(loop.recorded.get(), loop.latencies.length);
    double[] samples = Arrays.copyOf(loop.latencies, n);
    return new Result(loop.done.get() / elapsed, Stats.percentile(samples, 50), Stats.percentile(samples, 99),
        loop.errors.get(), loop.done.get());
  }

  private static final class Loop {
    private final HttpClient http;
    private final long end;
    private final Supplier<Request> requests;
    private final IntPredicate isDone;
    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final double[] latencies = new double[2_000_000];
    final AtomicLong recorded = new AtomicLong();

    Loop(HttpClient http, long end, Supplier<Request> requests, IntPredicate isDone) {
      this.http = http;
      this.end = end;
      this.requests = requests;
      this.isDone = isDone;
    }

    void next(CompletableFuture<Void> loop) {
      if (System.nanoTime() >= end) {
        loop.complete(null);
        return;
      }
      Request request = requests.get();
      long sent = System.nanoTime();
      http.request(request.options())
          .compose(r -> (request.body() == null ? r.send() : r.send(request.body()))
              .compose(response -> response.body().map(b -> response.statusCode())))
          .onComplete(result -> {
            if (result.succeeded() && isDone.test(result.result())) {
              done.incrementAndGet();
              long i = recorded.getAndIncrement();
              if (i < latencies.length) {
                latencies[(int) i] = (System.nanoTime() - sent) / 1e6;
              }
            } else {
              errors.incrementAndGet();
            }
            next(loop);
          });
    }
  }
}
