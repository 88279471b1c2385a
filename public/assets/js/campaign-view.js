import { api, json } from './api.js';
import { formatCount, formatRate } from './format.js';
import { drawPerformers } from './performers-chart.js';
import { stateUrl, writeState } from './url-state.js';

const $ = (id) => document.getElementById(id);

function row(p) {
  const tr = document.createElement('tr');
  tr.dataset.influencer = p.influencerId;
  const cells = [
    p.rank,
    p.influencerId,
    formatRate(p.engagementRate),
    ...[p.likes, p.comments, p.shares, p.views, p.posts].map(formatCount),
  ];
  for (const v of cells) tr.insertCell().textContent = String(v);
  return tr;
}

/** One campaign's top performers: chart, table, limit selector and a link to this view. */
export function initCampaignView() {
  let current = { campaign: '', limit: 10 };

  async function show(state) {
    current = state;
    writeState(state);
    $('campaign-none').hidden = true;
    $('campaign-view').hidden = false;
    $('campaign-name').textContent = state.campaign;
    const limit = $('campaign-limit');
    // A shared link may carry a limit the menu does not list.
    if (![...limit.options].some((o) => o.value === String(state.limit))) limit.add(new Option(String(state.limit)));
    limit.value = String(state.limit);
    $('campaign-link').href = stateUrl(state);
    $('campaign-error').hidden = true;
    const view = $('campaign-view');
    view.setAttribute('aria-busy', 'true');
    try {
      const q = new URLSearchParams({ campaignId: state.campaign, limit: String(state.limit) });
      const performers = await json(await api(`/top-performers?${q}`));
      if (current !== state) return; // a newer choice is already on its way
      const empty = performers.length === 0;
      if (empty) showError(`No data for campaign “${state.campaign}”. Check the id, or upload its CSV first.`);
      $('campaign-chart-box').hidden = empty;
      $('performers-table').closest('.table-wrap').hidden = empty;
      $('performers-table')
        .querySelector('tbody')
        .replaceChildren(...performers.map(row));
      if (!empty) drawPerformers($('campaign-chart'), $('campaign-chart-box'), performers);
    } catch (err) {
      showError(err.message);
    } finally {
      view.setAttribute('aria-busy', 'false');
      view.dataset.loaded = `${state.campaign}|${state.limit}`;
    }
  }

  function showError(message) {
    $('campaign-error').textContent = message;
    $('campaign-error').hidden = false;
    $('campaign-chart-box').hidden = true;
    $('performers-table').closest('.table-wrap').hidden = true;
  }

  $('campaign-limit').addEventListener('change', (e) => show({ ...current, limit: Number(e.target.value) }));
  return { show, current: () => current };
}
