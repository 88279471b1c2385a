import { hash } from 'node:crypto';
import { ColumnName, HeaderLayout } from './csv-header';
import { parseRecordFields } from './csv-records';

export interface RowError {
  line: number;
  /** The column at fault, or null when the row as a whole is (wrong number of fields). */
  column: string | null;
  reason: string;
}

/** A row that passed every rule, normalised. */
export interface EngagementRow {
  line: number;
  /** Identity of the row (contract "Identity and re-uploads"). */
  key: string;
  campaignId: string;
  influencerId: string;
  postId?: string;
  platform?: string;
  postedAt?: string;
  likes: number;
  comments: number;
  shares: number;
  views: number;
}

type RowResult = { ok: true; row: EngagementRow } | { ok: false; errors: RowError[] };

const MAX_ID_LENGTH = 200;
const CONTROL_CHARS = /\p{Cc}/u; // U+0000-U+001F and U+007F-U+009F
const DIGITS = /^\s*(\d+)\s*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for a blank physical line (fast-csv yields it as one empty field). */
export function isBlankRecord(fields: string[]): boolean {
  return fields.length === 0 || (fields.length === 1 && fields[0].trim() === '');
}

function describe(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(shown);
}

/** True when `s` is printable ASCII without blanks: nothing to trim, no control character, no U+FFFD. */
function isPlainAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

function checkId(value: string, column: string, required: boolean): { value?: string; reason?: string } {
  // Most ids of an export: skip the regex and the copies of trim().
  if (value.length > 0 && value.length <= MAX_ID_LENGTH && isPlainAscii(value)) return { value };
  if (value.includes('\uFFFD')) return { reason: `${column} contains bytes that are not valid UTF-8` };
  const v = value.trim();
  if (v === '') return required ? { reason: `${column} is empty` } : {};
  if (v.length > MAX_ID_LENGTH) return { reason: `${column} is longer than ${MAX_ID_LENGTH} characters (${v.length})` };
  if (CONTROL_CHARS.test(v)) return { reason: `${column} contains control characters` };
  return { value: v };
}

/** The value of 1 to 15 ASCII digits (always a safe integer), else -1. */
function plainDigits(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function checkCount(raw: string, column: string, blankAs: number | null, min: number): { value?: number; reason?: string } {
  // Most counts of an export: no regex, no match array, no string copies.
  const plain = plainDigits(raw);
  if (plain >= min) return { value: plain };
  if (raw.trim() === '') {
    return blankAs === null ? { reason: `${column} is empty; it must be a positive integer` } : { value: blankAs };
  }
  const m = DIGITS.exec(raw);
  if (!m) {
    const kind = min > 0 ? 'a positive integer' : 'a non-negative integer';
    return { reason: `${column} must be ${kind} written as plain digits, got ${describe(raw)}` };
  }
  const digits = m[1].replace(/^0+(?=\d)/, '');
  const n = Number(digits);
  if (digits.length > 16 || !Number.isSafeInteger(n)) {
    return { reason: `${column} is too large (${describe(m[1])}); the maximum is 9007199254740991 (2^53 - 1)` };
  }
  if (n < min) return { reason: `${column} must be at least ${min} (0 views make the engagement rate undefined)` };
  return { value: n };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The 2-digit number at `at`, or -1. */
function twoDigits(s: string, at: number): number {
  const a = s.charCodeAt(at) - 48;
  const b = s.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the usual export form, checked without the regex and Date:
 * its canonical value, or null to take the general path (which also rejects it if bad).
 */
function utcSecondForm(v: string): string | null {
  if (
    v.length !== 20 ||
    v.charCodeAt(19) !== 90 /* Z */ ||
    v[4] !== '-' ||
    v[7] !== '-' ||
    v[10] !== 'T' ||
    v[13] !== ':' ||
    v[16] !== ':'
  ) {
    return null;
  }
  const hi = twoDigits(v, 0);
  const lo = twoDigits(v, 2);
  const month = twoDigits(v, 5);
  const day = twoDigits(v, 8);
  const h = twoDigits(v, 11);
  const mi = twoDigits(v, 14);
  const s = twoDigits(v, 17);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  if (day > daysInMonth(hi * 100 + lo, month)) return null;
  return `${v.slice(0, 19)}.000Z`;
}

function checkDate(raw: string): { value?: string; reason?: string } {
  const fast = utcSecondForm(raw);
  if (fast !== null) return { value: fast };
  const v = raw.trim();
  if (v === '') return {};
  const m = ISO_DATE.exec(v);
  const invalid = () => ({
    reason: `postedAt must be an ISO-8601 date or date-time (e.g. 2024-05-01 or 2024-05-01T12:30:00Z), got ${describe(raw)}`,
  });
  if (!m) return invalid();
  const [, y, mo, d, h, mi, s, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month)) return invalid();
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return invalid();
  // The usual export form (UTC to the second) is already canonical but for milliseconds.
  if (v.length === 20 && zone === 'Z' && v[10] === 'T') return { value: `${v.slice(0, 19)}.000Z` };
  // No offset means UTC, whatever the server's time zone.
  const t = Date.parse(h === undefined ? `${v}T00:00:00Z` : `${v.replace(' ', 'T')}${zone === undefined ? 'Z' : ''}`);
  if (Number.isNaN(t)) return invalid();
  return { value: new Date(t).toISOString() };
}

/** JSON.stringify(s), without its escaping pass for the printable ASCII most ids are. */
function json(s: string | null): string {
  if (s === null) return 'null';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 92) return JSON.stringify(s);
  }
  return `"${s}"`;
}

function digest(parts: string): string {
  // One-shot hash: a createHash() object per row cost more than the digest itself.
  return hash('sha1', parts, 'base64url').slice(0, 24);
}

/**
 * Row identity: (campaignId, influencerId, postId), else a fingerprint of every normalised
 * field. The SHA-1 of the JSON array of those parts, written out by hand (counts are safe
 * integers, so String() is their JSON); the keys of stored rows depend on it never changing.
 */
export function rowKey(r: Omit<EngagementRow, 'key' | 'line'>): string {
  const ids = `${json(r.campaignId)},${json(r.influencerId)}`;
  return r.postId !== undefined
    ? `p${digest(`[${ids},${json(r.postId)}]`)}`
    : `f${digest(`[${ids},${r.likes},${r.comments},${r.shares},${r.views},${json(r.platform ?? null)},${json(r.postedAt ?? null)}]`)}`;
}

/** Applies every rule of CSV contract v1 to one data record. */
export function validateRow(fields: string[], layout: HeaderLayout, line: number): RowResult {
  if (fields.length !== layout.width) {
    return {
      ok: false,
      errors: [{ line, column: null, reason: `expected ${layout.width} fields as in the header, found ${fields.length}` }],
    };
  }
  const errors: RowError[] = [];
  const get = (c: ColumnName) => {
    const i = layout.index[c];
    return i === undefined ? '' : fields[i];
  };
  const fail = (column: string, reason?: string) => {
    if (reason) errors.push({ line, column, reason });
  };

  const campaign = checkId(get('campaignId'), 'campaignId', true);
  fail('campaignId', campaign.reason);
  const influencer = checkId(get('influencerId'), 'influencerId', true);
  fail('influencerId', influencer.reason);
  const post = checkId(get('postId'), 'postId', false);
  fail('postId', post.reason);
  const platform = checkId(get('platform'), 'platform', false);
  fail('platform', platform.reason);
  const likes = checkCount(get('likes'), 'likes', 0, 0);
  fail('likes', likes.reason);
  const comments = checkCount(get('comments'), 'comments', 0, 0);
  fail('comments', comments.reason);
  const shares = checkCount(get('shares'), 'shares', 0, 0);
  fail('shares', shares.reason);
  const views = checkCount(get('views'), 'views', null, 1);
  fail('views', views.reason);
  const postedAt = checkDate(get('postedAt'));
  fail('postedAt', postedAt.reason);

  if (errors.length > 0) return { ok: false, errors };
  // Built once with every property (absent ones undefined): no spread copies, one object shape.
  const row: EngagementRow = {
    line,
    key: '',
    campaignId: campaign.value!,
    influencerId: influencer.value!,
    postId: post.value,
    platform: platform.value?.toLowerCase(),
    postedAt: postedAt.value,
    likes: likes.value!,
    comments: comments.value!,
    shares: shares.value!,
    views: views.value!,
  };
  row.key = rowKey(row);
  return { ok: true, row };
}

type RecordOutcome = { kind: 'blank' } | { kind: 'row'; row: EngagementRow } | { kind: 'rejected'; errors: RowError[] };

/** One data record of the file, from its raw text to an accepted row, a rejection or nothing (blank line). */
export function classifyRecord(record: { line: number; text: string; error?: string }, layout: HeaderLayout): RecordOutcome {
  if (record.error) return { kind: 'rejected', errors: [{ line: record.line, column: null, reason: record.error }] };
  const parsed = parseRecordFields(record.text);
  if (!parsed.ok) return { kind: 'rejected', errors: [{ line: record.line, column: null, reason: parsed.reason }] };
  if (isBlankRecord(parsed.fields)) return { kind: 'blank' };
  const result = validateRow(parsed.fields, layout, record.line);
  return result.ok ? { kind: 'row', row: result.row } : { kind: 'rejected', errors: result.errors };
}
