// Thin access to the geohazard API (same origin). Every failure, whether an HTTP error with the
// contract's {code, message, request_id} body, a proxy's HTML page or no connection at all, becomes
// one ApiError, so every caller can show `message` the same way.

export class ApiError extends Error {
  constructor(status, body, fallback, retryAfter) {
    const json = body && typeof body === 'object' ? body : null;
    super(json && typeof json.message === 'string' ? json.message : fallback);
    this.name = 'ApiError';
    this.status = status;
    this.code = json && typeof json.code === 'string' ? json.code : null;
    this.requestId = json && typeof json.request_id === 'string' ? json.request_id : null;
    this.body = json;
    const seconds = Number.parseInt(retryAfter ?? '', 10);
    this.retryAfterMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
  }

  /** Worth asking again: no connection, rate limited, or a dependency briefly down. */
  get transient() {
    return this.status === 0 || this.status === 429 || this.status === 502 || this.status === 503
      || this.status === 504;
  }
}

function parse(text) {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function statusText(status, text) {
  return status === 0 ? 'the server cannot be reached' : `HTTP ${status}${text ? ` ${text}` : ''}`;
}

/** GET a JSON document; `accept` lets the GeoJSON views be asked for by media type. */
export async function getJson(path, { accept = 'application/json', signal } = {}) {
  let response;
  try {
    response = await fetch(path, { headers: { Accept: accept }, signal, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null, statusText(0));
  }
  const body = parse(await response.text());
  if (!response.ok) {
    throw new ApiError(response.status, body, statusText(response.status, response.statusText),
      response.headers.get('Retry-After'));
  }
  if (body === null) {
    throw new ApiError(response.status, null, `unexpected answer from ${path} (not JSON)`);
  }
  return body;
}

/**
 * POST a multipart form with XMLHttpRequest, the one browser API that reports upload progress.
 * Resolves with {status, body}; rejects with ApiError.
 */
export function postForm(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve({ status: xhr.status, body });
      } else {
        reject(new ApiError(xhr.status, body, statusText(xhr.status, xhr.statusText),
          xhr.getResponseHeader('Retry-After')));
      }
    };
    // A server that refuses an upload early (413) may close the connection before the browser has
    // sent the whole body; browsers then report a network error rather than the answer.
    xhr.onerror = () => reject(new ApiError(0, null,
      'the upload was interrupted (the server cannot be reached, or it refused the request before reading it all)'));
    xhr.send(form);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
