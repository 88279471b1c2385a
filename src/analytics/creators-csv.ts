import { Readable } from 'node:stream';
import { csvRecord } from '../core/csv/csv-cell';
import type { ScoredCreator } from './scoring';

const HEADER = ['rank', 'influencerId', 'engagementRate', 'adjustedRate', 'likes', 'comments', 'shares', 'views', 'posts'];
/** Records per write: a byte stream whose buffer holds about one batch, so a slow client holds back the rest. */
const BATCH = 1_000;

function* text(ranked: ScoredCreator[]): Generator<string> {
  yield csvRecord(HEADER);
  for (let at = 0; at < ranked.length; at += BATCH) {
    let batch = '';
    for (let i = at; i < Math.min(at + BATCH, ranked.length); i++) {
      const c = ranked[i];
      batch += csvRecord([i + 1, c.influencerId, c.engagementRate, c.adjustedRate, c.likes, c.comments, c.shares, c.views, c.posts]);
    }
    yield batch;
  }
}

/** A ranked slice as CSV text (RFC 4180, CRLF, the formula guard of csvCell), streamed batch by batch. */
export function creatorsCsv(ranked: ScoredCreator[]): Readable {
  return Readable.from(text(ranked), { objectMode: false });
}
