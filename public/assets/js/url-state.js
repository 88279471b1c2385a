// The campaign view lives in the query string, so the address bar is a link to share.
export function readState() {
  const q = new URLSearchParams(location.search);
  const limit = Number(q.get('limit'));
  return { campaign: q.get('campaign') ?? '', limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 10 };
}

export function stateUrl({ campaign, limit }) {
  const q = new URLSearchParams();
  if (campaign) q.set('campaign', campaign);
  if (campaign && limit !== 10) q.set('limit', String(limit));
  const search = q.toString();
  return `${location.pathname}${search ? `?${search}` : ''}#campaigns`;
}

export function writeState(state) {
  history.replaceState(null, '', stateUrl(state));
}
