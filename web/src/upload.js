// The upload form: one file goes to /analyze/single, several to /analyze/batch.
import { postForm } from './api.js';
import { $ } from './dom.js';
import { formatBytes } from './result.js';

const MAX_BATCH = 50; // the contract's limit of files per batch
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function initUpload({ result, batch, showError, clearError }) {
  const form = $('upload-form');
  const input = $('upload-file');
  const submit = $('upload-submit');
  const progress = $('upload-progress');
  const progressText = $('upload-progress-text');

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearError();
    const files = [...input.files];
    let fields;
    try {
      fields = readFields(files);
    } catch (problem) {
      showError(problem);
      return;
    }

    // Fields before files, so a server reading the body as a stream knows the hints before the bytes.
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, value);
    const single = files.length === 1;
    for (const f of files) body.append(single ? 'file' : 'files', f, f.name);

    const total = files.reduce((n, f) => n + f.size, 0);
    submit.disabled = true;
    progress.value = 0;
    progressText.textContent = `uploading ${formatBytes(total)}…`;
    batch.hide();
    const beforeImageId = fields.find(([name]) => name === 'before_image_id')?.[1];
    if (single) result.begin(files[0], { beforeImageId });
    else result.hide();

    try {
      const answer = await postForm(single ? '/api/v1/analyze/single' : '/api/v1/analyze/batch', body, (loaded, size) => {
        progress.value = size ? loaded / size : 0;
        progressText.textContent = `${Math.round(progress.value * 100)}% of ${formatBytes(size)}`;
      });
      progress.value = 1;
      if (single) {
        progressText.textContent = answer.body.cached ? 'uploaded · analysed before' : 'uploaded';
        result.track(answer.body.image_id, files[0], answer.body.status, { beforeImageId });
      } else {
        const { accepted, rejected, total: count } = answer.body;
        progressText.textContent = `uploaded · ${accepted} of ${count} accepted`;
        if (rejected > 0) {
          const reasons = answer.body.items.filter((i) => i.error).map((i) => i.error.message);
          showError(new Error(`${rejected} of ${count} files rejected: ${reasons.join('; ')}`));
        }
        batch.track(answer.body, files);
      }
    } catch (err) {
      progress.value = 0;
      progressText.textContent = 'upload failed';
      result.hide();
      showError(err);
    } finally {
      submit.disabled = false;
    }
  });

  input.addEventListener('change', () => {
    clearError();
    progress.value = 0;
    const n = input.files.length;
    progressText.textContent = n > 1 ? `${n} files: a batch` : '';
  });
}

/** The optional form fields, checked as the contract checks them so mistakes are caught before uploading. */
function readFields(files) {
  if (!files.length) throw new Error('Choose an image file first.');
  if (files.length > MAX_BATCH) throw new Error(`At most ${MAX_BATCH} files per batch; ${files.length} were chosen.`);
  const fields = [];
  const lat = number('upload-latitude', 'Latitude', -90, 90);
  const lon = number('upload-longitude', 'Longitude', -180, 180);
  if ((lat === null) !== (lon === null)) throw new Error('Give latitude and longitude together, or neither.');
  if (lat !== null) fields.push(['latitude', String(lat)], ['longitude', String(lon)]);
  fields.push(['priority', $('upload-priority').value]);
  const gsd = number('upload-gsd', 'Ground sample distance', 0, 10000);
  if (gsd !== null) {
    if (gsd <= 0) throw new Error('Ground sample distance must be more than 0 m per pixel.');
    fields.push(['gsd_m', String(gsd)]);
  }
  const before = $('upload-before').value.trim();
  if (before) {
    // The contract takes a before scene on single uploads only.
    if (files.length > 1) throw new Error('A before image id compares one scene with it: upload one file.');
    if (!UUID.test(before)) throw new Error(`Before image id must be an image_id (a UUID), got '${before}'.`);
    fields.push(['before_image_id', before.toLowerCase()]);
  }
  const other = $('upload-other-sensor').value.trim();
  if (other) {
    // Like a before scene, another sensor's scene goes with single uploads only.
    if (files.length > 1) throw new Error('An other sensor image id goes with one scene: upload one file.');
    if (!UUID.test(other)) throw new Error(`Other sensor image id must be an image_id (a UUID), got '${other}'.`);
    fields.push(['other_sensor_image_id', other.toLowerCase()]);
  }
  return fields;
}

function number(id, label, min, max) {
  const el = $(id);
  const text = el.value.trim();
  // A number input holds '' both when empty and when what was typed is not a number.
  if (!text) {
    if (el.validity && el.validity.badInput) throw new Error(`${label} is not a number.`);
    return null;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${label} must be a number between ${min} and ${max}.`);
  }
  return value;
}
