import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ClientSession, TransactionOptions } from 'mongodb';
import { MongoError } from 'mongodb';
import type { Connection } from 'mongoose';

const OPTIONS: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority', j: true } };
/** As long as the driver's withTransaction keeps retrying. */
const RETRY_FOR_MS = 120_000;
const MAX_BACKOFF_MS = 1000;

const hasLabel = (err: unknown, label: string) => err instanceof MongoError && err.hasErrorLabel(label);
/** Full jitter under a ceiling that doubles per attempt (5 ms, 10 ms, ... up to MAX_BACKOFF_MS). */
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt)));

/**
 * Multi-document transactions on the app's connection. `run` retries the whole unit on
 * transient errors (a write conflict with a concurrent transaction, a failover) and the
 * commit on an unknown commit result, as the driver's withTransaction does, but waits a
 * jittered, growing moment between attempts: withTransaction retries at once, and a unit
 * blocked by a transaction that a killed worker left open (held until the server aborts it)
 * spun thousands of times a second against the server. The unit must be safe to run again
 * from the start, reading what it needs inside the session. MongoDB needs a replica set.
 */
@Injectable()
export class Transactions {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async run<T>(unit: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.connection.getClient().startSession();
    const started = Date.now();
    try {
      for (let attempt = 0; ; attempt++) {
        session.startTransaction(OPTIONS);
        try {
          const result = await unit(session);
          await this.commit(session, started);
          return result;
        } catch (err) {
          if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
          if (!hasLabel(err, 'TransientTransactionError') || Date.now() - started > RETRY_FOR_MS) throw err;
          await backoff(attempt);
        }
      }
    } finally {
      await session.endSession();
    }
  }

  private async commit(session: ClientSession, started: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await session.commitTransaction();
        return;
      } catch (err) {
        // The commit may or may not have happened: committing again is safe (it is idempotent),
        // but at once it would spin against a server that is failing over or overloaded.
        if (!hasLabel(err, 'UnknownTransactionCommitResult') || Date.now() - started > RETRY_FOR_MS) throw err;
        await backoff(attempt);
      }
    }
  }
}
