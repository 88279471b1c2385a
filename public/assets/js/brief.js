import { api, explain, json } from './api.js';
import { countOf, formatCount, formatRate } from './format.js';
import { DEFAULT_FILTERS, stateUrl } from './url-state.js';

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

/** The campaign view's address for the ranking the creators came from: their platform (unless all were read), by adjusted rate. */
function rankingUrl(insights) {
  const platform = insights.scope === 'platform' ? insights.platform : '';
  return stateUrl({ ...DEFAULT_FILTERS, campaign: insights.campaignId, limit: 10, platform, rankBy: 'adjusted' });
}

/** The campaign's results the brief used: its benchmark, and the recommended creators linking to its view. */
function fillInsights(insights) {
  const section = $('brief-insights');
  section.hidden = !insights;
  if (!insights) return;
  const where =
    insights.scope === 'platform' ? `on ${insights.platform}` : `on all its platforms (none of its posts are on ${insights.platform})`;
  const { engagementRate, creators, posts } = insights.benchmark;
  $('brief-insights-summary').textContent =
    `Campaign ${insights.campaignId} ${where}: ${engagementRate === null ? 'no views yet' : `${formatRate(engagementRate)} engagement`} ` +
    `over ${countOf(posts, 'post')} by ${countOf(creators, 'creator')}. Recommended creators (by adjusted rate):`;
  const href = rankingUrl(insights);
  $('brief-creators').replaceChildren(
    ...insights.recommendedCreators.map((c) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = href;
      a.textContent = c.influencerId;
      a.title = `See ${c.influencerId} in the campaign's ranking`;
      const meta = document.createElement('span');
      meta.className = 'meta';
      meta.textContent = ` ${formatRate(c.adjustedRate)} adjusted · ${formatRate(c.engagementRate)} raw · ${formatCount(c.views)} views · ${countOf(c.posts, 'post')}`;
      li.append(a, meta);
      return li;
    }),
  );
}

/** The campaign picker's suggestions: the first 500 campaigns by id (any other id can be typed). */
async function loadCampaignOptions() {
  try {
    const page = await json(await api('/campaigns?page=1&pageSize=500'));
    $('brief-campaign-options').replaceChildren(
      ...page.items.map((c) => {
        const o = document.createElement('option');
        o.value = c.campaignId;
        o.label = `${countOf(c.influencers, 'creator')} · ${countOf(c.rows, 'post')}`;
        return o;
      }),
    );
  } catch {
    // Without suggestions the field still takes a typed id.
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
    // Optional: an empty picker sends no campaignId at all (the API refuses an empty one).
    body.campaignId = body.campaignId?.trim();
    if (!body.campaignId) delete body.campaignId;
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
      fillInsights(brief.insights);
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

  // Suggestions are read when the picker is first used, not with the page: most briefs name no campaign.
  let suggested = false;
  $('brief-campaign').addEventListener('focus', () => {
    if (suggested) return;
    suggested = true;
    loadCampaignOptions();
  });
  // After an upload: read again on the next use.
  return { reloadCampaigns: () => (suggested = false) };
}
