import { BadRequestException, HttpException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import Busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';

export interface UploadSource {
  filename?: string;
  /** The file's bytes, pulled on demand (backpressure reaches the client's socket). */
  body: AsyncIterable<Buffer>;
}

/** Passes bytes through and fails with 413 once more than `max` have gone by. */
async function* limitBytes(source: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > max) {
      throw new PayloadTooLargeException(`The file is larger than the limit of ${max} bytes (INGEST_MAX_BYTES)`);
    }
    yield chunk;
  }
}

/** The multipart file's bytes; a broken envelope (e.g. no closing boundary) is the client's fault: 400. */
async function* multipartFile(file: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) yield chunk as Buffer;
  } catch (err) {
    throw err instanceof HttpException ? err : new BadRequestException(`Malformed multipart request: ${(err as Error).message}`);
  }
}

const CSV_TYPES = new Set(['text/csv', 'application/csv', 'text/plain', 'application/octet-stream']);

/**
 * The CSV of a POST /ingest: multipart field `file`, or the raw body when the request is
 * `text/csv`. Nothing is buffered beyond what the parser asks for.
 */
export function openUpload(req: Request, maxBytes: number): Promise<UploadSource> {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes + 64 * 1024) {
    // Refuse before reading: the multipart envelope adds a little, hence the margin.
    return Promise.reject(new PayloadTooLargeException(`The file is larger than the limit of ${maxBytes} bytes (INGEST_MAX_BYTES)`));
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (CSV_TYPES.has(type)) {
    return Promise.resolve({ body: limitBytes(req as AsyncIterable<Buffer>, maxBytes) });
  }
  if (type !== 'multipart/form-data') {
    return Promise.reject(
      new UnsupportedMediaTypeException('Send the CSV as multipart/form-data (field "file") or as a text/csv request body'),
    );
  }
  return new Promise<UploadSource>((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: req.headers, limits: { files: 1, fields: 20, parts: 25, fieldSize: 64 * 1024 } });
    } catch (err) {
      reject(new BadRequestException(`Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    let found = false;
    bb.on('file', (name: string, file: Readable, info: Busboy.FileInfo) => {
      if (name !== 'file' || found) {
        file.resume();
        return;
      }
      found = true;
      // The reader starts on a later tick: a body that was already in (a truncated one, say)
      // may fail the stream before then, and an 'error' nobody listens to kills the process.
      // Iterating an errored stream still throws its error, so nothing is lost by this.
      file.on('error', () => undefined);
      // A multipart error after this point surfaces through the file stream.
      bb.on('error', (err: Error) => file.destroy(new BadRequestException(`Malformed multipart request: ${err.message}`)));
      resolve({ filename: info.filename, body: limitBytes(multipartFile(file), maxBytes) });
    });
    bb.on('error', (err: Error) => {
      if (!found) reject(new BadRequestException(`Malformed multipart request: ${err.message}`));
    });
    bb.on('close', () => {
      if (!found) reject(new BadRequestException('No file: send the CSV in the multipart field "file"'));
    });
    req.on('aborted', () => bb.destroy(new Error('client aborted the upload')));
    req.pipe(bb);
  });
}
