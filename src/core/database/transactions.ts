import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { ClientSession } from 'mongodb';
import type { Connection } from 'mongoose';

/**
 * Multi-document transactions on the app's connection. `run` retries the whole unit on
 * transient errors (a write conflict with a concurrent transaction, a failover) and the
 * commit on an unknown commit result, as the driver's withTransaction does; the unit must
 * therefore be safe to run again from the start, reading what it needs inside the session.
 * MongoDB needs a replica set for this (production's docker-compose runs a one-node set).
 */
@Injectable()
export class Transactions {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async run<T>(unit: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.connection.getClient().startSession();
    try {
      return await session.withTransaction(unit, {
        readConcern: { level: 'snapshot' },
        writeConcern: { w: 'majority', j: true },
      });
    } finally {
      await session.endSession();
    }
  }
}
