import { api, explain } from './api.js';

const $ = (id) => document.getElementById(id);

function fill(brief) {
  for (const el of $('brief-result').querySelectorAll('[data-field]')) {
    const value = brief[el.dataset.field];
    if (Array.isArray(value)) {
      el.replaceChildren(
        ...value.map((v) => {
          const li = document.createElement('li');
          li.textContent = v;
          return li;
        }),
      );
    } else el.textContent = value ?? '';
  }
}

function copyText(brief, field) {
  const v = brief[field];
  if (field === 'hashtags') return v.join(' ');
  return Array.isArray(v) ? v.join('\n') : v;
}

export function initBrief() {
  let brief = null;
  const form = $('brief-form');

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = Object.fromEntries(new FormData(form));
    const button = $('brief-submit');
    button.disabled = true;
    $('brief-error').hidden = true;
    $('brief-status').textContent = 'Writing the brief… this can take a few seconds.';
    $('brief-result').setAttribute('aria-busy', 'true');
    try {
      const res = await api('/generate_brief', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(await explain(res));
      brief = await res.json();
      fill(brief);
      const cached = res.headers.get('X-Cache') === 'HIT';
      const cache = $('brief-cache');
      cache.textContent = cached ? 'From cache' : 'Freshly written';
      cache.dataset.cache = cached ? 'HIT' : 'MISS';
      cache.title = `X-Cache: ${res.headers.get('X-Cache') ?? 'none'}`;
      $('brief-model').textContent =
        brief.meta?.model === 'offline' ? 'Written offline (no AI model configured)' : `Model: ${brief.meta?.model ?? 'unknown'}`;
      $('brief-result').hidden = false;
      $('brief-status').textContent = cached ? 'Done (served from the cache).' : 'Done.';
    } catch (err) {
      $('brief-status').textContent = '';
      $('brief-error').textContent = err.message;
      $('brief-error').hidden = false;
    } finally {
      button.disabled = false;
      $('brief-result').setAttribute('aria-busy', 'false');
    }
  });

  for (const button of document.querySelectorAll('#brief-result button.copy')) {
    button.addEventListener('click', async () => {
      if (!brief) return;
      try {
        await navigator.clipboard.writeText(copyText(brief, button.dataset.copy));
        $('brief-copied').textContent = `${button.textContent.replace(/^Copy /, '')} copied to the clipboard.`.replace(/^./, (c) =>
          c.toUpperCase(),
        );
      } catch {
        $('brief-copied').textContent = 'The browser did not allow copying; select the text instead.';
      }
    });
  }
}
