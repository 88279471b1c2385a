import { ParserOptions } from '@fast-csv/parse';
// fast-csv's synchronous record parser. Its stream API stops at the first malformed
// quote; parsing record by record lets one bad row be reported while the rest land.
// The version is pinned exactly in package.json because this path is not public API.
import { Parser } from '@fast-csv/parse/build/src/parser';

/** One physical CSV record: its 1-based starting line and its raw text (no terminator). */
export interface CsvRecord {
  line: number;
  text: string;
  /** Set when the record could not be read at all (too long). */
  error?: string;
}

export const MAX_RECORD_CHARS = 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;
const COMMA = 44;

/** JS `\s` but line breaks: what fast-csv skips around a quoted field. */
function isBlank(c: number): boolean {
  if (c < 0xa0) return c === 32 || c === 9 || c === 11 || c === 12;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function indexOrEnd(s: string, char: string, from: number): number {
  const at = s.indexOf(char, from);
  return at === -1 ? s.length : at;
}

/** Where the splitter is in the current field, outside quotes. */
const enum Field {
  /** Only blanks so far: a quote here opens a quoted field. */
  Start,
  /** Unquoted content: a quote is a literal character. */
  Unquoted,
  /** After a closing quote: only blanks may come before the comma or line break. */
  Closed,
  /**
   * Something else came after a closing quote: the record is malformed (fast-csv rejects
   * it) and every quote up to the line break is literal, so the damage stays on this line.
   */
  Broken,
}

/**
 * Cuts decoded CSV text into records at line breaks outside quotes (RFC 4180), keeping
 * exact physical line numbers: a quoted newline advances the count like any other.
 * Accepts LF, CRLF and lone CR. A record longer than MAX_RECORD_CHARS (an unbalanced
 * quote, or a runaway line) is reported and skipped up to the next line break.
 */
export class CsvRecordSplitter {
  private buf = '';
  private pos = 0;
  private start = 0;
  private inQuotes = false;
  private skipping = false;
  private line = 1;
  private breaksInRecord = 0;
  private first = true;
  private field = Field.Start;

  push(text: string): CsvRecord[] {
    if (this.first) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.buf = this.buf.slice(this.start) + text;
    this.pos -= this.start;
    this.start = 0;
    const out: CsvRecord[] = [];
    const buf = this.buf;
    const n = buf.length;
    let i = this.pos;
    // First quote / CR at or after i (n: none in the buffer), found lazily by indexOf.
    let quote = -1;
    let cr = -1;
    while (i < n) {
      if (i === this.start && !this.inQuotes && !this.skipping) {
        // Most records hold no quote and end in LF or CRLF: find their end with indexOf
        // (native, vectorised) instead of a state step per character.
        const lf = buf.indexOf('\n', i);
        if (lf !== -1 && lf - i <= MAX_RECORD_CHARS) {
          if (quote < i) quote = indexOrEnd(buf, '"', i);
          if (cr < i) cr = indexOrEnd(buf, '\r', i);
          if (quote > lf && cr >= lf - 1) {
            this.emit(out, buf.slice(i, cr === lf - 1 ? cr : lf));
            i = lf + 1;
            this.start = i;
            continue;
          }
        }
      }
      const c = buf.charCodeAt(i);
      // A CR may be the first half of a CRLF split across chunks: wait for the next one.
      if (c === CR && i + 1 === n) break;
      if (this.skipping) {
        if (c === LF || c === CR) {
          const crlf = c === CR && i + 1 < n && buf.charCodeAt(i + 1) === LF;
          this.emit(out, '');
          if (crlf) i++;
        }
        i++;
        this.start = i;
        continue;
      }
      if (this.inQuotes) {
        if (c === QUOTE) {
          // `""` inside quotes is an escaped quote; wait for the next chunk to tell.
          if (i + 1 === n) break;
          if (buf.charCodeAt(i + 1) === QUOTE) i++;
          else {
            this.inQuotes = false;
            this.field = Field.Closed;
          }
        } else if (c === LF || (c === CR && !(i + 1 < n && buf.charCodeAt(i + 1) === LF))) {
          this.breaksInRecord++;
        }
      } else if (c === QUOTE) {
        // RFC 4180: a quote opens a quoted field only at the start of a field
        // (fast-csv also allows leading blanks); elsewhere it is a literal character.
        if (this.field === Field.Start) this.inQuotes = true;
        else if (this.field === Field.Closed) this.field = Field.Broken;
      } else if (c === COMMA) {
        if (this.field !== Field.Broken) this.field = Field.Start;
      } else if (c === LF || c === CR) {
        const crlf = c === CR && i + 1 < n && buf.charCodeAt(i + 1) === LF;
        this.emit(out, buf.slice(this.start, i));
        this.start = i + (crlf ? 2 : 1);
        if (crlf) i++;
      } else if (!isBlank(c)) {
        if (this.field === Field.Start) this.field = Field.Unquoted;
        else if (this.field === Field.Closed) this.field = Field.Broken;
      }
      i++;
      if (i - this.start > MAX_RECORD_CHARS) {
        out.push({
          line: this.line,
          text: '',
          error: `the record is longer than ${MAX_RECORD_CHARS} characters (an unbalanced quote?); skipped to the next line`,
        });
        this.skipping = true;
        this.inQuotes = false;
        this.field = Field.Start;
        this.line += this.breaksInRecord;
        this.breaksInRecord = 0;
        this.start = i;
      }
    }
    this.pos = i;
    return out;
  }

  end(): CsvRecord[] {
    // A trailing lone CR was held back waiting for a possible LF: it ends the record.
    const out: CsvRecord[] = this.pos < this.buf.length ? this.push('\n') : [];
    const rest = this.buf.slice(this.start);
    if (!this.skipping && (rest.length > 0 || this.inQuotes)) this.emit(out, rest);
    this.buf = '';
    this.start = this.pos = 0;
    return out;
  }

  private emit(out: CsvRecord[], text: string) {
    this.field = Field.Start;
    if (this.skipping) {
      this.skipping = false;
      this.line += 1;
    } else {
      out.push({ line: this.line, text });
      this.line += 1 + this.breaksInRecord;
    }
    this.breaksInRecord = 0;
  }
}

const parser = new Parser(new ParserOptions({ headers: false, ignoreEmpty: false, trim: false }));

const BLANK = /^\s+$/;

function splitUnquoted(text: string): string[] {
  const fields = text.split(',');
  // fast-csv skips blanks at the start of a record: a blank first field reads as empty,
  // and a record of blanks alone as no fields at all.
  const c = fields[0].charCodeAt(0);
  // A first field starting with a visible ASCII character is not blank: skip the regex.
  if (!(c > 32 && c < 127) && BLANK.test(fields[0])) {
    if (fields.length === 1) return [];
    fields[0] = '';
  }
  return fields;
}

type FieldsResult = { ok: true; fields: string[] } | { ok: false; reason: string };

/**
 * Splits one record into fields: fast-csv for RFC 4180 quoting and escaping. A record
 * without a quote has nothing to unescape, and the splitter already cut it at its line
 * break, so its fields are exactly its comma-separated parts (what fast-csv returns,
 * property-tested); most rows of an export take this path at a fraction of the cost.
 */
export function parseRecordFields(text: string): FieldsResult {
  if (text === '') return { ok: true, fields: [] };
  if (!text.includes('"')) return { ok: true, fields: splitUnquoted(text) };
  try {
    const { rows } = parser.parse(text, false);
    return { ok: true, fields: rows[0] ?? [] };
  } catch (err) {
    const detail = (err as Error).message.replace(/ at '[\s\S]*$/, '').replace(/^Parse Error: /, '');
    return { ok: false, reason: `malformed CSV quoting (${detail})` };
  }
}

/**
 * Reads a byte stream as UTF-8 CSV records, in batches: the records completed by each
 * chunk of input. Invalid UTF-8 becomes U+FFFD so the row holding it is rejected by
 * validation rather than the whole file. One await per chunk, not per record: an async
 * generator step per record cost as much as splitting it.
 */
export async function* readCsvRecordBatches(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const splitter = new CsvRecordSplitter();
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield splitter.push(text);
  }
  const tail = decoder.decode();
  yield tail.length > 0 ? [...splitter.push(tail), ...splitter.end()] : splitter.end();
}

/** readCsvRecordBatches, one record at a time. */
export async function* readCsvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvRecordBatches(source)) yield* batch;
}
