// End-to-end check of the generated TypeScript SDK against a live geohazard node.
//
//   node dist/check.js --base-url http://127.0.0.1:8080 --image a.jpg [--image b.png ...] [--api-key KEY]
//
// Prints one line per step, `ok <step> <detail>` or `FAIL <step> <why>`, and exits 0 only if every step passed
// (2 on bad arguments). Everything goes through the SDK's API classes, except the raw GETs that use up the rate
// limit in step retry-429.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import {
  AlertsApi,
  AnalysisApi,
  ApiErrorFromJSON,
  BatchesApi,
  Configuration,
  ImageStatus,
  OperationsApi,
  Priority,
  ResponseError,
  ResultsApi,
  RiskLevel,
  type ApiError,
  type ImageResult,
} from './client';
import { retryingFetch } from './retry';

const LAT = 38.1;
const LON = -0.76;

// ---- arguments -------------------------------------------------------------------------------------------
function parseArgs(argv: string[]) {
  let baseUrl: string | undefined;
  let apiKey: string | undefined;
  const images: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--base-url': baseUrl = value; i++; break;
      case '--image': if (value) images.push(value); i++; break;
      case '--api-key': apiKey = value; i++; break;
      default: usage(`unknown argument ${argv[i]}`);
    }
  }
  if (!baseUrl || images.length === 0 || (apiKey !== undefined && apiKey === '')) {
    usage('--base-url and at least one --image are required');
  }
  return { baseUrl: baseUrl!.replace(/\/+$/, ''), images, apiKey };
}

function usage(why: string): never {
  console.error(`${why}\nusage: node dist/check.js --base-url URL --image PATH [--image PATH2 ...] [--api-key KEY]`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));

// ---- clients ---------------------------------------------------------------------------------------------
// Counts the 429s the retrying fetch absorbed, so a step can say (and step retry-429 can prove) it retried.
let retries = 0;
const retrying = retryingFetch({ maxAttempts: 5, maxWaitSeconds: 30, onRetry: () => retries++ });

// Steps 1-5 use the retrying fetch too: the anonymous limit is per source address, so anything else calling the
// node from this machine shares it, and a 429 there says nothing about the SDK. `apiKey` makes every generated
// operation send `X-API-Key` (runtime: `headerParameters["X-API-Key"] = await this.configuration.apiKey(...)`).
function config(fetchApi: typeof fetch | undefined, apiKey: string | undefined): Configuration {
  return new Configuration({ basePath: args.baseUrl, fetchApi, apiKey });
}
const cfg = config(retrying, args.apiKey);
const plainCfg = config(undefined, args.apiKey); // the SDK's default: the global fetch, no retry

// ---- helpers ---------------------------------------------------------------------------------------------
const MEDIA: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
  '.tif': 'image/tiff', '.tiff': 'image/tiff',
};

/** A File is a Blob with a name: the SDK appends it to its FormData as is, so the part carries the file name. */
async function fileBlob(path: string): Promise<File> {
  const bytes = await readFile(path);
  return new File([bytes], basename(path), { type: MEDIA[extname(path).toLowerCase()] ?? 'application/octet-stream' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pollUntil<T>(what: string, timeoutMs: number, get: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done after ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** Runs `call`, which must fail with the SDK's ResponseError of `status` and a JSON Error body of `code`. */
async function expectError(call: () => Promise<unknown>, status: number, code: string): Promise<{ body: ApiError; response: Response }> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof ResponseError)) throw new Error(`expected ResponseError ${status}, got ${e instanceof Error ? e.name : ''} ${describe(e)}`);
    const body = ApiErrorFromJSON(await e.response.json());
    if (e.response.status !== status || body.code !== code) {
      throw new Error(`expected ${status} ${code}, got ${e.response.status} ${body.code} (${body.message})`);
    }
    return { body, response: e.response };
  }
  throw new Error(`expected ResponseError ${status} ${code}, but the call succeeded`);
}

function must(condition: unknown, why: string): asserts condition {
  if (!condition) throw new Error(why);
}

const validDate = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());

// ---- steps -----------------------------------------------------------------------------------------------
let failures = 0;
async function step(name: string, body: () => Promise<string>): Promise<void> {
  const before = retries;
  try {
    const detail = await body();
    const absorbed = retries - before;
    console.log(`ok ${name} ${detail}${absorbed > 0 && name !== 'retry-429' ? ` (429 retried ${absorbed}x)` : ''}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name} ${describe(e)}`.replace(/\s*\n\s*/g, ' '));
  }
}

/** The message, and for the SDK's FetchError (connection refused, ...) what fetch itself said. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const causes: string[] = [];
  for (let c: unknown = e.cause; c instanceof Error && causes.length < 3; c = c.cause) causes.push(c.message);
  return [e.message, ...causes].join(': ');
}

const operations = new OperationsApi(cfg);
const analysis = new AnalysisApi(cfg);
const results = new ResultsApi(cfg);
const batches = new BatchesApi(cfg);
const alerts = new AlertsApi(cfg);

let uploaded: ImageResult | undefined;

async function main() {
  await step('health', async () => {
    const h = await operations.getHealth();
    must(h.status === 'healthy' || h.status === 'degraded', `status ${h.status}`);
    must(validDate(h.timestamp), `timestamp ${h.timestamp}`);
    return `status=${h.status} version=${h.version} node=${h.nodeId} roles=${h.roles.join(',')}`;
  });

  await step('upload', async () => {
    const accepted = await analysis.analyzeSingle({
      file: await fileBlob(args.images[0]), latitude: LAT, longitude: LON, priority: Priority.High,
    });
    must(accepted.imageId, 'no image_id');
    const result = await pollUntil('getResult', 120_000, () => results.getResult({ imageId: accepted.imageId }),
      (r) => r.status === ImageStatus.Completed || r.status === ImageStatus.Failed);
    must(result.status === ImageStatus.Completed, `image ${result.imageId} failed: ${result.failureReason}`);
    const a = result.analysis;
    must(a, 'completed without analysis');
    must((Object.values(RiskLevel) as string[]).includes(a.riskLevel), `risk_level ${a.riskLevel}`);
    must(Array.isArray(a.detections), 'detections is not an array');
    must(a.detectionsCount === a.detections.length, `detections_count ${a.detectionsCount} != ${a.detections.length} detections`);
    must(validDate(result.createdAt) && validDate(a.analyzedAt), 'dates did not parse');
    // A fresh upload keeps our position; content analysed before keeps the position of its first upload.
    const at = result.location ? `${result.location.latitude},${result.location.longitude}` : 'none';
    must(accepted.cached || at === `${LAT},${LON}`, `location ${at}, sent ${LAT},${LON}`);
    const geo = await results.getResultGeoJson({ imageId: result.imageId });
    must(geo.type === 'FeatureCollection', `type ${geo.type}`);
    must(geo.imageId === result.imageId, `geojson image_id ${geo.imageId}`);
    must(geo.features.length === a.detections.length, `${geo.features.length} features for ${a.detections.length} detections`);
    uploaded = result;
    return `image=${result.imageId} http=${accepted.cached ? '200 cached' : '202'} location=${at} risk=${a.riskLevel}` +
      ` detections=${a.detections.length} (${a.detections.map((d) => `${d.className}:${d.confidence.toFixed(2)}`).join(' ') || 'none'})` +
      ` geojson=${geo.features.length} features georeference=${geo.georeference}`;
  });

  await step('batch', async () => {
    const files = await Promise.all(args.images.map(fileBlob));
    const accepted = await analysis.analyzeBatch({ files });
    must(accepted.batchId, 'no batch_id');
    must(accepted.total === files.length, `total ${accepted.total} for ${files.length} files`);
    const status = await pollUntil('getBatch', 180_000, () => batches.getBatch({ batchId: accepted.batchId }), (b) => b.done);
    const bad = status.items.filter((i) => i.status !== 'completed');
    must(bad.length === 0, `not completed: ${bad.map((i) => `${i.filename}=${i.status} ${i.error?.code ?? ''}`).join(', ')}`);
    must(status.completed === files.length, `completed ${status.completed} of ${files.length}`);
    return `batch=${accepted.batchId} accepted=${accepted.accepted} cached=${accepted.items.filter((i) => i.cached).length}` +
      ` completed=${status.completed}/${status.total} progress=${status.progress}`;
  });

  await step('alerts', async () => {
    const active = await alerts.getActiveAlerts({ latitude: LAT, longitude: LON, radiusKm: 50 });
    must(Array.isArray(active.alerts) && active.count === active.alerts.length, 'active: alerts/count mismatch');
    const history = await alerts.getAlertHistory({ from: new Date(Date.now() - 7 * 24 * 3600_000) });
    must(Array.isArray(history.alerts) && history.count === history.alerts.length, 'history: alerts/count mismatch');
    must([...active.alerts, ...history.alerts].every((x) => validDate(x.createdAt)), 'alert dates did not parse');
    return `active=${active.count} (${active.alerts.map((x) => `${x.alertType}/${x.severity}`).join(' ') || 'none'}) history_7d=${history.count}`;
  });

  await step('errors', async () => {
    const text = new File(['this is plain text, not a JPEG\n'], 'x.jpg', { type: 'image/jpeg' });
    const e415 = await expectError(() => analysis.analyzeSingle({ file: text }), 415, 'unsupported_media_type');
    const e404 = await expectError(() => results.getResult({ imageId: randomUUID() }), 404, 'not_found');
    must(e404.body.requestId === e404.response.headers.get('X-Request-Id'), 'request_id differs from X-Request-Id');
    return `415 ${e415.body.code} "${e415.body.message}"; 404 ${e404.body.code}`;
  });

  await step('retry-429', async () => {
    must(uploaded, 'needs the image of step upload');
    const imageId = uploaded.imageId;

    // (a) Quota used up: the retrying client waits Retry-After and succeeds.
    const first = await exhaust();
    let before = retries;
    const t0 = performance.now();
    const r = await new ResultsApi(cfg).getResult({ imageId });
    const waited = (performance.now() - t0) / 1000;
    const getRetries = retries - before;
    must(r.status === ImageStatus.Completed, `status ${r.status}`);
    must(getRetries > 0, 'the first attempt was not refused: nothing was retried');
    must(waited >= first.retryAfter - 1, `took ${waited.toFixed(1)} s, Retry-After was ${first.retryAfter} s`);

    // (b) Used up again: the SDK with the plain global fetch surfaces the 429 as ResponseError.
    const second = await exhaust();
    const e429 = await expectError(() => new ResultsApi(plainCfg).getResult({ imageId }), 429, 'rate_limited');
    const plainRetryAfter = e429.response.headers.get('Retry-After');
    must(plainRetryAfter !== null, 'the 429 had no Retry-After');

    // (c) Used up again: an upload through the retrying client is re-sent whole after its 429 (same SHA-256,
    // answered as already analysed) - the FormData body survives a retry.
    const file = await fileBlob(args.images[0]);
    const third = await exhaust();
    before = retries;
    const again = await new AnalysisApi(cfg).analyzeSingle({ file, latitude: LAT, longitude: LON, priority: Priority.High });
    const uploadRetries = retries - before;
    must(uploadRetries > 0, 'the upload was not refused first: nothing was retried');
    must(again.sha256 === uploaded.sha256, `re-sent upload hashed ${again.sha256}, not ${uploaded.sha256}`);

    return `quota used after ${first.sent} GETs, Retry-After=${first.retryAfter} s -> retrying getResult ok after` +
      ` ${waited.toFixed(1)} s (${getRetries} retry); plain fetch -> ResponseError 429 rate_limited` +
      ` Retry-After=${plainRetryAfter} s (after ${second.sent} GETs); retrying re-upload ok after` +
      ` ${uploadRetries} retry (Retry-After=${third.retryAfter} s), same sha256, cached=${again.cached}`;
  });

  await step('api-key', async () => {
    // The generated runtime sends the key only when Configuration.apiKey is set. An unknown key must therefore
    // come back 401 invalid_api_key (it would be 404 without the header): proof the header is on the wire.
    const bogus = new ResultsApi(config(retrying, `not-a-key-${randomUUID()}`));
    await expectError(() => bogus.getResult({ imageId: randomUUID() }), 401, 'invalid_api_key');
    if (args.apiKey === undefined) return 'unknown key -> 401 invalid_api_key (no --api-key: keyed calls not checked)';
    const usage = await new OperationsApi(cfg).getUsage({});
    must(validDate(usage.from) && Array.isArray(usage.hours), 'usage did not parse');
    await expectError(() => new OperationsApi(config(retrying, undefined)).getUsage({}), 401, 'api_key_required');
    return `unknown key -> 401 invalid_api_key; --api-key -> getUsage ok (key ${usage.apiKeyId}, ${usage.hours.length} hours);` +
      ' no key -> 401 api_key_required';
  });

  process.exit(failures === 0 ? 0 : 1);
}

/**
 * Raw GETs of unknown results (404s, cheap) until the node answers 429; with --api-key they carry the key, which
 * has its own budget. If the window is about to end (Retry-After < 3 s), waits for the next and starts over, so
 * that the request made next surely falls into a used-up window.
 */
async function exhaust(): Promise<{ sent: number; retryAfter: number }> {
  const headers: Record<string, string> = args.apiKey ? { 'X-API-Key': args.apiKey } : {};
  for (let round = 0; round < 3; round++) {
    for (let sent = 1; sent <= 20_000; sent++) {
      const res = await fetch(`${args.baseUrl}/api/v1/results/${randomUUID()}`, { headers });
      await res.arrayBuffer();
      if (res.status === 429) {
        const retryAfter = Number(res.headers.get('Retry-After'));
        must(Number.isInteger(retryAfter) && retryAfter > 0, `429 with Retry-After ${res.headers.get('Retry-After')}`);
        if (retryAfter >= 3) return { sent, retryAfter };
        await sleep(retryAfter * 1000);
        break;
      }
      must(res.status === 404, `raw GET answered ${res.status}`);
    }
  }
  throw new Error('could not use up the rate limit');
}

main().catch((e) => {
  console.log(`FAIL check ${e instanceof Error ? e.stack : e}`);
  process.exit(1);
});
