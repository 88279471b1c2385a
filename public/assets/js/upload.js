import { api, ApiError, explainStatus, json, withKey } from './api.js';
import { countOf, formatCount } from './format.js';
import { askForKey, keyProblem } from './api-key.js';
import { readEventStream } from './event-stream.js';

const $ = (id) => document.getElementById(id);
const finished = (status) => status === 'completed' || status === 'failed';

function setBar(name, fraction) {
  $(`upload-${name}`).value = fraction;
  $(`upload-${name}-pct`).textContent = `${Math.round(fraction * 100)}%`;
}

function showError(message) {
  $('upload-error').textContent = message;
  $('upload-error').hidden = false;
}

/** POST /ingest through XMLHttpRequest: fetch() cannot report upload progress. */
function send(file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/ingest');
    withKey().forEach((v, k) => xhr.setRequestHeader(k, v));
    xhr.upload.addEventListener('progress', (e) => e.lengthComputable && setBar('read', e.loaded / e.total));
    xhr.addEventListener('load', () => resolve(xhr));
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'The upload was cut off: the server closed the connection or cannot be reached.')),
    );
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

async function upload(file) {
  for (;;) {
    const xhr = await send(file);
    const problem = keyProblem(xhr.status);
    if (problem) {
      if (await askForKey(problem)) continue;
      throw new ApiError(xhr.status, 'An API key is needed to upload.');
    }
    let body = null;
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      /* not JSON: the status says enough */
    }
    if (xhr.status === 202) return body;
    const said = body?.message === undefined ? '' : [].concat(body.message).join('; ');
    throw new ApiError(xhr.status, explainStatus(xhr.status, said, xhr.getResponseHeader('Retry-After')));
  }
}

function showProgress(p) {
  setBar('write', p.progress);
  const state =
    { queued: 'Waiting for a worker…', processing: 'Writing…', completed: 'Finished:', failed: 'Failed:' }[p.status] ?? p.status;
  // A row dropped because a newer version of its key was already stored is done too.
  const superseded = p.rowsSuperseded ? ` (${formatCount(p.rowsSuperseded)} more superseded by newer versions)` : '';
  $('upload-status').textContent =
    `${state} ${formatCount(p.rowsWritten)} of ${formatCount(p.rowsAccepted)} accepted rows written${superseded}.`;
}

/** Follows the job's event stream to its end; reconnects when the stream drops early. */
async function watch(jobId) {
  let last = null;
  for (let attempt = 0; attempt < 20 && !(last && finished(last.status)); attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
    try {
      const res = await api(`/ingest/${jobId}/events`, { headers: { Accept: 'text/event-stream' } });
      if (!res.ok) await json(res);
      await readEventStream(res, (e) => {
        if (e.type !== 'progress') return;
        last = JSON.parse(e.data);
        showProgress(last);
      });
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) throw err;
    }
  }
  if (!last || !finished(last.status)) throw new ApiError(0, 'Lost track of the upload. Its status is still at /ingest/' + jobId);
}

function showResult(job) {
  $('count-accepted').textContent = formatCount(job.rowsAccepted);
  $('count-rejected').textContent = formatCount(job.rowsRejected);
  $('count-duplicate').textContent = formatCount(job.rowsDuplicate);
  $('count-total').textContent = formatCount(job.rowsTotal);
  const tbody = $('rejected-table').querySelector('tbody');
  tbody.replaceChildren(
    ...job.errors.map((e) => {
      const tr = document.createElement('tr');
      for (const v of [e.line, e.column ?? '(whole row)', e.reason]) tr.insertCell().textContent = String(v);
      return tr;
    }),
  );
  $('rejected-caption').textContent =
    job.rowsRejected > job.errors.length ? `First ${job.errors.length} of ${countOf(job.rowsRejected, 'rejected row')}` : 'Rejected rows';
  const link = $('rejected-download');
  link.href = job.errorsUrl;
  link.dataset.jobId = job.jobId;
  link.textContent = `Download all ${countOf(job.rowsRejected, 'rejected row')} (CSV)`;
  $('rejected').hidden = job.rowsRejected === 0;
  $('upload-result').hidden = false;
  if (job.status === 'failed') showError(`The upload failed: ${job.failureReason ?? 'no reason given'}.`);
}

/** The errors endpoint picks CSV by the Accept header, which a plain link cannot send (nor the key). */
async function downloadErrors(event) {
  event.preventDefault();
  const jobId = event.currentTarget.dataset.jobId;
  try {
    const res = await api(`/ingest/${jobId}/errors`, { headers: { Accept: 'text/csv' } });
    if (!res.ok) await json(res);
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: `ingest-${jobId}-errors.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    showError(err.message);
  }
}

export function initUpload({ onIngested }) {
  const form = $('upload-form');
  const input = $('upload-file');
  const zone = $('dropzone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer?.files.length) input.files = e.dataTransfer.files;
  });
  $('rejected-download').addEventListener('click', downloadErrors);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    if (!file) return;
    const button = $('upload-submit');
    button.disabled = true;
    $('upload-error').hidden = true;
    $('upload-result').hidden = true;
    $('upload-progress').hidden = false;
    setBar('read', 0);
    setBar('write', 0);
    $('upload-status').textContent = `Sending ${file.name}…`;
    const fail = (message) => {
      $('upload-progress').hidden = true;
      showError(message);
    };
    try {
      let jobId;
      try {
        ({ jobId } = await upload(file));
      } catch (err) {
        return fail(`The file was refused. ${err.message}`);
      }
      setBar('read', 1); // the server answers once it has read the whole file
      await watch(jobId);
      const job = await json(await api(`/ingest/${jobId}`));
      showProgress(job);
      showResult(job);
      $('upload-status').textContent = `Done: ${file.name}.`;
      onIngested();
    } catch (err) {
      fail(err.message);
    } finally {
      button.disabled = false;
    }
  });
}
