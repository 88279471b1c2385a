import { CsvRecordSplitter, MAX_RECORD_CHARS, parseRecordFields, readCsvRecords } from './csv-records';

async function records(...chunks: (string | Buffer)[]) {
  const out = [];
  for await (const r of readCsvRecords(
    (async function* () {
      yield* chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
    })(),
  ))
    out.push(r);
  return out;
}

describe('CsvRecordSplitter / readCsvRecords', () => {
  it('numbers LF records from line 1', async () => {
    expect(await records('a,b\n1,2\n3,4\n')).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, text: '1,2' },
      { line: 3, text: '3,4' },
    ]);
  });

  it('handles CRLF, a missing final newline and blank lines', async () => {
    const r = await records('a,b\r\n1,2\r\n\r\n3,4');
    expect(r.map((x) => [x.line, x.text])).toEqual([
      [1, 'a,b'],
      [2, '1,2'],
      [3, ''],
      [4, '3,4'],
    ]);
  });

  it('counts newlines inside quotes as physical lines', async () => {
    const r = await records('a,b\n"x\ny\nz",2\n"p\r\nq",3\n4,5\n');
    expect(r.map((x) => x.line)).toEqual([1, 2, 5, 7]);
    expect(parseRecordFields(r[1].text)).toEqual({ ok: true, fields: ['x\ny\nz', '2'] });
  });

  it('strips a UTF-8 BOM', async () => {
    const r = await records(Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x2c, 0x62, 0x0a]));
    expect(r[0].text).toBe('a,b');
  });

  it('does not depend on where chunks are cut', async () => {
    const text = 'h1,h2\r\n"a,""b""\r\nc",2\r\nx,y\r\n';
    const whole = await records(text);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await records(text.slice(0, cut), text.slice(cut))).toEqual(whole);
    }
    expect(whole.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('treats a quote inside an unquoted field as a literal', async () => {
    const r = await records('a,b\nab"c,2\n5,6\n');
    expect(r.map((x) => x.text)).toEqual(['a,b', 'ab"c,2', '5,6']);
  });

  it('treats a quote after a closed quoted field and a blank as malformed, not as a new opening quote', async () => {
    const r = await records('h1,h2\nc,"alice" "x,1\ngood,2\ngood,3\n');
    expect(r).toEqual([
      { line: 1, text: 'h1,h2' },
      { line: 2, text: 'c,"alice" "x,1' },
      { line: 3, text: 'good,2' },
      { line: 4, text: 'good,3' },
    ]);
    expect(parseRecordFields(r[1].text).ok).toBe(false);
  });

  it('ends a record broken after its closing quote at the line break, whatever quotes follow', async () => {
    const r = await records('h1,h2\n"a"x,"y\n1,2\n');
    expect(r.map((x) => [x.line, x.text])).toEqual([
      [1, 'h1,h2'],
      [2, '"a"x,"y'],
      [3, '1,2'],
    ]);
  });

  it('lets any blank fast-csv skips (not only space and tab) come before an opening quote', async () => {
    const r = await records('h1,h2\nx,\u00a0"a\nb"\n1,2\n');
    expect(r.map((x) => x.line)).toEqual([1, 2, 4]);
    expect(parseRecordFields(r[1].text)).toEqual({ ok: true, fields: ['x', 'a\nb'] });
  });

  it('decodes invalid UTF-8 as U+FFFD instead of failing the stream', async () => {
    const r = await records(Buffer.concat([Buffer.from('a,b\nx'), Buffer.from([0xff, 0xfe]), Buffer.from(',1\n')]));
    expect(r[1].text).toContain('\uFFFD');
  });

  it('reports and skips a record longer than the limit, then resumes', () => {
    const s = new CsvRecordSplitter();
    const out = [...s.push('a,b\n"' + 'x'.repeat(MAX_RECORD_CHARS + 10) + '\n1,2\n'), ...s.end()];
    expect(out[0]).toEqual({ line: 1, text: 'a,b' });
    expect(out[1].error).toMatch(/longer than/);
    expect(out[1].line).toBe(2);
    expect(out[2]).toEqual({ line: 3, text: '1,2' });
  });
});

describe('parseRecordFields', () => {
  it('splits quoted commas and escaped quotes', () => {
    expect(parseRecordFields('"a,b","say ""hi""",3')).toEqual({ ok: true, fields: ['a,b', 'say "hi"', '3'] });
  });
  it('reports malformed quoting instead of throwing', () => {
    const r = parseRecordFields('"abc"x,2');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/malformed CSV quoting/);
  });
  it('reports an unclosed quote', () => {
    expect(parseRecordFields('"abc,2').ok).toBe(false);
  });
});
