/** First characters a spreadsheet reads as the start of a formula (or, tab and CR, strips before one). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell of a CSV we write: RFC 4180 quoting (a cell holding a quote, comma, CR or LF is
 * quoted, quotes doubled), and text a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, tab or CR) is written with a leading `'`, which spreadsheets show as text.
 * Every CSV the app writes goes through here, so the guard cannot be forgotten in one of them.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV record, CRLF-terminated as RFC 4180 has it. */
export function csvRecord(cells: ReadonlyArray<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
