#!/usr/bin/env node
// CPU per row of the API side of an upload, in-process and without services: the read path
// of IngestService (readCsvRecords → classifyRecord → chunks → the queue payload as Bull
// encodes it, JSON) over a CSV already in memory, cut into 64 KiB chunks as a socket hands it.
//   node scripts/profile-ingest-read.mjs [--file /tmp/csv-200k.csv] [--runs 5] [--chunk-rows 5000]
//   node --cpu-prof --cpu-prof-dir /tmp/prof scripts/profile-ingest-read.mjs   # then open the .cpuprofile
// Make the file with: node scripts/generate-samples.mjs --rows 200000 --bad-ratio 0.02 --out /tmp/csv-200k.csv
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const file = args.file ?? '/tmp/csv-200k.csv';
const runs = Number(args.runs ?? 5);
const chunkRows = Number(args['chunk-rows'] ?? 5000);

// The sources themselves, not dist/: transpiled on load so the profile matches the working tree.
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(outputText, filename);
};
const csv = require(join(ROOT, 'src/ingest/csv/csv-records.ts'));
const { checkHeader } = require(join(ROOT, 'src/ingest/csv/csv-header.ts'));
const { classifyRecord } = require(join(ROOT, 'src/ingest/csv/row-validator.ts'));
const codec = require(join(ROOT, 'src/ingest/chunk-codec.ts'));

const bytes = readFileSync(file);
const pieces = [];
for (let at = 0; at < bytes.length; at += 64 * 1024) pieces.push(bytes.subarray(at, at + 64 * 1024));

/** What IngestService does per chunk: its keys go to Redis, its payload to Bull (JSON.stringify). */
function send(rows, index, sink) {
  sink.keys += rows.map((r) => r.key).length;
  const data = codec.chunkJobData
    ? codec.chunkJobData({ uploadId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', uploadSeq: 7, index }, rows)
    : { jobId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', uploadSeq: 7, index, rows: rows.map(codec.packRow) };
  sink.payloadBytes += JSON.stringify(data).length;
}

/** The records of the file, batch by batch where the module offers it (as IngestService reads them). */
async function* recordBatches() {
  const source = (async function* () {
    yield* pieces;
  })();
  if (csv.readCsvRecordBatches) yield* csv.readCsvRecordBatches(source);
  else for await (const r of csv.readCsvRecords(source)) yield [r];
}

async function readOnce() {
  let layout;
  const sink = { rows: 0, accepted: 0, rejected: 0, keys: 0, payloadBytes: 0, chunks: 0 };
  let chunk = [];
  for await (const batch of recordBatches()) {
    for (const record of batch) {
      if (!layout) {
        const parsed = csv.parseRecordFields(record.text);
        const check = parsed.ok ? checkHeader(parsed.fields) : { ok: false };
        if (!check.ok) throw new Error('the file does not start with a valid header');
        layout = check.layout;
        continue;
      }
      const outcome = classifyRecord(record, layout);
      if (outcome.kind === 'blank') continue;
      sink.rows++;
      if (outcome.kind === 'rejected') sink.rejected++;
      else {
        sink.accepted++;
        chunk.push(outcome.row);
        if (chunk.length >= chunkRows) {
          send(chunk, sink.chunks++, sink);
          chunk = [];
        }
      }
    }
  }
  if (chunk.length > 0) send(chunk, sink.chunks++, sink);
  return sink;
}

await readOnce(); // warm-up: JIT and inline caches
const perRow = [];
let last;
for (let i = 0; i < runs; i++) {
  const cpu = process.cpuUsage();
  last = await readOnce();
  const used = process.cpuUsage(cpu);
  perRow.push((used.user + used.system) / last.rows);
}
perRow.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    file,
    rows: last.rows,
    accepted: last.accepted,
    rejected: last.rejected,
    payloadBytesPerRow: +(last.payloadBytes / last.accepted).toFixed(1),
    cpuMicrosPerRow: { median: +perRow[Math.floor(runs / 2)].toFixed(2), min: +perRow[0].toFixed(2), runs },
  }),
);
