#!/usr/bin/env python3
"""Where a node's request threads spent their time, by layer, from a flight recording.

    GEOHAZARD_BENCH_NODE_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/node.jfr,settings=profile,dumponexit=true" \
        LOAD_CLIENT=wrk LOAD_WARMUP_SECONDS=60 scripts/load.sh reads 32 5 4
    scripts/profile-layers.py /tmp/node.jfr [more.jfr ...]
    scripts/profile-layers.py --parts /tmp/uploads.jfr   # the upload path: samples by the work they serve

Reads the recording's execution samples (`jfr print --events jdk.ExecutionSample`, the JDK's own tool) of the
Vert.x event-loop and worker threads and gives each sample to the innermost frame that belongs to one of the named
layers below (metrics, contract validation, routing, the project's own code, the rest of Vert.x Web), else to the
library of its top frame (Vert.x core, Netty, the JDK). Prints each layer's share and the most frequent top
frames (self time). Shares of samples, not times: compare two builds by their shares in recordings of the same
load (BENCHMARKS.md, "Cached reads").
"""
import collections
import re
import subprocess
import sys

NAMED = [
    ("metrics (Micrometer, vertx-micrometer, RouteMeters)",
     re.compile(r"io\.micrometer\.|io\.vertx\.micrometer\.|org\.geohazard\.metrics\.")),
    ("contract validation (vertx-openapi, json-schema)",
     re.compile(r"io\.vertx\.openapi\.validation|io\.vertx\.json\.schema\.|org\.geohazard\.api\.InlineValidation"
                r"|org\.geohazard\.api\.ValidationParameters")),
    ("routing (Vert.x Web route matching)",
     re.compile(r"io\.vertx\.ext\.web\.impl\.(RouteState|RouterImpl|RoutingContextImpl|RouteImpl)")),
    ("geohazard (the project's handlers)", re.compile(r"org\.geohazard\.")),
    ("Vert.x Web, other", re.compile(r"io\.vertx\.ext\.web\.|io\.vertx\.openapi\.|io\.vertx\.router")),
]
LIBRARIES = [
    ("Vert.x core", re.compile(r"io\.vertx\.core\.")),
    ("Netty", re.compile(r"io\.netty\.")),
    ("JDK", re.compile(r"java\.|jdk\.|sun\.")),
]
# --parts: an event-loop sample belongs to the first of these found anywhere in its stack (outermost work first:
# a JSON encode inside a Redis reply handler counts as Redis), else to "Vert.x/Netty plumbing" (reading sockets,
# running tasks, futures completing); the other threads are counted by name.
PARTS = [
    ("multipart decoding (Netty's HttpPostRequestDecoder)", re.compile(r"HttpPost\w*Decoder|HttpPostBodyUtil")),
    ("object store put (Vert.x HTTP client, S3DirectPut)",
     re.compile(r"io\.vertx\.core\.http\.impl\.(Http1xClient|HttpClient|ClientRequest|HttpClientRequest)"
                r"|S3DirectPut")),
    ("spooling the file upload to disk (AsyncFile)", re.compile(r"AsyncFile|FileUploadImpl|FileSystem")),
    ("MariaDB client", re.compile(r"mysqlclient|sqlclient")),
    ("Redis client", re.compile(r"io\.vertx\.redis")),
    ("metrics", re.compile(r"micrometer")),
    ("contract validation", re.compile(r"json\.schema|openapi\.validation")),
    ("the project's handlers, other", re.compile(r"org\.geohazard")),
    ("event bus", re.compile(r"eventbus")),
    ("HTTP server request/response", re.compile(r"Http1xServer|HttpServerRequest|HttpServerResponse")),
    ("routing and Vert.x Web", re.compile(r"io\.vertx\.ext\.web")),
]
FRAME = re.compile(r"^\s+([\w$.<>]+)\(", re.M)
THREAD = re.compile(r'sampledThread = "([^"]+)"')


def layer(frames):
    for frame in frames:
        for name, pattern in NAMED:
            if pattern.match(frame):
                return name
    for name, pattern in LIBRARIES:
        if frames and pattern.match(frames[0]):
            return name
    return "other"


def parts(path, text):
    by_part, threads, loops, n = collections.Counter(), collections.Counter(), 0, 0
    for event in text.split("jdk.ExecutionSample {")[1:]:
        thread = THREAD.search(event)
        if not thread:
            continue
        n += 1
        threads[re.sub(r"(-\d+)+$", "", thread.group(1))] += 1
        if "vert.x-eventloop" not in thread.group(1):
            continue
        loops += 1
        stack = event.split("stackTrace = [", 1)
        joined = "\n".join(FRAME.findall(stack[1])) if len(stack) == 2 else ""
        by_part[next((name for name, pattern in PARTS if pattern.search(joined)), "Vert.x/Netty plumbing")] += 1
    print(f"{path}: {n} samples; by thread:")
    for name, count in threads.most_common(8):
        print(f"  {100.0 * count / max(n, 1):5.1f} %  {name} ({count})")
    print(f"  event-loop samples ({loops}) by the work they serve:")
    for name, count in by_part.most_common():
        print(f"  {100.0 * count / max(loops, 1):5.1f} %  {name} ({count})")


def main(paths, by_parts=False):
    for path in paths:
        text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "100", path],
                              capture_output=True, text=True, check=True).stdout
        if by_parts:
            parts(path, text)
            continue
        layers, tops, n = collections.Counter(), collections.Counter(), 0
        for event in text.split("jdk.ExecutionSample {")[1:]:
            thread = THREAD.search(event)
            if not thread or not ("vert.x-eventloop" in thread.group(1) or "vert.x-worker" in thread.group(1)):
                continue
            n += 1
            stack = event.split("stackTrace = [", 1)
            frames = FRAME.findall(stack[1]) if len(stack) == 2 else []
            if frames:
                tops[frames[0]] += 1
            layers[layer(frames)] += 1
        print(f"{path}: {n} samples of event-loop and worker threads")
        for name, count in layers.most_common():
            print(f"  {100.0 * count / max(n, 1):5.1f} %  {name} ({count})")
        print("  top frames (self):")
        for frame, count in tops.most_common(8):
            print(f"  {100.0 * count / max(n, 1):5.1f} %  {frame}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    by_parts = sys.argv[1] == "--parts"
    main(sys.argv[2:] if by_parts else sys.argv[1:], by_parts)
