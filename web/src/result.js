// One image's result: polled until final, drawn over the user's own file (the API never serves the
// uploaded image back), with its footprints on the map.
import { getJson, sleep } from './api.js';
import { changeSummary } from './change.js';
import { $, h, percent } from './dom.js';
import { evidenceDetails, evidenceText, otherSensorText } from './evidence.js';
import { extentSummary } from './extent.js';
import { cssName } from './map.js';

const FINAL = new Set(['completed', 'failed']);
const POLL_MS = 1000;
const MAX_RETRIES = 8;
const FIGURE_MAX_HEIGHT = 420;

export function createResultView({ map, showError }) {
  const card = $('result-card');
  const figure = $('result-figure');
  const img = $('result-image');
  const noImage = $('result-noimage');
  const boxes = $('result-boxes');
  // Bumped by every new upload or selection; a poll loop that sees another value has been replaced.
  let token = 0;
  let file = null;
  let imageUrl = null;
  // The before image's upload id of a pair this page sent (the API names the before scene only by content).
  let before = {};

  img.addEventListener('load', () => {
    noImage.hidden = true;
    img.hidden = false;
    figure.classList.remove('no-preview');
    if (!figure.dataset.sized) sizeFigure(img.naturalWidth, img.naturalHeight);
  });
  // Browsers other than Safari cannot show TIFF: keep the box, to scale, without the picture.
  img.addEventListener('error', () => {
    if (!img.getAttribute('src')) return;
    img.hidden = true;
    noImage.hidden = false;
    figure.classList.add('no-preview');
  });

  function sizeFigure(width, height) {
    if (!(width > 0 && height > 0)) return;
    figure.style.aspectRatio = `${width} / ${height}`;
    figure.style.maxWidth = `${(FIGURE_MAX_HEIGHT * width) / height}px`;
  }

  function setFile(f) {
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    file = f;
    imageUrl = f ? URL.createObjectURL(f) : null;
    delete figure.dataset.sized;
    figure.style.aspectRatio = '';
    figure.style.maxWidth = '';
    noImage.hidden = true;
    img.hidden = false;
    figure.classList.remove('no-preview');
    if (imageUrl) img.src = imageUrl;
    else img.removeAttribute('src');
  }

  function setStatus(status) {
    const el = $('result-status');
    el.textContent = status;
    el.className = `chip status-${cssName(status)}`;
  }

  function clearAnalysis() {
    boxes.replaceChildren();
    $('result-failure').hidden = true;
    $('result-progress').textContent = '';
    const risk = $('result-risk');
    risk.textContent = '—';
    risk.className = 'chip';
    for (const id of ['result-landslide', 'result-flood', 'result-evidence', 'result-change', 'result-detections',
      'result-geo', 'result-model']) {
      $(id).replaceChildren();
    }
    $('result-change').hidden = true;
    $('result-change-label').hidden = true;
    map.clearFootprints();
  }

  /**
   * Shows the file at once, while it is still uploading. `options.beforeImageId`: the before image of a pair, as
   * the page sent it.
   */
  function begin(f, { beforeImageId } = {}) {
    token++;
    before = beforeImageId ? { imageId: beforeImageId } : {};
    setFile(f);
    clearAnalysis();
    $('result-meta').textContent = `${f.name} · ${formatBytes(f.size)}`;
    setStatus('uploading');
    card.hidden = false;
  }

  function hide() {
    token++;
    before = {};
    card.hidden = true;
    setFile(null);
    map.clearFootprints();
  }

  /**
   * Polls the result of `imageId` (shown over `f`) until it is completed or failed. `known` is the
   * status the upload answered with; a final one is not shown before the analysis is drawn. `beforeImageId`: the
   * before image of a pair this page sent (absent: the pair's before scene is named by its content hash).
   */
  async function track(imageId, f = file, known = 'pending', { beforeImageId } = {}) {
    const mine = ++token;
    before = beforeImageId ? { imageId: beforeImageId } : {};
    if (f !== file) setFile(f);
    clearAnalysis();
    card.hidden = false;
    setStatus(FINAL.has(known) ? 'pending' : known);
    let retries = 0;
    while (mine === token) {
      let result;
      try {
        result = await getJson(`/api/v1/results/${encodeURIComponent(imageId)}`);
        retries = 0;
      } catch (e) {
        if (mine !== token) return;
        // A result just accepted may not be readable everywhere yet (404), and a busy or restarting
        // server (429, 503, no connection) is worth a few more tries before telling the user.
        if ((e.transient || e.status === 404) && ++retries <= MAX_RETRIES) {
          $('result-progress').textContent = `retrying: ${e.message}`;
          await sleep(e.retryAfterMs ?? POLL_MS);
          continue;
        }
        showError(e);
        return;
      }
      if (mine !== token) return;
      render(result);
      if (FINAL.has(result.status)) {
        if (result.status === 'completed') await showFootprints(imageId, result, mine);
        return;
      }
      await sleep(POLL_MS);
    }
  }

  function render(r) {
    // Names the image shown, for people (copy the id) and for the browser test (it asks the API about it).
    $('result-status').dataset.imageId = r.image_id;
    const width = r.width ?? r.analysis?.image_width;
    const height = r.height ?? r.analysis?.image_height;
    if (width && height) {
      sizeFigure(width, height);
      figure.dataset.sized = 'true';
    }
    $('result-meta').textContent = [r.filename ?? file?.name, width && height ? `${width}×${height} px` : null,
      r.content_type, r.priority ? `priority ${r.priority}` : null, `id ${r.image_id}`].filter(Boolean).join(' · ');
    $('result-progress').textContent = r.progress ? `tile ${r.progress.tiles_done} of ${r.progress.tiles_total}`
      : r.status === 'processing' && r.attempts > 1 ? `attempt ${r.attempts}` : '';

    const failure = $('result-failure');
    failure.hidden = r.status !== 'failed';
    failure.textContent = r.status === 'failed' ? `Analysis failed: ${r.failure_reason ?? 'no reason given'}` : '';

    const a = r.analysis;
    if (a) renderAnalysis(a, width, height);
    // Last, so that a test that waits for `completed` finds the analysis already drawn.
    setStatus(r.status);
  }

  function renderAnalysis(a, width, height) {
    const risk = $('result-risk');
    risk.textContent = a.risk_level;
    risk.className = `chip risk-${cssName(a.risk_level)}`;
    $('result-landslide').replaceChildren(probability(a.landslide_probability, a.landslide_risk));
    $('result-flood').replaceChildren(probability(a.flood_probability, a.flood_risk));
    const other = otherSensorText(a.other_sensor);
    $('result-evidence').replaceChildren(...evidenceLines(a.evidence), ...(other ? [h('div', {
      class: 'evidence-detail', 'data-testid': 'result-other-sensor',
    }, other)] : []));
    renderChange(a.change);
    const counts = Object.entries(a.detection_counts ?? {}).filter(([, n]) => n > 0).map(([c, n]) => `${n} ${c}`);
    $('result-detections').textContent = a.detections_count ? counts.join(', ') : 'none';
    $('result-model').replaceChildren(h('span', { class: 'mono small' }, a.model_version),
      ` · ${Math.round(a.processing_time_ms)} ms`);
    $('result-geo').textContent = a.georeference === 'exact' ? 'from the GeoTIFF'
      : a.georeference === 'approximate' ? 'approximate (location hint)' : 'no ground position';

    const w = width || a.image_width;
    const ht = height || a.image_height;
    boxes.replaceChildren(...(a.detections ?? []).map((d) => {
      const { x1, y1, x2, y2 } = d.bbox;
      const pct = (v, total) => `${Math.min(100, Math.max(0, (v / total) * 100))}%`;
      return h('div', {
        class: `det cls-${cssName(d.class_name)}${y1 / ht < 0.06 ? ' near-top' : ''}`,
        'data-testid': 'result-detection',
        'data-class': d.class_name,
        'data-confidence': d.confidence,
        style: { left: pct(x1, w), top: pct(y1, ht), width: pct(x2 - x1, w), height: pct(y2 - y1, ht) },
        title: `${d.class_name} ${d.confidence.toFixed(2)}${d.area_m2 ? ` · ${(d.area_m2 / 1e6).toFixed(3)} km²` : ''}`,
      }, h('span', { class: 'det-label' }, `${d.class_name} ${d.confidence.toFixed(2)}`));
    }));
  }

  /** A pair's change layers, one line each with its area, under what the scene was compared with. */
  function renderChange(change) {
    const summary = changeSummary(change, before);
    const dd = $('result-change');
    dd.hidden = !summary;
    $('result-change-label').hidden = !summary;
    if (!summary) {
      dd.replaceChildren();
      return;
    }
    dd.replaceChildren(h('div', { class: 'muted', 'data-testid': 'result-change-before' }, summary.heading),
      ...summary.layers.map((l) => h('div', {
        class: `change-line ${l.css}`,
        'data-testid': 'result-change-layer',
        'data-layer': l.kind,
        'data-area-km2': l.areaKm2,
        title: l.what,
      }, l.text)));
  }

  async function showFootprints(imageId, result, mine) {
    const id = encodeURIComponent(imageId);
    const geo = $('result-geo');
    // The /geojson resource is new; the same collection is also served by ?format=geojson.
    let collection = null;
    let lastError = null;
    for (const path of [`/api/v1/results/${id}/geojson`, `/api/v1/results/${id}?format=geojson`]) {
      try {
        const body = await getJson(path, { accept: 'application/geo+json, application/json;q=0.9' });
        if (body && body.type === 'FeatureCollection' && Array.isArray(body.features)) {
          collection = body;
          break;
        }
      } catch (e) {
        lastError = e;
      }
    }
    if (mine !== token) return;
    if (!collection) {
      geo.textContent += ` · footprints unavailable${lastError ? `: ${lastError.message}` : ''}`;
      map.showFootprints(null, result.location);
      return;
    }
    // Detections have no `kind`; flood extent and change polygons have one.
    const detections = collection.features.filter((f) => !f.properties?.kind);
    const placed = detections.filter((f) => f.geometry).length;
    if (detections.length) {
      geo.textContent += ` · ${placed} of ${detections.length} detections on the map`;
    }
    const extent = result.analysis?.extent;
    if (extent) {
      geo.textContent += ` · ${extentSummary(extent, imageId)}`;
    }
    const changes = collection.features.filter((f) => f.properties?.kind === 'change' && f.geometry).length;
    if (changes) {
      geo.textContent += ` · ${changes} change polygon(s) on the map`;
    }
    map.showFootprints(collection, result.location, before);
  }

  return { begin, track, hide, cancel: () => { token++; } };
}

function probability(p, level) {
  return h('span', { class: 'prob-row' },
    h('span', { class: 'bar' }, h('span', { class: 'fill', style: { width: percent(p) } })),
    h('span', { class: 'prob-value' }, percent(p)),
    level ? h('span', { class: `chip risk-${cssName(level)}` }, level) : null);
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function evidenceLines(evidence) {
  const entries = Object.entries(evidence ?? {});
  if (!entries.length) return ['—'];
  // The line itself (level and reason), then its details: who saw it, the precision behind it, corroboration.
  return entries.flatMap(([hazard, e]) => [h('div', {
    class: `evidence ${e.verified ? 'verified' : e.corroborated ? 'corroborated' : 'unverified'}`,
    'data-testid': 'result-evidence-line',
    'data-hazard': hazard,
    'data-level': e.level,
    'data-verified': String(e.verified),
  }, evidenceText(hazard, e)), ...evidenceDetails(e).map((d) => h('div', {
    class: 'evidence-detail',
    'data-testid': 'result-evidence-detail',
    'data-hazard': hazard,
    'data-part': d.part,
  }, d.text))]);
}
