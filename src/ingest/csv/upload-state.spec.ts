import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { checkHeader } from './csv-header';
import { readCsvRecords } from './csv-records';
import { classifyRecord } from './row-validator';
import { detach, UploadState } from './upload-state';

// Jest does not run node with --expose-gc; the flag still takes effect for contexts made after it.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CHUNK = 64 * 1024;
const CAMPAIGNS = 400;

/** One 64 KiB network-sized chunk per campaign, each a single row padded by an ignored column. */
async function* upload(): AsyncGenerator<Buffer> {
  yield Buffer.from('campaignId,influencerId,postId,likes,comments,shares,views,note\n');
  for (let c = 0; c < CAMPAIGNS; c++) {
    const row = `campaign-${String(c).padStart(6, '0')}-spring,inf,p${c},1,1,1,10,`;
    yield Buffer.from(row + 'x'.repeat(CHUNK - row.length - 1) + '\n');
  }
}

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('UploadState', () => {
  it('keeps each distinct campaign id without the input it was read from', async () => {
    const check = checkHeader(['campaignId', 'influencerId', 'postId', 'likes', 'comments', 'shares', 'views', 'note']);
    if (!check.ok) throw new Error('bad header');
    const state = new UploadState('u');
    const before = heapUsed();
    let header = true;
    for await (const record of readCsvRecords(upload())) {
      if (header) {
        header = false;
        continue;
      }
      const outcome = classifyRecord(record, check.layout);
      if (outcome.kind !== 'row') throw new Error(`line ${record.line} was not accepted`);
      state.countCampaigns([outcome.row]);
    }
    const grown = heapUsed() - before;
    expect(state.summary().campaignCount).toBe(CAMPAIGNS);
    // 400 short ids need well under 1 MB; each one pinning its 64 KiB chunk would be 25 MB.
    expect(grown).toBeLessThan(4 * 1024 ** 2);
  });
});

describe('detach', () => {
  it('copies every UTF-16 code unit, lone surrogates and U+FFFD included', () => {
    for (const s of ['', 'a', 'campaign_é_😀', 'x\uD800y', '\uDC00', '\uFFFD']) expect(detach(s)).toBe(s);
  });
});

describe('UploadState error cap', () => {
  const error = (line: number, column: string | null = null) => ({ line, column, reason: 'bad' });

  it('stores at most the cap of errors, counting the rest, and keeps every count exact', () => {
    const state = new UploadState('u', 3);
    state.reject([error(2)]);
    state.reject([error(3, 'likes'), error(3, 'views')]);
    state.reject([error(4)]);
    state.reject([error(5)]);
    state.accept();
    expect(state.pendingErrors.map((e) => e.line)).toEqual([2, 3, 3]);
    expect(state.summary()).toMatchObject({ rowsTotal: 5, rowsAccepted: 1, rowsRejected: 4, errorsNotStored: 2 });
    expect(state.summary().firstErrors).toHaveLength(5);
  });

  it('stores nothing with a cap of 0 but still shows the first errors in the status', () => {
    const state = new UploadState('u', 0);
    state.reject([error(2)]);
    expect(state.pendingErrors).toEqual([]);
    expect(state.summary()).toMatchObject({ rowsRejected: 1, errorsNotStored: 1, firstErrors: [error(2)] });
  });
});
