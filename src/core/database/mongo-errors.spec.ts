import {
  MongoClient,
  MongoInvalidArgumentError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoServerError,
  MongoTopologyClosedError,
} from 'mongodb';
import { MongooseError } from 'mongoose';
import { isDatabaseUnavailable } from './mongo-errors';

/** A real server-selection failure: the driver's own error, against a port nothing listens on. */
async function serverSelectionError(): Promise<unknown> {
  const client = new MongoClient('mongodb://127.0.0.1:1/x?directConnection=true', { serverSelectionTimeoutMS: 50 });
  try {
    return await client.connect().then(
      () => new Error('connected to port 1'),
      (err: unknown) => err,
    );
  } finally {
    await client.close();
  }
}

describe('isDatabaseUnavailable', () => {
  it('is true for the errors the driver raises while the database cannot be reached', async () => {
    const selection = await serverSelectionError();
    expect((selection as Error).name).toBe('MongoServerSelectionError');
    expect(isDatabaseUnavailable(selection)).toBe(true);
    expect(isDatabaseUnavailable(new MongoNetworkError('connection 3 to 127.0.0.1:27027 closed'))).toBe(true);
    expect(isDatabaseUnavailable(new MongoNetworkTimeoutError('connection 3 to 127.0.0.1:27027 timed out'))).toBe(true);
    expect(isDatabaseUnavailable(new MongoNotConnectedError('Client must be connected before running operations'))).toBe(true);
    expect(isDatabaseUnavailable(new MongoTopologyClosedError())).toBe(true);
  });

  it('is false for errors the server answered, for misuse, and for anything else', () => {
    expect(isDatabaseUnavailable(new MongoServerError({ code: 11000, errmsg: 'E11000 duplicate key error' }))).toBe(false);
    expect(
      isDatabaseUnavailable(new MongoServerError({ code: 112, errmsg: 'WriteConflict', errorLabels: ['TransientTransactionError'] })),
    ).toBe(false);
    expect(isDatabaseUnavailable(new MongoInvalidArgumentError('Argument "filter" must be an object'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('no longer reads a disconnection into a message (with bufferCommands: false mongoose never buffers)', () => {
    expect(isDatabaseUnavailable(new MongooseError('Operation `campaign_summaries.find()` buffering timed out after 10000ms'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('not connected'))).toBe(false);
  });
});
