import './app.css';
import { AlertStore, fetchActiveAlerts, followAlertStream, renderAlertList } from './alerts.js';
import { createBatchView } from './batch.js';
import { $, h } from './dom.js';
import { createMap } from './map.js';
import { createResultView } from './result.js';
import { startStatus } from './status.js';
import { initUpload } from './upload.js';

const PRUNE_MS = 15000;
const FRESH_MS = 8000;

function showError(err) {
  const box = $('error-message');
  box.replaceChildren(h('span', null, err?.message || String(err)));
  if (err?.requestId) box.append(h('span', { class: 'request-id' }, ` (request ${err.requestId})`));
  box.hidden = false;
}

function clearError() {
  const box = $('error-message');
  box.hidden = true;
  box.replaceChildren();
}

function start() {
  const store = new AlertStore();
  const fresh = new Set(); // alerts raised since the page loaded, marked for a few seconds
  let selected = null;

  // Picked in the list: zoom to it. Clicked on the map: it is already in view; find it in the list.
  const select = (id, { zoom = true } = {}) => {
    selected = id;
    if (zoom) map.focusAlert(id);
    redraw(false);
    document.querySelector(`.alert-list [data-alert-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const map = createMap($('map'), {
    onAlertClick: (id) => select(id, { zoom: false }),
    popup: $('map-popup'),
    legend: $('map-layer-legend'),
  });

  function redraw(redrawMap = true) {
    const alerts = store.list();
    if (redrawMap) map.setAlerts(alerts);
    if (selected && !store.get(selected)) selected = null;
    map.highlight(selected);
    renderAlertList($('alert-list'), alerts, { selected, fresh, onSelect: (id) => select(id) });
    $('alert-count').textContent = `${alerts.length} active`;
  }

  $('map-zoom-in').addEventListener('click', () => map.zoomIn());
  $('map-zoom-out').addEventListener('click', () => map.zoomOut());
  $('map-world').addEventListener('click', () => map.world());
  $('map-fit').addEventListener('click', () => map.fitAlerts());

  const result = createResultView({ map, showError });
  const batch = createBatchView({ result, showError });
  initUpload({ result, batch, showError, clearError });
  startStatus();

  // The basemap is drawn synchronously by createMap; the page is ready once the first alert load
  // has finished, whether or not it succeeded (a failure is shown in the list's header).
  let loadedOnce = false;
  async function loadAlerts() {
    const note = $('alerts-note');
    try {
      store.loadFromHistory(await fetchActiveAlerts());
      note.textContent = '';
      note.classList.remove('error-inline');
      document.body.dataset.alerts = 'loaded';
      redraw();
      if (!loadedOnce) map.fitAlerts();
    } catch (e) {
      note.textContent = `could not load alerts: ${e.message}`;
      note.classList.add('error-inline');
      if (!loadedOnce) document.body.dataset.alerts = 'failed';
      redraw();
    } finally {
      loadedOnce = true;
      document.body.dataset.ready = 'true';
    }
  }

  // The stream is opened first so that nothing raised during the first load is missed.
  let wasDown = false;
  const badge = $('stream-badge');
  followAlertStream({
    onOpen: () => {
      document.body.dataset.stream = 'open';
      badge.textContent = 'live';
      badge.className = 'badge good';
      // After an outage longer than the server's replay buffer events may be lost: load again.
      if (wasDown && loadedOnce) loadAlerts();
      wasDown = false;
    },
    onDown: () => {
      document.body.dataset.stream = 'closed';
      badge.textContent = 'stream reconnecting';
      badge.className = 'badge warn';
      wasDown = true;
    },
    onAlert: (alert) => {
      store.applyEvent(alert);
      if (alert.created) {
        fresh.add(alert.alert_id);
        setTimeout(() => {
          fresh.delete(alert.alert_id);
          redraw(false);
        }, FRESH_MS);
      }
      redraw();
    },
  });
  loadAlerts();

  setInterval(() => {
    // Expiry happens on the server without an event: drop expired alerts here, and refresh the ages.
    redraw(store.prune());
  }, PRUNE_MS);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
