// The operator's status panel: cluster members, the model registry and this node's health.
import { ApiError, getJson } from './api.js';
import { $, ago, h } from './dom.js';

const REFRESH_MS = 10000;

export function startStatus() {
  let busy = false;
  const refresh = async () => {
    if (busy) return;
    busy = true;
    try {
      const [health, models, cluster] = await Promise.allSettled([
        getJson('/api/v1/health'),
        getJson('/api/v1/models'),
        getJson('/api/v1/cluster'),
      ]);
      renderHealth(health);
      renderModels(models);
      renderCluster(cluster);
      $('status-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    } finally {
      busy = false;
    }
  };
  refresh();
  setInterval(refresh, REFRESH_MS);
}

function failure(el, settled) {
  el.replaceChildren(h('span', { class: 'error-inline' }, `unavailable: ${settled.reason?.message ?? settled.reason}`));
}

function renderHealth(settled) {
  const badge = $('health-badge');
  const el = $('status-node');
  // An unhealthy node answers 503 with the same Health body: still worth showing.
  const health = settled.status === 'fulfilled' ? settled.value
    : settled.reason instanceof ApiError && settled.reason.body?.dependencies ? settled.reason.body : null;
  if (!health) {
    badge.textContent = 'health unknown';
    badge.className = 'badge bad';
    failure(el, settled);
    return;
  }
  badge.textContent = `${health.node_id}: ${health.status}`;
  badge.className = `badge ${health.status === 'healthy' ? 'good' : health.status === 'degraded' ? 'warn' : 'bad'}`;
  const deps = Object.entries(health.dependencies ?? {}).map(([name, d]) => h('span', {
    class: `chip dep dep-${d.status}`,
    title: [d.status, d.latency_ms != null ? `${d.latency_ms} ms` : null, d.message].filter(Boolean).join(' · '),
  }, name));
  const perf = health.performance ?? {};
  el.replaceChildren(
    h('div', null, h('strong', null, health.node_id), ` v${health.version} · ${health.roles?.join(', ')} · up ${uptime(health.uptime_seconds)}`),
    h('div', { class: 'chips' }, ...deps),
    h('div', { class: 'muted small' },
      `${perf.images_processed ?? 0} images analysed, ${perf.images_failed ?? 0} failed · `
      + `${Math.round(perf.avg_processing_time_ms ?? 0)} ms avg · queue ${perf.queue_in_flight ?? 0}`),
  );
}

function renderModels(settled) {
  const el = $('status-models');
  if (settled.status !== 'fulfilled') return failure(el, settled);
  const models = settled.value.models ?? [];
  if (!models.length) {
    el.replaceChildren(h('span', { class: 'muted' }, 'No inference node reports a model.'));
    return;
  }
  el.replaceChildren(h('ul', { class: 'plain' }, ...models.map((m) => h('li', {
    'data-testid': 'status-model',
    'data-model-version': m.version,
  },
  h('div', null,
    h('strong', null, m.name), ' ',
    h('span', { class: `chip ${m.serving ? 'good' : 'warn'}` }, m.serving ? 'serving' : 'shadow'), ' ',
    h('span', { class: 'muted small' }, `${m.view}${m.gsd_m ? ` · ${m.gsd_m} m/px` : ''}`)),
  h('div', { class: 'muted small mono', title: m.sha256 }, m.version),
  h('div', { class: 'muted small' },
    `classes: ${(m.classes ?? []).join(', ')} · on ${(m.nodes ?? []).map((n) => `${n.node_id} (${n.role}, ${n.execution_provider})`).join(', ') || 'no node'}`)))));
}

function renderCluster(settled) {
  const el = $('status-cluster');
  if (settled.status !== 'fulfilled') return failure(el, settled);
  const c = settled.value;
  const now = Date.now();
  const members = [...(c.members ?? [])].sort((a, b) => a.node_id.localeCompare(b.node_id));
  el.replaceChildren(
    h('div', { class: 'muted small' },
      c.clustered ? `cluster “${c.name}”, ${members.length} member${members.length === 1 ? '' : 's'}` : 'standalone node'),
    h('table', { class: 'members' },
      h('thead', null, h('tr', null, h('th', null, 'node'), h('th', null, 'roles'), h('th', null, 'work'), h('th', null, 'heartbeat'))),
      h('tbody', null, ...members.map((m) => h('tr', { 'data-testid': 'status-member', 'data-node-id': m.node_id },
        h('td', null, h('span', { class: `dot state-${m.state}`, title: m.state }), ' ', m.node_id, m.node_id === c.this_node ? ' (this)' : ''),
        h('td', { class: 'small' }, (m.roles ?? []).join(', '),
          ...(m.models ?? []).map((x) => h('div', { class: 'muted small mono' }, `${x.version} · ${x.execution_provider}${x.role === 'shadow' ? ' · shadow' : ''}`))),
        h('td', null, String(m.in_flight)),
        h('td', { class: 'small' }, m.state === 'joining' ? 'joining' : `${m.state} · ${ago(m.last_heartbeat, now)}`))))),
  );
}

function uptime(seconds) {
  const s = Math.floor(seconds ?? 0);
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}
