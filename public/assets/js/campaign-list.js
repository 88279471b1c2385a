import { api, json } from './api.js';
import { countOf, formatCount } from './format.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 20;
/** GET /campaigns has no search: searching reads up to this many campaigns and filters them here. */
const SEARCH_CAP = 10_000;
const natural = new Intl.Collator('en', { numeric: true });
/**
 * GET /campaigns' order (digits as numbers, campaign_2 before campaign_10; ids equal as
 * numbers, c02 and c2, by code point), kept here too so search hits read the same whatever
 * order the pages arrived in.
 */
const byCampaignId = (a, b) =>
  natural.compare(a.campaignId, b.campaignId) || (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0);

async function fetchPage(page, pageSize) {
  return json(await api(`/campaigns?page=${page}&pageSize=${pageSize}`));
}

async function fetchAll() {
  const items = [];
  for (let page = 1; items.length < SEARCH_CAP; page++) {
    const res = await fetchPage(page, 500);
    items.push(...res.items);
    if (res.items.length < 500 || items.length >= res.total) return { items: items.sort(byCampaignId), complete: true };
  }
  return { items: items.sort(byCampaignId), complete: false };
}

/** The paged, searchable list; calls onChoose(campaignId) when one is picked. */
export function initCampaignList({ onChoose }) {
  let page = 1;
  let query = '';
  let everything = null; // every campaign, loaded on the first search
  let selected = '';

  function render(items, total, note) {
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    $('campaign-items').replaceChildren(
      ...items.map((c) => {
        const li = document.createElement('li');
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.campaign = c.campaignId;
        b.setAttribute('aria-pressed', String(c.campaignId === selected));
        const name = document.createElement('span');
        name.className = 'name';
        name.textContent = c.campaignId;
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = `${countOf(c.influencers, 'creator')} · ${countOf(c.rows, 'post')}`;
        b.append(name, meta);
        b.addEventListener('click', () => onChoose(c.campaignId));
        li.append(b);
        return li;
      }),
    );
    $('campaign-page').textContent = `Page ${page} of ${pages}`;
    $('campaign-prev').disabled = page <= 1;
    $('campaign-next').disabled = page >= pages;
    $('campaign-list-status').textContent =
      note ??
      (total === 0 ? (query ? `No campaign matches “${query}”.` : 'No campaigns yet: upload a CSV above.') : countOf(total, 'campaign'));
  }

  async function load() {
    try {
      if (!query) {
        const res = await fetchPage(page, PAGE_SIZE);
        return render(res.items, res.total);
      }
      everything ??= await fetchAll();
      const q = query.toLowerCase();
      const hits = everything.items.filter((c) => c.campaignId.toLowerCase().includes(q));
      const note = everything.complete ? undefined : `Searched the first ${formatCount(SEARCH_CAP)} campaigns only.`;
      render(hits.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), hits.length, note);
    } catch (err) {
      $('campaign-list-status').textContent = err.message;
    }
  }

  let typing;
  $('campaign-q').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      query = e.target.value.trim();
      page = 1;
      load();
    }, 200);
  });
  // Enter opens the campaign by its exact id, listed or not (an unknown one says so).
  $('campaign-search').addEventListener('submit', (e) => {
    e.preventDefault();
    const id = $('campaign-q').value.trim();
    if (id) onChoose(id);
  });
  $('campaign-prev').addEventListener('click', () => {
    page--;
    load();
  });
  $('campaign-next').addEventListener('click', () => {
    page++;
    load();
  });

  return {
    reload() {
      everything = null;
      return load();
    },
    select(id) {
      selected = id;
      for (const b of $('campaign-items').querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.campaign === id));
    },
  };
}
