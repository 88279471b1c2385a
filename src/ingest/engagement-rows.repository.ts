import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Collection, UpdateFilter } from 'mongodb';
import { Model } from 'mongoose';
import { EngagementRowDoc } from '../core/database/engagement-row.schema';
import { duplicateKeyIndexes } from '../core/database/write-errors';

/**
 * Writes rows so that the database keeps, per row key, the version with the highest seq.
 * A plain insert is right for a key the database does not have yet (the common case, and
 * the cheapest write); only keys that exist already go through a conditional upsert
 * `{_id: key, seq: {$lt: seq}}`, which replaces an older version and, where a newer or
 * the same version is stored, fails on the duplicate _id: nothing to do. Both are
 * idempotent, so a chunk delivered twice writes once, in any order of chunks and uploads.
 */
@Injectable()
export class EngagementRowsRepository {
  private readonly rows: Collection<EngagementRowDoc>;

  constructor(@InjectModel(EngagementRowDoc.name) rows: Model<EngagementRowDoc>) {
    this.rows = rows.collection as unknown as Collection<EngagementRowDoc>;
  }

  async write(docs: EngagementRowDoc[]): Promise<void> {
    if (docs.length === 0) return;
    let existing: EngagementRowDoc[] = [];
    try {
      await this.rows.insertMany(docs, { ordered: false });
    } catch (err) {
      const dup = duplicateKeyIndexes(err);
      if (dup === null) throw err;
      // A bare duplicate-key error (no per-document list) may concern any document.
      existing = dup.length > 0 ? dup.map((i) => docs[i]) : docs;
    }
    if (existing.length > 0) await this.replaceOlder(existing);
  }

  private async replaceOlder(docs: EngagementRowDoc[]): Promise<void> {
    const ops: AnyBulkWriteOperation<EngagementRowDoc>[] = docs.map(({ _id, ...version }) => ({
      updateOne: {
        filter: { _id, seq: { $lt: version.seq } },
        update: withUnset(version),
        upsert: true,
      },
    }));
    try {
      await this.rows.bulkWrite(ops, { ordered: false });
    } catch (err) {
      if (duplicateKeyIndexes(err) === null) throw err;
    }
  }
}

const OPTIONAL = ['postId', 'platform', 'postedAt'] as const;

/** $set of the new version, and $unset of optional fields an older version had and this one has not. */
function withUnset(version: Omit<EngagementRowDoc, '_id'>): UpdateFilter<EngagementRowDoc> {
  const missing = OPTIONAL.filter((f) => version[f] === undefined);
  return missing.length === 0 ? { $set: version } : { $set: version, $unset: Object.fromEntries(missing.map((f) => [f, ''] as const)) };
}
