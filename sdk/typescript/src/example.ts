// The minimal use of the SDK: upload one image, wait for its analysis, print the risk.
//
//   node dist/example.js IMAGE [BASE_URL]        (optional key: GEOHAZARD_API_KEY=... in the environment)
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AnalysisApi, Configuration, ResponseError, ResultsApi } from './client';
import { retryingFetch } from './retry';

async function main() {
  const [path, basePath = 'http://127.0.0.1:8080'] = process.argv.slice(2);
  if (!path) throw new Error('usage: node dist/example.js IMAGE [BASE_URL]');

  const config = new Configuration({ basePath, apiKey: process.env.GEOHAZARD_API_KEY, fetchApi: retryingFetch() });
  const file = new File([await readFile(path)], basename(path)); // a File: a Blob that keeps its name
  const { imageId } = await new AnalysisApi(config).analyzeSingle({ file, latitude: 38.1, longitude: -0.76 });

  const results = new ResultsApi(config);
  let result = await results.getResult({ imageId });
  while (result.status === 'pending' || result.status === 'processing') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    result = await results.getResult({ imageId });
  }
  if (result.status === 'failed' || !result.analysis) throw new Error(`analysis failed: ${result.failureReason}`);
  const { riskLevel, detections } = result.analysis;
  console.log(`${imageId}: risk ${riskLevel}, ${detections.length} detection(s)` +
    detections.map((d) => ` ${d.className} ${d.confidence.toFixed(2)}`).join(','));
}

main().catch(async (e) => {
  // Non-2xx answers are ResponseError; the body is the API's JSON Error {code, message, request_id}.
  console.error(e instanceof ResponseError ? `${e.response.status} ${await e.response.text()}` : e);
  process.exit(1);
});
