import fc from 'fast-check';
import { ParserOptions } from '@fast-csv/parse';
import { Parser } from '@fast-csv/parse/build/src/parser';
import { parseRecordFields } from './csv-records';

// The same fast-csv configuration parseRecordFields uses for quoted records.
const fastCsv = new Parser(new ParserOptions({ headers: false, ignoreEmpty: false, trim: false }));

describe('parseRecordFields (properties)', () => {
  it('splits a record without quotes exactly as fast-csv does', () => {
    // Any text a splitter can hand over without a quote: no line breaks, anything else.
    const piece = fc.oneof(
      fc.constantFrom(' ', '\t', ',', ';', '\\', "'", 'é', '\u0000', '\uFFFD'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    const field = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
    const record = fc.array(field, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(',').replace(/["\r\n]/g, ''));
    fc.assert(
      fc.property(record, (text) => {
        fc.pre(text !== '');
        expect(parseRecordFields(text)).toEqual({ ok: true, fields: (fastCsv.parse(text, false).rows[0] as string[] | undefined) ?? [] });
      }),
      { numRuns: 2000 },
    );
  });
});
