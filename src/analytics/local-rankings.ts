interface Entry {
  rows: unknown;
  filledAt: number;
}

/**
 * The rankings this process answered lately, in its own memory, so that a hot campaign
 * costs no Redis round trip. Trustworthy only while the process hears every invalidation:
 * its owner calls `pause()` when the subscription drops (which empties it) and `resume()`
 * once subscribed again. A reader takes a `ticket()` before it reads Redis or the database;
 * its fill is refused if any invalidation arrived since, as what it read may predate it.
 * Entries also age out, a bound on staleness should a message ever be missed.
 */
export class LocalRankings {
  /** By campaign, least recently used first (a Map keeps insertion order). */
  private readonly campaigns = new Map<string, Map<string, Entry>>();
  private live = false;
  private invalidations = 0;

  constructor(
    private readonly maxCampaigns: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
    /** Queries kept per campaign: slices multiply them (each minViews, dates… its own), and memory must stay bounded. */
    private readonly maxQueries = 64,
  ) {}

  /** `query`: what was asked of the campaign (a limit, or a slice's parameters). */
  get(campaignId: string, query: string | number): unknown {
    if (!this.live) return undefined;
    const byLimit = this.campaigns.get(campaignId);
    const entry = byLimit?.get(String(query));
    if (!byLimit || !entry) return undefined;
    if (this.now() - entry.filledAt > this.maxAgeMs) {
      byLimit.delete(String(query));
      return undefined;
    }
    this.campaigns.delete(campaignId);
    this.campaigns.set(campaignId, byLimit);
    return entry.rows;
  }

  ticket(): number {
    return this.invalidations;
  }

  fill(ticket: number, campaignId: string, query: string | number, rows: unknown): void {
    if (!this.live || ticket !== this.invalidations) return;
    let byLimit = this.campaigns.get(campaignId);
    if (!byLimit) {
      byLimit = new Map();
      this.campaigns.set(campaignId, byLimit);
      if (this.campaigns.size > this.maxCampaigns) this.campaigns.delete(this.campaigns.keys().next().value as string);
    }
    byLimit.delete(String(query));
    byLimit.set(String(query), { rows, filledAt: this.now() });
    // The oldest fill goes first (a Map keeps insertion order).
    if (byLimit.size > this.maxQueries) byLimit.delete(byLimit.keys().next().value as string);
  }

  invalidate(campaignIds: Iterable<string>): void {
    this.invalidations++;
    for (const c of campaignIds) this.campaigns.delete(c);
  }

  pause(): void {
    this.live = false;
    this.invalidations++;
    this.campaigns.clear();
  }

  resume(): void {
    this.invalidations++;
    this.campaigns.clear();
    this.live = true;
  }
}
