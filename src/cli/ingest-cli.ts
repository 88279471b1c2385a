import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MultiBar, Presets } from 'cli-progress';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { AppModule } from '../app.module';
import { validateEnvironment } from '../core/config/app-config';
import { IngestStatusService } from '../ingest/ingest-status.service';
import { IngestService } from '../ingest/ingest.service';
import { IngestStatusReport, isFinished } from '../ingest/job-status';

/**
 * `npm run ingest -- FILE.csv`: the same IngestService as POST /ingest, in a process that
 * also works the queue (so it finishes without a server running; running workers help).
 * Exit codes: 0 completed, 1 file refused (the 4xx an upload would get), 2 upload failed.
 */
const USAGE = 'usage: npm run ingest -- FILE.csv [--timeout-s 3600]';

function parseArgs(argv: string[]) {
  const files = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const t = argv.indexOf('--timeout-s');
  const timeoutS = t >= 0 ? Number(argv[t + 1]) : 3600;
  if (files.length !== 1 || !Number.isFinite(timeoutS) || timeoutS <= 0) {
    console.error(USAGE);
    process.exit(64);
  }
  return { file: files[0], timeoutS };
}

async function main() {
  const { file, timeoutS } = parseArgs(process.argv.slice(2));
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    console.error(`Cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  // Quiet logs: the progress bars own the terminal.
  process.env.LOG_LEVEL ??= 'warn';
  const env = validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ role: 'worker' }), { bufferLogs: true });
  app.enableShutdownHooks();
  const ingest = app.get(IngestService);
  const status = app.get(IngestStatusService);

  const bars = new MultiBar(
    { format: ' {phase} |{bar}| {percentage}% | {detail}', hideCursor: true, clearOnComplete: false, etaBuffer: 50 },
    Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1024 ** 2).toFixed(1);
  const read = bars.create(size, 0, { phase: 'read ', detail: `0/${mb(size)} MB` });
  const started = Date.now();
  try {
    let bytes = 0;
    const body = (async function* () {
      for await (const chunk of createReadStream(file)) {
        bytes += (chunk as Buffer).length;
        read.update(bytes, { phase: 'read ', detail: `${mb(bytes)}/${mb(size)} MB` });
        yield chunk as Buffer;
      }
    })();
    const accepted = await ingest.ingest({ filename: basename(file), body });
    read.update(size, { phase: 'read ', detail: `${mb(size)} MB read` });

    const write = bars.create(1000, 0, { phase: 'write', detail: 'waiting for workers' });
    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const s = await status.status(accepted.jobId);
      write.update(Math.round(s.progress * 1000), {
        phase: 'write',
        detail: `${s.rowsWritten + s.rowsSuperseded}/${s.rowsAccepted} rows done`,
      });
      if (isFinished(s.status)) {
        bars.stop();
        printSummary(s, Date.now() - started, env.INGEST_CHUNK_ROWS);
        return s.status === 'completed' ? 0 : 2;
      }
      if (Date.now() > deadline) {
        bars.stop();
        console.error(`Job ${accepted.jobId} is still ${s.status} after ${timeoutS} s; it goes on in the queue.`);
        return 2;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    bars.stop();
    if (err instanceof HttpException) {
      console.error(`Refused (${err.getStatus()}): ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await app.close();
  }
}

function printSummary(s: IngestStatusReport, ms: number, chunkRows: number) {
  const lines = [
    '',
    `Job ${s.jobId}: ${s.status.toUpperCase()} in ${(ms / 1000).toFixed(2)} s (${Math.round(s.rowsTotal / (ms / 1000))} rows/s, chunks of ${chunkRows})`,
    `  rows: ${s.rowsTotal} total, ${s.rowsAccepted} accepted, ${s.rowsRejected} rejected, ${s.rowsDuplicate} duplicate keys, ${s.rowsWritten} written, ${s.rowsSuperseded} superseded by newer versions`,
    ...(s.failureReason ? [`  failure: ${s.failureReason}`] : []),
    ...s.errors.slice(0, 10).map((e) => `  line ${e.line}${e.column ? ` [${e.column}]` : ''}: ${e.reason}`),
    ...(s.rowsRejected > 10 ? [`  … every rejected row: GET ${s.errorsUrl}`] : []),
  ];
  console.log(lines.join('\n'));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
