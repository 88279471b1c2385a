import fc from 'fast-check';
import { checkHeader } from './csv-header';
import { readCsvRecords } from './csv-records';
import { classifyRecord } from './row-validator';

const check = checkHeader(['campaignId', 'influencerId', 'postId', 'likes', 'comments', 'shares', 'views', 'note']);
if (!check.ok) throw new Error('bad header');
const layout = check.layout;

// Quoted content that may hold commas, escaped quotes and line breaks of every kind.
const quotedContent = fc.array(fc.constantFrom('a', 'z', ' ', ',', '""', '\n', '\r\n', '\r', 'é'), { maxLength: 8 }).map((p) => p.join(''));
const breaks = (s: string) => s.split(/\r\n|\r|\n/).length - 1;
const blanks = fc.array(fc.constantFrom(' ', '\t', '\u00a0'), { minLength: 1, maxLength: 3 }).map((b) => b.join(''));
// Anything on the rest of the physical line, quotes and commas included.
const restOfLine = fc.string({ unit: fc.constantFrom('"', ',', ' ', 'x', '1', '\u00a0'), maxLength: 12 });
// What makes a closed quoted field malformed: a blank then a quote, or any other character.
const stray = fc.oneof(
  fc.tuple(blanks, restOfLine).map(([b, r]) => `${b}"${r}`),
  fc.tuple(fc.constantFrom('x', '1', ';', '\\', "'"), restOfLine).map(([c, r]) => `${c}${r}`),
);

type Line = { kind: 'good' | 'bad'; text: string; lines: number };
const good = fc
  .tuple(fc.nat({ max: 999 }), quotedContent)
  .map(([n, note]): Line => ({ kind: 'good', text: `c,inf${n},p${n},1,2,3,${n + 1},"${note}"`, lines: 1 + breaks(note) }));
const bad = fc
  .tuple(fc.boolean(), quotedContent, stray)
  .map(([early, q, s]): Line => ({ kind: 'bad', text: early ? `c,"${q}"${s}` : `c,inf,p,1,2,3,4,"${q}"${s}`, lines: 1 + breaks(q) }));

async function outcomes(text: string, cuts: number[]) {
  const pieces: string[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    pieces.push(text.slice(at, cut));
    at = cut;
  }
  pieces.push(text.slice(at));
  const source = (async function* () {
    for (const p of pieces) yield Buffer.from(p);
  })();
  const out = [];
  let header = true;
  for await (const record of readCsvRecords(source)) {
    if (header) header = false;
    else out.push(classifyRecord(record, layout));
  }
  return out;
}

describe('stray quotes after a closed quoted field (properties)', () => {
  it('rejects only the malformed record and accepts every other line at its physical line number', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(good, bad), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (body, eol, cuts) => {
          const text = ['campaignId,influencerId,postId,likes,comments,shares,views,note', ...body.map((l) => l.text)].join(eol) + eol;
          let line = 2;
          const expected = body.map((l) => {
            const e =
              l.kind === 'good'
                ? { kind: 'row', row: expect.objectContaining({ line }) }
                : { kind: 'rejected', errors: [expect.objectContaining({ line, column: null })] };
            line += l.lines;
            return e;
          });
          expect(await outcomes(text, cuts)).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
