import { Readable } from 'node:stream';
import { csvCell } from '../../core/csv/csv-cell';
import type { RowError } from './row-validator';

type ErrorReportFormat = 'csv' | 'json';

async function* reportText(pages: AsyncIterable<RowError[]>, format: ErrorReportFormat): AsyncGenerator<string> {
  yield format === 'csv' ? 'line,column,reason\n' : '[';
  let first = true;
  for await (const page of pages) {
    let text = '';
    for (const e of page) {
      if (format === 'csv') text += `${e.line},${csvCell(e.column)},${csvCell(e.reason)}\n`;
      else {
        text += `${first ? '' : ','}${JSON.stringify({ line: e.line, column: e.column, reason: e.reason })}`;
        first = false;
      }
    }
    yield text;
  }
  if (format === 'json') yield ']';
}

/**
 * The error report as a byte stream, one page of errors at a time. A byte stream, not an
 * object one: its buffer then holds about one page, so the next page is read from the
 * database only once the client has taken the previous one.
 */
export function errorReport(pages: AsyncIterable<RowError[]>, format: ErrorReportFormat): Readable {
  return Readable.from(reportText(pages, format), { objectMode: false });
}
