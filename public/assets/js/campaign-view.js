import { api, ApiError, json } from './api.js';
import { formatCount, formatRate } from './format.js';
import { drawPerformers } from './performers-chart.js';
import { drawPlatforms, drawSeries } from './report-charts.js';
import { DEFAULT_FILTERS, sliceParams, stateUrl, writeState } from './url-state.js';

const $ = (id) => document.getElementById(id);
const platformNames = (report) =>
  report.byPlatform
    .map((p) => p.platform)
    .filter((p) => p !== null)
    .sort();

/** `k`: creators with fewer views than the prior's are marked as a small sample. */
function row(p, k) {
  const tr = document.createElement('tr');
  tr.dataset.influencer = p.influencerId;
  const cells = [
    p.rank,
    p.influencerId,
    formatRate(p.engagementRate),
    formatRate(p.adjustedRate),
    ...[p.likes, p.comments, p.shares, p.views, p.posts].map(formatCount),
  ];
  for (const v of cells) tr.insertCell().textContent = String(v);
  if (k !== undefined && p.views < k) {
    const badge = document.createElement('span');
    badge.className = 'badge small-sample';
    badge.textContent = 'small sample';
    badge.title = `Fewer than ${formatCount(k)} views: the adjusted rate leans on the slice's rate`;
    tr.cells[1].append(badge);
  }
  return tr;
}

function postRow(p) {
  const tr = document.createElement('tr');
  const cells = [
    p.influencerId,
    p.postId ?? '—',
    p.platform ?? '—',
    p.postedAt ? p.postedAt.slice(0, 10) : '—',
    formatRate(p.engagementRate),
    formatCount(p.views),
  ];
  for (const v of cells) tr.insertCell().textContent = String(v);
  return tr;
}

function kpis(report) {
  const t = report.totals;
  const items = [
    ['Creators', formatCount(t.creators)],
    ['Posts', formatCount(t.posts)],
    ['Views', formatCount(t.views)],
    ['Engagements', formatCount(t.likes + t.comments + t.shares)],
    ['Engagement rate', t.engagementRate === null ? '—' : formatRate(t.engagementRate)],
  ];
  return items.map(([name, value]) => {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = name;
    dd.textContent = value;
    div.dataset.kpi = name;
    div.append(dt, dd);
    return div;
  });
}

/** What the view shows, for whoever waits on it (tests): `campaign|limit`, then the non-default filters as a query. */
function loadedKey(s) {
  const filters = sliceParams(s, Object.keys(DEFAULT_FILTERS)).toString();
  return `${s.campaign}|${s.limit}${filters ? `|${filters}` : ''}`;
}

/** One campaign: filters, report (KPI cards, platform split, trend), top performers, top posts, CSV download. */
export function initCampaignView() {
  let current = { campaign: '', limit: 10, ...DEFAULT_FILTERS };
  /**
   * The campaign's own platforms, for the menu. An unfiltered report lists them all (the
   * usual way in: no extra request); a view opened filtered asks the unfiltered report once.
   */
  let platformsOf = { campaign: null, platforms: [] };
  // minViews trims the lists only: the platform split is still the whole slice's.
  const unfiltered = (s) => !s.platform && !s.from && !s.to;

  async function knownPlatforms(state, report) {
    if (report && unfiltered(state)) platformsOf = { campaign: state.campaign, platforms: platformNames(report) };
    else if (platformsOf.campaign !== state.campaign) {
      const res = await api(`/campaigns/${encodeURIComponent(state.campaign)}/report?interval=month`);
      platformsOf = { campaign: state.campaign, platforms: res.ok ? platformNames(await res.json()) : [] };
    }
    return platformsOf.platforms;
  }

  function platformMenu(platforms, selected) {
    const menu = $('filter-platform');
    const names = [...platforms];
    // A shared link may name a platform the campaign does not have (any more): keep it listed.
    if (selected && !names.includes(selected)) names.push(selected);
    menu.replaceChildren(new Option('All platforms', ''), ...names.map((p) => new Option(p, p)));
    menu.value = selected;
  }

  function showFilters(state) {
    $('filter-from').value = state.from;
    $('filter-to').value = state.to;
    $('filter-min-views').value = String(state.minViews);
    $('filter-rank-by').value = state.rankBy;
    $('report-interval').value = state.interval;
    const csv = sliceParams(state);
    $('campaign-csv').href = `/campaigns/${encodeURIComponent(state.campaign)}/creators.csv${csv.size ? `?${csv}` : ''}`;
  }

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
    showFilters(state);
    const view = $('campaign-view');
    view.setAttribute('aria-busy', 'true');
    try {
      const q = sliceParams(state);
      q.set('campaignId', state.campaign);
      q.set('limit', String(state.limit));
      const r = sliceParams(state, ['platform', 'from', 'to', 'minViews', 'interval']);
      const [performers, report] = await Promise.all([
        api(`/top-performers?${q}`).then(json),
        api(`/campaigns/${encodeURIComponent(state.campaign)}/report?${r}`)
          .then(json)
          .catch((err) => (err instanceof ApiError && err.status === 404 ? null : Promise.reject(err))),
      ]);
      const platforms = await knownPlatforms(state, report);
      if (current !== state) return; // a newer choice is already on its way
      platformMenu(platforms, state.platform);
      const empty = performers.length === 0;
      const sliced = ['platform', 'from', 'to', 'minViews'].some((k) => state[k] !== DEFAULT_FILTERS[k]);
      if (empty)
        showError(
          report && sliced
            ? 'No creator in this slice: widen the filters.'
            : `No data for campaign “${state.campaign}”. Check the id, or upload its CSV first.`,
        );
      $('report').hidden = !report || report.totals.posts === 0;
      if (report && report.totals.posts > 0) {
        $('report-kpis').replaceChildren(...kpis(report));
        drawPlatforms($('platform-chart'), report.byPlatform);
        drawSeries($('series-chart'), report.series);
      }
      $('campaign-chart-box').hidden = empty;
      $('performers-table').closest('.table-wrap').hidden = empty;
      $('performers-table')
        .querySelector('tbody')
        .replaceChildren(...performers.map((p) => row(p, report?.prior.views)));
      $('posts-wrap').hidden = !report || report.topPosts.length === 0;
      $('posts-table')
        .querySelector('tbody')
        .replaceChildren(...(report?.topPosts ?? []).map(postRow));
      if (!empty) drawPerformers($('campaign-chart'), $('campaign-chart-box'), performers, state.rankBy);
    } catch (err) {
      showError(err.message);
    } finally {
      view.setAttribute('aria-busy', 'false');
      view.dataset.loaded = loadedKey(state);
    }
  }

  function showError(message) {
    $('campaign-error').textContent = message;
    $('campaign-error').hidden = false;
    $('campaign-chart-box').hidden = true;
    $('performers-table').closest('.table-wrap').hidden = true;
  }

  $('campaign-limit').addEventListener('change', (e) => show({ ...current, limit: Number(e.target.value) }));
  $('report-interval').addEventListener('change', (e) => show({ ...current, interval: e.target.value }));
  $('campaign-filters').addEventListener('change', () => {
    const minViews = Number($('filter-min-views').value);
    show({
      ...current,
      platform: $('filter-platform').value,
      from: $('filter-from').value,
      to: $('filter-to').value,
      minViews: Number.isSafeInteger(minViews) && minViews > 0 ? minViews : 0,
      rankBy: $('filter-rank-by').value,
    });
  });
  $('campaign-filters').addEventListener('submit', (e) => e.preventDefault());
  return { show, current: () => current };
}
