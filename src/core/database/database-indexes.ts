import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

/**
 * The collections and indexes the schemas declare, built by mongoose (autoIndex) when the
 * app starts. Whoever writes to an indexed collection waits for them first: on secantus-mdb
 * an index built while a transaction inserts into the empty collection may miss those
 * documents for good (78 of 120 tries; the rows then vanish from every slice read through
 * it, docs/database.md). MongoDB's index builds do not lose writes. With the indexes in
 * place the wait is a round trip; a release that adds an index to a full collection holds
 * its workers until the build ends, which is the point.
 */
@Injectable()
export class DatabaseIndexes {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** Resolves once every registered model's collection and indexes exist; rejects with a build's failure. */
  async built(): Promise<void> {
    await Promise.all(this.connection.modelNames().map((name) => this.connection.model(name).init()));
  }
}
