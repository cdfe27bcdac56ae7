// A fetch for the generated SDK's `new Configuration({ fetchApi })` that retries answers 429 Too Many Requests.
//
// Why a fetchApi and not a middleware: the SDK throws ResponseError for any non-2xx answer *after* the
// middleware's `post` hooks, and those hooks would have to re-issue the request themselves. Wrapping fetch keeps
// the retry below the SDK, so every operation (and its ResponseError on the final answer) works unchanged.

export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Longest wait between attempts in seconds, whatever Retry-After says (default 30). */
  maxWaitSeconds?: number;
  /** Wait when a 429 carries no usable Retry-After, in seconds (default 1). */
  defaultWaitSeconds?: number;
  /** Told before each wait; for logging. */
  onRetry?: (info: { attempt: number; waitMs: number; url: string }) => void;
  /** The fetch to wrap (default: the global fetch of Node 18+ and browsers). */
  fetch?: typeof fetch;
}

export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const maxAttempts = options.maxAttempts ?? 5;
  const maxWaitMs = (options.maxWaitSeconds ?? 30) * 1000;
  const defaultWaitMs = (options.defaultWaitSeconds ?? 1) * 1000;
  const inner = options.fetch ?? ((input, init) => fetch(input, init));

  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // The SDK sends multipart uploads as a FormData body: fetch serialises a FormData afresh on every call
    // (its Blob parts can be read again), so it can be re-sent as is; so can strings, Blobs, buffers and
    // URLSearchParams. A ReadableStream body (or a Request object carrying one) is consumed by the first
    // attempt and cannot be replayed: send such requests once and hand back whatever comes.
    const replayable = !(init?.body instanceof ReadableStream) && !(input instanceof Request && input.body !== null);
    const attempts = replayable ? maxAttempts : 1;
    const url = input instanceof Request ? input.url : String(input);

    for (let attempt = 1; ; attempt++) {
      const response = await inner(input, init);
      if (response.status !== 429 || attempt >= attempts) {
        return response; // the SDK turns a final 429 into ResponseError, Retry-After still readable on it
      }
      const waitMs = Math.min(retryAfterMs(response.headers.get('Retry-After')) ?? defaultWaitMs, maxWaitMs);
      // Drop the 429's body, or its connection stays taken until garbage collection.
      await response.body?.cancel();
      options.onRetry?.({ attempt, waitMs, url });
      await sleep(waitMs, init?.signal ?? undefined);
    }
  };
}

/** Retry-After is delay-seconds (what geohazard sends) or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits, but gives up at once when the caller aborts the request (fetch's own AbortSignal). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
