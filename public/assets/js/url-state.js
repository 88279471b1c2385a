// The campaign view lives in the query string, so the address bar is a link to share.
const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const DEFAULT_FILTERS = { platform: '', from: '', to: '', minViews: 0, rankBy: 'rate', interval: 'day' };

export function readState() {
  const q = new URLSearchParams(location.search);
  const limit = Number(q.get('limit'));
  const minViews = Number(q.get('minViews'));
  const pick = (name, allowed) => (allowed.includes(q.get(name)) ? q.get(name) : DEFAULT_FILTERS[name]);
  return {
    campaign: q.get('campaign') ?? '',
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 10,
    platform: q.get('platform') ?? '',
    from: DAY.test(q.get('from') ?? '') ? q.get('from') : '',
    to: DAY.test(q.get('to') ?? '') ? q.get('to') : '',
    minViews: Number.isSafeInteger(minViews) && minViews > 0 ? minViews : 0,
    rankBy: pick('rankBy', ['rate', 'adjusted']),
    interval: pick('interval', ['day', 'week', 'month']),
  };
}

/** The slice's query parameters as the API takes them (defaults left out). */
export function sliceParams(state, keys = ['platform', 'from', 'to', 'minViews', 'rankBy']) {
  const q = new URLSearchParams();
  for (const k of keys) if (state[k] !== undefined && state[k] !== DEFAULT_FILTERS[k]) q.set(k, String(state[k]));
  return q;
}

export function stateUrl(state) {
  const q = new URLSearchParams();
  if (state.campaign) {
    q.set('campaign', state.campaign);
    if (state.limit !== 10) q.set('limit', String(state.limit));
    for (const [k, v] of sliceParams(state, Object.keys(DEFAULT_FILTERS))) q.set(k, v);
  }
  const search = q.toString();
  return `${location.pathname}${search ? `?${search}` : ''}#campaigns`;
}

export function writeState(state) {
  history.replaceState(null, '', stateUrl(state));
}
