/** The columns of CSV contract v1. */
const REQUIRED_COLUMNS = ['campaignId', 'influencerId', 'likes', 'comments', 'shares', 'views'] as const;
const OPTIONAL_COLUMNS = ['postId', 'platform', 'postedAt'] as const;
export type ColumnName = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

const ALL_COLUMNS: readonly ColumnName[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** `campaignId`, `campaign_id`, ` CampaignID ` all fold to `campaignid`. */
function foldHeaderName(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/[_\s-]+/g, '')
    .toLowerCase();
}

const BY_FOLDED = new Map(ALL_COLUMNS.map((c) => [c.toLowerCase(), c]));

export interface HeaderLayout {
  /** Column name → field index in each row. */
  index: Partial<Record<ColumnName, number>>;
  /** Number of fields every data row must have. */
  width: number;
}

type HeaderCheck = { ok: true; layout: HeaderLayout } | { ok: false; missing: ColumnName[]; duplicated: ColumnName[] };

export function checkHeader(fields: string[]): HeaderCheck {
  const index: Partial<Record<ColumnName, number>> = {};
  const duplicated: ColumnName[] = [];
  fields.forEach((raw, i) => {
    const name = BY_FOLDED.get(foldHeaderName(raw));
    if (!name) return; // other columns are ignored
    if (index[name] !== undefined) duplicated.push(name);
    else index[name] = i;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length > 0 || duplicated.length > 0) return { ok: false, missing, duplicated };
  return { ok: true, layout: { index, width: fields.length } };
}
