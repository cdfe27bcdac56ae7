// Progress of a batch upload; each accepted file can be opened in the result view.
import { getJson, sleep } from './api.js';
import { $, h } from './dom.js';
import { cssName } from './map.js';

const POLL_MS = 1000;
const MAX_RETRIES = 8;

export function createBatchView({ result, showError }) {
  const card = $('batch-card');
  let token = 0;
  let files = [];
  let shown = null; // image id open in the result view

  function open(item) {
    if (!item.image_id) return;
    shown = item.image_id;
    for (const li of $('batch-items').children) li.classList.toggle('selected', li.dataset.imageId === shown);
    result.track(item.image_id, files[item.index], item.status);
  }

  function render(batch) {
    const progress = $('batch-progress');
    progress.value = batch.progress ?? 0;
    const counts = ['pending', 'processing', 'completed', 'failed', 'rejected']
      .filter((k) => batch[k] > 0).map((k) => `${batch[k]} ${k}`);
    $('batch-counts').textContent = `${Math.round((batch.progress ?? 0) * 100)}% of ${batch.total}`
      + (counts.length ? ` · ${counts.join(', ')}` : '');
    card.dataset.done = String(Boolean(batch.done));
    $('batch-items').replaceChildren(...batch.items.map((item) => {
      const li = h('li', {
        class: `batch-item${item.image_id && item.image_id === shown ? ' selected' : ''}`,
        'data-testid': 'batch-item',
        'data-status': item.status,
        'data-image-id': item.image_id ?? undefined,
      },
      h('span', { class: 'name', title: item.filename ?? '' }, item.filename ?? files[item.index]?.name ?? `file ${item.index + 1}`),
      h('span', { class: `chip status-${cssName(item.status)}` }, item.status),
      item.error ? h('div', { class: 'error-inline small' }, item.error.message) : null);
      if (item.image_id) {
        li.classList.add('openable');
        li.addEventListener('click', () => open(item));
      }
      return li;
    }));
  }

  /** `accepted` is the upload's BatchAccepted answer; `fileList` the files in upload order. */
  async function track(accepted, fileList) {
    const mine = ++token;
    files = fileList;
    shown = null;
    card.hidden = false;
    // The upload answer has per-item states but no counters yet: show it as a batch just begun.
    const finalItems = accepted.items.filter((i) => ['completed', 'failed', 'rejected'].includes(i.status)).length;
    render({
      ...accepted,
      pending: accepted.items.filter((i) => i.status === 'pending').length,
      completed: accepted.items.filter((i) => i.status === 'completed').length,
      rejected: accepted.rejected,
      progress: finalItems / accepted.total,
      done: false,
    });
    const first = accepted.items.find((i) => i.image_id);
    if (first) open(first);
    else result.hide();

    let retries = 0;
    while (mine === token) {
      await sleep(POLL_MS);
      if (mine !== token) return;
      let batch;
      try {
        batch = await getJson(`/api/v1/batches/${encodeURIComponent(accepted.batch_id)}`);
        retries = 0;
      } catch (e) {
        if (mine !== token) return;
        if ((e.transient || e.status === 404) && ++retries <= MAX_RETRIES) continue;
        showError(e);
        return;
      }
      if (mine !== token) return;
      render(batch);
      if (batch.done) return;
    }
  }

  function hide() {
    token++;
    card.hidden = true;
    $('batch-items').replaceChildren();
  }

  return { track, hide };
}
