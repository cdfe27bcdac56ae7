// Active alerts: a first load, then live changes from the Server-Sent Events stream.
import { getJson } from './api.js';
import { ago, h, percent, until } from './dom.js';
import { evidenceDetails } from './evidence.js';

const SEVERITY_RANK = { critical: 3, high: 2, medium: 1 };
// GET /alerts/active needs a point and at most 500 km, so it cannot list the world. The history
// without a point lists every alert raised in a window; the server's own Atom feed of active
// alerts uses the same one-year window (an alert kept alive by merges keeps its creation time).
const WINDOW_MS = 366 * 24 * 3600 * 1000;
const PAGE = 1000; // the contract's maximum `limit` for the history
const MAX_PAGES = 5;

export function isActive(alert, now = Date.now()) {
  return alert.state !== 'resolved' && Date.parse(alert.expires_at) > now;
}

/** Alerts by id, merging the first load with stream events that may arrive before or after it. */
export class AlertStore {
  #alerts = new Map();
  #fromStream = new Set();

  /** From the history: never replace what the stream said, unless the history's is a newer version. */
  loadFromHistory(alerts) {
    for (const a of alerts) {
      const known = this.#alerts.get(a.alert_id);
      if (known && this.#fromStream.has(a.alert_id) && (known.version ?? 1) >= (a.version ?? 1)) continue;
      this.#alerts.set(a.alert_id, a);
    }
    this.prune();
  }

  /** A stream event: the alert as it is now (an acknowledgement changes `state`, not `version`). */
  applyEvent(alert) {
    this.#alerts.set(alert.alert_id, alert);
    this.#fromStream.add(alert.alert_id);
    this.prune();
  }

  /** Drops resolved and expired alerts; true when something was dropped. */
  prune(now = Date.now()) {
    let changed = false;
    for (const [id, a] of this.#alerts) {
      if (!isActive(a, now)) {
        this.#alerts.delete(id);
        this.#fromStream.delete(id);
        changed = true;
      }
    }
    return changed;
  }

  get(id) {
    return this.#alerts.get(id);
  }

  /** Most severe first, then newest. */
  list() {
    return [...this.#alerts.values()].sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0)
      || Date.parse(b.created_at) - Date.parse(a.created_at));
  }
}

/** Every alert raised in the window that is still active, paging back while pages come back full. */
export async function fetchActiveAlerts(now = Date.now()) {
  const from = new Date(now - WINDOW_MS).toISOString();
  let to = null;
  const found = new Map();
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ from, limit: String(PAGE) });
    if (to) query.set('to', to);
    const { alerts = [] } = await getJson(`/api/v1/alerts/history?${query}`);
    const before = found.size;
    for (const a of alerts) found.set(a.alert_id, a);
    if (alerts.length < PAGE || found.size === before) break;
    // `to` is exclusive: one millisecond past the oldest, so alerts sharing its time are not skipped.
    const oldest = Math.min(...alerts.map((a) => Date.parse(a.created_at)));
    if (!Number.isFinite(oldest)) break;
    to = new Date(oldest + 1).toISOString();
  }
  return [...found.values()].filter((a) => isActive(a, now));
}

/**
 * Follows /alerts/stream. The browser reconnects by itself after a dropped connection (sending
 * Last-Event-ID, so the server replays what was missed); it gives up only when the server answers
 * with an error status (a 429, a 503), and then this reconnects with a growing delay.
 */
export function followAlertStream({ onAlert, onOpen, onDown }) {
  let delay = 2000;
  const connect = () => {
    const source = new EventSource('/api/v1/alerts/stream');
    source.onopen = () => {
      delay = 2000;
      onOpen();
    };
    source.addEventListener('alert', (e) => {
      let alert;
      try {
        alert = JSON.parse(e.data);
      } catch {
        return; // one malformed event must not stop the stream
      }
      if (alert && alert.alert_id) onAlert(alert);
    });
    source.onerror = () => {
      onDown();
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 60000);
      }
    };
  };
  connect();
}

export function renderAlertList(ul, alerts, { selected, fresh, onSelect }) {
  const now = Date.now();
  const items = alerts.map((a) => {
    const li = h('li', {
      class: `alert-item sev-${a.severity}${a.alert_id === selected ? ' selected' : ''}${fresh.has(a.alert_id) ? ' fresh' : ''}`,
      'data-testid': 'alert-list-item',
      'data-alert-id': a.alert_id,
      tabindex: 0,
      title: a.description || a.title,
    },
    h('span', { class: `sev chip sev-${a.severity}` }, a.severity),
    h('div', { class: 'alert-main' },
      h('div', { class: 'alert-title' }, a.title),
      h('div', { class: 'muted small' },
        `${a.alert_type} · p ${percent(a.probability)} · ${Number(a.latitude).toFixed(3)}, ${Number(a.longitude).toFixed(3)} · ${a.radius_km} km`),
      a.evidence ? h('div', { class: 'muted small evidence', 'data-testid': 'alert-evidence',
        // The details behind the short word: who saw it, the precision behind the level, its corroboration.
        title: [a.evidence.reason, ...evidenceDetails(a.evidence).map((d) => d.text)].filter(Boolean).join('\n') },
        a.evidence.verified ? 'verified by real labels' : a.evidence.corroborated
          ? `corroborated (${(a.evidence.corroborated_by ?? []).join(', ').replaceAll('_', ' ')})`
          : 'unverified') : null,
      h('div', { class: 'muted small' },
        `raised ${ago(a.created_at, now)} · expires ${until(a.expires_at, now)}`,
        a.state === 'acknowledged' ? ' · acknowledged' : '',
        (a.version ?? 1) > 1 ? ` · v${a.version}` : '')));
    li.addEventListener('click', () => onSelect(a.alert_id));
    li.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(a.alert_id);
      }
    });
    return li;
  });
  if (!items.length) items.push(h('li', { class: 'empty muted' }, 'No active alerts.'));
  ul.replaceChildren(...items);
}
