import type { Request, Response } from 'express';
import { Writable } from 'node:stream';
import { validateEnvironment } from '../../core/config/app-config';
import { IngestController } from '../ingest.controller';
import type { IngestStatusService } from '../ingest-status.service';
import type { IngestService } from '../ingest.service';
import type { RowError } from './row-validator';

const PAGES = 40;
const PAGE = 1000;

/** A client that reads nothing until told to: every write stays pending. */
class SlowClient extends Writable {
  text = '';
  private pending: (() => void)[] = [];
  private flowing = false;
  status() {
    return this;
  }
  type() {
    return this;
  }
  setHeader() {
    return this;
  }
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    if (this.flowing) done();
    else this.pending.push(done);
  }
  startReading() {
    this.flowing = true;
    for (const done of this.pending.splice(0)) done();
  }
}

function controllerWith(pages: (fetched: () => void) => AsyncGenerator<RowError[]>) {
  let fetched = 0;
  const statuses = { errors: () => pages(() => fetched++) } as unknown as IngestStatusService;
  const config = validateEnvironment({ INGEST_MAX_BYTES: 1024 });
  return { controller: new IngestController({} as IngestService, statuses, config), fetched: () => fetched };
}

async function* errorPages(fetched: () => void): AsyncGenerator<RowError[]> {
  for (let p = 0; p < PAGES; p++) {
    await Promise.resolve(); // a database round trip
    fetched();
    yield Array.from({ length: PAGE }, (_, i) => ({ line: p * PAGE + i + 2, column: 'views', reason: 'views must be at least 1' }));
  }
}

async function settle() {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
}

describe('GET /ingest/:jobId/errors (IngestController.errors)', () => {
  it.each(['text/csv', 'application/json'])('reads the next page only as fast as the client takes the %s report', async (accept) => {
    const { controller, fetched } = controllerWith(errorPages);
    const res = new SlowClient();
    const req = { accepts: () => accept } as unknown as Request;
    const done = controller.errors('job', req, res as unknown as Response);
    await settle();
    // The client has read nothing: only what fills the stream buffers was fetched.
    expect(fetched()).toBeLessThanOrEqual(3);
    res.startReading();
    await done;
    expect(fetched()).toBe(PAGES);
    if (accept === 'text/csv') {
      const lines = res.text.split('\n');
      expect(lines).toHaveLength(PAGES * PAGE + 2);
      expect(lines[1]).toBe('2,views,views must be at least 1');
    } else {
      expect((JSON.parse(res.text) as RowError[]).map((e) => e.line)).toEqual(Array.from({ length: PAGES * PAGE }, (_, i) => i + 2));
    }
  });

  it('quotes CSV cells holding commas, quotes or line breaks', async () => {
    const { controller } = controllerWith(async function* () {
      await Promise.resolve();
      yield [{ line: 3, column: null, reason: 'say "hi", then\nbye' }];
    });
    const res = new SlowClient();
    res.startReading();
    await controller.errors('job', { accepts: () => 'text/csv' } as unknown as Request, res as unknown as Response);
    expect(res.text).toBe('line,column,reason\n3,,"say ""hi"", then\nbye"\n');
  });

  it('writes a cell a spreadsheet would run as a formula with a leading quote', async () => {
    const { controller } = controllerWith(async function* () {
      await Promise.resolve();
      yield [
        { line: 4, column: '=cmd', reason: '=HYPERLINK("http://x","y")' },
        { line: 5, column: null, reason: '@SUM(A1)' },
      ];
    });
    const res = new SlowClient();
    res.startReading();
    await controller.errors('job', { accepts: () => 'text/csv' } as unknown as Request, res as unknown as Response);
    expect(res.text).toBe('line,column,reason\n4,\'=cmd,"\'=HYPERLINK(""http://x"",""y"")"\n5,,\'@SUM(A1)\n');
  });

  it('answers an empty report as a header alone, or as []', async () => {
    for (const [accept, body] of [
      ['text/csv', 'line,column,reason\n'],
      ['application/json', '[]'],
    ]) {
      const { controller } = controllerWith(async function* () {});
      const res = new SlowClient();
      res.startReading();
      await controller.errors('job', { accepts: () => accept } as unknown as Request, res as unknown as Response);
      expect(res.text).toBe(body);
    }
  });
});
