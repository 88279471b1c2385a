import fc from 'fast-check';
import { checkHeader, HeaderLayout } from './csv-header';
import { validateRow } from './row-validator';

const header = ['campaignId', 'influencerId', 'postId', 'likes', 'comments', 'shares', 'views'];
const check = checkHeader(header);
if (!check.ok) throw new Error('bad header');
const layout: HeaderLayout = check.layout;
const COUNTS = ['likes', 'comments', 'shares', 'views'] as const;
const MAX = Number.MAX_SAFE_INTEGER;

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
const count = fc.integer({ min: 0, max: MAX });

describe('validateRow (properties)', () => {
  it('accepts every row of plain ids and integers in range, and keeps the values exactly', () => {
    fc.assert(
      fc.property(id, id, id, count, count, count, fc.integer({ min: 1, max: MAX }), (c, i, p, l, co, s, v) => {
        const r = validateRow([c, i, p, String(l), String(co), String(s), String(v)], layout, 2);
        expect(r.ok).toBe(true);
        if (r.ok) expect([r.row.campaignId, r.row.likes, r.row.comments, r.row.shares, r.row.views]).toEqual([c, l, co, s, v]);
      }),
    );
  });

  it('rejects a count that is not plain digits in range, naming its column, and never throws', () => {
    const notACount = fc.oneof(
      fc.string().filter((t) => !/^\s*\d+\s*$/.test(t) && t.trim() !== ''),
      fc.bigInt({ min: BigInt(MAX) + 1n, max: 10n ** 30n }).map(String),
      fc.integer({ min: -MAX, max: -1 }).map(String),
      fc.double({ noInteger: true, noNaN: true }).map(String),
    );
    fc.assert(
      fc.property(fc.constantFrom(...COUNTS), notACount, (column, value) => {
        const fields = ['c', 'i', 'p', '1', '1', '1', '10'];
        fields[header.indexOf(column)] = value;
        const r = validateRow(fields, layout, 9);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.errors[0]).toMatchObject({ line: 9, column });
          expect(r.errors[0].reason.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('never throws on arbitrary fields, whatever their number', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 12 }), (fields) => {
        const r = validateRow(fields, layout, 3);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
    );
  });

  it('keeps every valid postedAt as its exact UTC instant, in every form it may be written', () => {
    const withDate = checkHeader([...header, 'postedAt']);
    if (!withDate.ok) throw new Error('bad header');
    const instant = fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-30T00:00:00Z'), noInvalidDate: true });
    const form = fc.constantFrom('Z', 'ms', 'offset', 'no-zone');
    fc.assert(
      fc.property(instant, form, (d, f) => {
        const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
        const written = f === 'Z' ? `${iso.slice(0, 19)}Z` : f === 'ms' ? iso : f === 'no-zone' ? iso.slice(0, 19) : shift(d, 150);
        const expected = f === 'ms' || f === 'offset' ? iso : `${iso.slice(0, 19)}.000Z`;
        const r = validateRow(['c', 'i', 'p', '1', '1', '1', '10', written], withDate.layout, 2);
        expect(r.ok && r.row.postedAt).toBe(expected);
      }),
    );
  });
});

/** The same instant written in local time at +hh:mm `minutes` east of UTC. */
function shift(d: Date, minutes: number): string {
  const local = new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, 23);
  return `${local}+${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
