import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { checkHeader } from './csv-header';
import { readCsvRecords } from './csv-records';
import { rowKey, validateRow } from './row-validator';

const check = checkHeader(['campaignId', 'influencerId', 'postId', 'likes', 'comments', 'shares', 'views', 'postedAt']);
if (!check.ok) throw new Error('bad header');
const layout = check.layout;

/** What the row becomes: its normalised values or the columns at fault (reasons quote the raw text, so differ). */
function outcome(fields: string[]) {
  const r = validateRow(fields, layout, 2);
  return r.ok ? r.row : r.errors.map((e) => e.column);
}

// A leading blank is trimmed away by every rule, but it keeps a value off the fast paths:
// both paths must agree on every value of the shapes the fast paths take.
const pad = (s: string) => ` ${s}`;
const digit = fc.constantFrom(...'0123456789');
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

describe('validateRow fast paths (properties)', () => {
  it('reads YYYY-MM-DDTHH:MM:SSZ exactly as the general date path, valid or not', () => {
    const date = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2))
      .map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(date, (v) => {
        expect(outcome(['c', 'i', 'p', '1', '1', '1', '10', v])).toEqual(outcome(['c', 'i', 'p', '1', '1', '1', '10', pad(v)]));
      }),
      { numRuns: 5000 },
    );
  });

  it('reads digit counts exactly as the general count path, whatever their length', () => {
    const count = fc.oneof(fc.integer({ min: 1, max: 20 }).chain(digits), fc.nat().map(String));
    fc.assert(
      fc.property(count, fc.integer({ min: 3, max: 6 }), (v, column) => {
        const fields = ['c', 'i', 'p', '1', '1', '1', '10', ''];
        const padded = [...fields];
        fields[column] = v;
        padded[column] = pad(v);
        expect(outcome(fields)).toEqual(outcome(padded));
      }),
    );
  });

  it('reads printable-ASCII ids exactly as the general id path, whatever their length', () => {
    const id = fc.string({ unit: fc.integer({ min: 33, max: 126 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 210 });
    fc.assert(
      fc.property(id, fc.integer({ min: 0, max: 2 }), (v, column) => {
        const fields = ['c', 'i', 'p', '1', '1', '1', '10', ''];
        const padded = [...fields];
        fields[column] = v;
        padded[column] = pad(v);
        expect(outcome(fields)).toEqual(outcome(padded));
      }),
    );
  });
});

describe('readCsvRecords line fast path (properties)', () => {
  async function records(pieces: string[]) {
    const out = [];
    for await (const r of readCsvRecords(
      (async function* () {
        yield* pieces;
      })(),
    ))
      out.push(r);
    return out;
  }

  it('splits any text the same whole, cut anywhere, or one character at a time', async () => {
    // Quote-free lines take the indexOf path, the others the state machine: mix them freely.
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '""', '\r', '\n', '\r\n', ' '), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 4 }), async (t, cuts) => {
        const whole = await records([t]);
        const at = [...new Set(cuts.map((c) => c % (t.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => t.slice(from, [...at, t.length][i]));
        expect(await records(pieces)).toEqual(whole);
        expect(await records([...t])).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('cuts quote-free text at every LF, CRLF and lone CR, numbering lines from 1', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', ' ', '\r', '\n', '\r\n', 'é'), maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const lines = t.split(/\r\n|\r|\n/);
        if (lines.at(-1) === '') lines.pop();
        expect(await records([t])).toEqual(lines.map((l, i) => ({ line: i + 1, text: l })));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rowKey (properties)', () => {
  // The formula keys were first stored with: stored rows depend on it never changing.
  const reference = (parts: unknown[]) => createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 24);
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/));
  const count = fc.nat({ max: Number.MAX_SAFE_INTEGER });

  it('is the SHA-1 of the JSON of its parts, for any ids and counts', () => {
    fc.assert(
      fc.property(
        text,
        text,
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        count,
        count,
        (c, i, p, pl, at, n, v) => {
          const row = { campaignId: c, influencerId: i, postId: p, platform: pl, postedAt: at, likes: n, comments: v, shares: n, views: v };
          const expected = p !== undefined ? `p${reference([c, i, p])}` : `f${reference([c, i, n, v, n, v, pl ?? null, at ?? null])}`;
          expect(rowKey(row)).toBe(expected);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
