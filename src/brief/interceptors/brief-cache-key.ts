import { createHash } from 'node:crypto';

/** Trimmed, inner spaces collapsed, case-folded. */
function normalizeField(v: unknown): string {
  // The DTO is validated before the key is made, so the fields are strings; `?? ''` only covers a missing one.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects never reach here
  return String(v ?? '')
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/**
 * sha256 of the normalised request plus model and prompt version. Field order is
 * irrelevant: the fields are serialised in a fixed order. With a campaignId, the campaign
 * (exact: ids are case-sensitive) and its data version join the key, so an upload that
 * changes the campaign's rows leads to a new brief; without one the key is what it was.
 */
export function briefCacheKey(body: Record<string, unknown>, model: string, promptVersion: string, campaignDataVersion?: string): string {
  const canonical = JSON.stringify([
    normalizeField(body.brand),
    normalizeField(body.product),
    normalizeField(body.goal),
    normalizeField(body.platform),
    model,
    promptVersion,
    ...(body.campaignId === undefined ? [] : [body.campaignId, campaignDataVersion ?? '']),
  ]);
  // No `brief:` here: the cache manager's namespace adds it (BriefModule).
  return createHash('sha256').update(canonical).digest('hex');
}
