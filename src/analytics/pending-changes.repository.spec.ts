import { MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { Db } from 'mongodb';
import { repositoryModule } from '../../test/support/repository-module';
import { Transactions } from '../core/database/transactions';
import type { PairSums } from './pair-sums';
import { PendingChangesRepository } from './pending-changes.repository';
import { packChanges, PendingChange, PendingChangeSchema, unpackChanges } from './schemas/pending-change.schema';

const change = (campaignId: string, likes: number): PairSums => ({
  campaignId,
  influencerId: 'i1',
  likes,
  comments: -2,
  shares: 0,
  views: 2 ** 53 - 1,
  posts: 1,
});
const staged = (jobId: string, bucket: number, chunk: number, ...changes: PairSums[]) =>
  packChanges(PendingChangesRepository.id(jobId, bucket, chunk), changes);
const ids = (docs: PendingChange[]) => docs.map((d) => d._id).sort();

describe('PendingChangesRepository (real database)', () => {
  let moduleRef: TestingModule;
  let db: Db;
  let repo: PendingChangesRepository;
  let tx: Transactions;

  beforeAll(async () => {
    ({ moduleRef, db } = await repositoryModule('pending_repo', {
      imports: [MongooseModule.forFeature([{ name: PendingChange.name, schema: PendingChangeSchema }])],
      providers: [PendingChangesRepository],
    }));
    repo = moduleRef.get(PendingChangesRepository);
    tx = moduleRef.get(Transactions);
  });
  afterAll(() => moduleRef?.close());
  beforeEach(() => db.collection('totals_pending').deleteMany({}));

  const add = (...docs: PendingChange[]) => tx.run((s) => repo.add(docs, s));
  const notApplied = (jobId: string, bucket: number) => tx.run((s) => repo.notApplied(jobId, bucket, s));

  it('names a change by upload, two-digit bucket and chunk, so that an upload’s bucket is one range of ids', () => {
    expect(PendingChangesRepository.id('u1', 3, 12)).toBe('u1:03:12');
  });

  it("stores a chunk's changes in its transaction and gives them back exactly, negative and large figures too", async () => {
    const doc = staged('u1', 3, 0, change('c1', -7), change('c2', 5));
    await expect(
      tx.run(async (s) => {
        await repo.add([doc], s);
        throw new Error('the chunk failed after staging');
      }),
    ).rejects.toThrow('the chunk failed');
    expect(await repo.hasAny()).toBe(false);
    await add(doc);
    await tx.run((s) => repo.add([], s));
    const [back] = await notApplied('u1', 3);
    expect(unpackChanges(back)).toEqual([change('c1', -7), change('c2', 5)]);
  });

  it("reads one upload's one bucket: not its other buckets, nor an upload whose id starts the same", async () => {
    await add(staged('u1', 3, 0, change('c1', 1)), staged('u1', 3, 7, change('c1', 2)), staged('u1', 4, 0, change('c9', 1)));
    await add(staged('u10', 3, 0, change('c1', 1)), staged('u1x', 3, 0, change('c1', 1)), staged('u', 3, 0, change('c1', 1)));
    expect(ids(await notApplied('u1', 3))).toEqual(['u1:03:0', 'u1:03:7']);
    expect(ids(await notApplied('u1', 4))).toEqual(['u1:04:0']);
    expect(await notApplied('u1', 5)).toEqual([]);
  });

  it('marks changes applied: they are no longer read to fold, their campaigns are still known until dropped', async () => {
    await add(
      staged('u1', 3, 0, change('c1', 1), change('c2', 1)),
      staged('u1', 3, 1, change('c1', 1)),
      staged('u1', 3, 2, change('c3', 1)),
      staged('u1', 4, 0, change('c4', 1)),
    );
    await tx.run((s) => repo.markApplied(['u1:03:0', 'u1:03:1', 'u1:04:0'], s));
    expect(ids(await notApplied('u1', 3))).toEqual(['u1:03:2']);
    expect((await repo.appliedCampaigns('u1', 3)).sort()).toEqual(['c1', 'c2']);
    await repo.dropApplied('u1', 3);
    expect(await repo.appliedCampaigns('u1', 3)).toEqual([]);
    expect(ids(await notApplied('u1', 3))).toEqual(['u1:03:2']);
    // Another bucket's applied changes stay until that bucket drops them.
    expect(await repo.appliedCampaigns('u1', 4)).toEqual(['c4']);
  });

  it('lists each upload with staged changes once, however many it has, and says whether there are any', async () => {
    expect(await repo.uploads()).toEqual([]);
    expect(await repo.hasAny()).toBe(false);
    const many = Array.from({ length: 40 }, (_, i) => staged('u2', i % 32, i, change('c1', 1)));
    await add(...many, staged('u1', 0, 0, change('c1', 1)), staged('u10', 31, 5, change('c1', 1)));
    expect(await repo.uploads()).toEqual(['u10', 'u1', 'u2']); // in id order
    expect(await repo.hasAny()).toBe(true);
  });
});
