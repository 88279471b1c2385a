import { MongooseModule } from '@nestjs/mongoose';
import type { TestingModule } from '@nestjs/testing';
import type { Collection, Db } from 'mongodb';
import { repositoryModule } from '../../test/support/repository-module';
import { Transactions } from '../core/database/transactions';
import { EngagementRowsRepository } from './engagement-rows.repository';
import { EngagementRowDoc, EngagementRowSchema } from './schemas/engagement-row.schema';

const row = (
  key: string,
  campaignId: string,
  influencerId: string,
  likes: number,
  extra: Partial<EngagementRowDoc> = {},
): EngagementRowDoc => ({
  _id: key,
  uploadSeq: 1,
  line: 2,
  campaignId,
  influencerId,
  likes,
  comments: 1,
  shares: 0,
  views: 100,
  ...extra,
});

describe('EngagementRowsRepository (real database)', () => {
  let moduleRef: TestingModule;
  let db: Db;
  let repo: EngagementRowsRepository;
  let tx: Transactions;
  let rows: Collection<EngagementRowDoc>;

  beforeAll(async () => {
    ({ moduleRef, db } = await repositoryModule('rows_repo', {
      imports: [MongooseModule.forFeature([{ name: EngagementRowDoc.name, schema: EngagementRowSchema }])],
      providers: [EngagementRowsRepository],
    }));
    repo = moduleRef.get(EngagementRowsRepository);
    tx = moduleRef.get(Transactions);
    rows = db.collection<EngagementRowDoc>('engagement_rows');
  });
  afterAll(() => moduleRef?.close());
  beforeEach(() => rows.deleteMany({}));

  it('inserts in the transaction: nothing is stored when it aborts, everything when it commits', async () => {
    await expect(
      tx.run(async (s) => {
        await repo.insert([row('k1', 'c1', 'i1', 5)], s);
        throw new Error('the chunk failed after its rows');
      }),
    ).rejects.toThrow('the chunk failed');
    expect(await rows.countDocuments({})).toBe(0);
    await tx.run((s) => repo.insert([row('k1', 'c1', 'i1', 5), row('k2', 'c1', 'i2', 6)], s));
    expect(await rows.find({}).sort({ _id: 1 }).toArray()).toEqual([row('k1', 'c1', 'i1', 5), row('k2', 'c1', 'i2', 6)]);
  });

  it('accepts empty writes (a chunk whose rows all lost to newer versions) without touching the database', async () => {
    await tx.run(async (s) => {
      await repo.insert([], s);
      await repo.replace([], s);
    });
    expect(await rows.countDocuments({})).toBe(0);
  });

  it('refuses a second insert of a key (the writer reads versions first; a race makes the transaction retry)', async () => {
    await tx.run((s) => repo.insert([row('k1', 'c1', 'i1', 5)], s));
    await expect(tx.run((s) => repo.insert([row('k1', 'c1', 'i1', 9)], s))).rejects.toMatchObject({ code: 11000 });
    expect(await rows.findOne({ _id: 'k1' })).toMatchObject({ likes: 5 });
  });

  it('reads the stored versions of the keys asked, only the fields a change needs, its own uncommitted writes included', async () => {
    await tx.run((s) => repo.insert([row('k1', 'c1', 'i1', 5, { uploadSeq: 3, line: 7, postId: 'p1', platform: 'tiktok' })], s));
    const seen = await tx.run(async (s) => {
      await repo.insert([row('k2', 'c2', 'i2', 8)], s);
      return repo.versionsOf(['k1', 'k2', 'missing'], s);
    });
    expect([...seen.keys()].sort()).toEqual(['k1', 'k2']);
    expect(seen.get('k1')).toEqual({ _id: 'k1', uploadSeq: 3, line: 7, likes: 5, comments: 1, shares: 0, views: 100 });
    expect(await tx.run((s) => repo.versionsOf([], s))).toEqual(new Map());
  });

  it('replaces a row whole: optional fields the new version lacks disappear with the old one', async () => {
    const old = row('k1', 'c1', 'i1', 5, { postId: 'p1', platform: 'tiktok', postedAt: new Date('2024-05-01T00:00:00Z') });
    await tx.run((s) => repo.insert([old, row('k2', 'c1', 'i2', 1)], s));
    const newer = row('k1', 'c1', 'i1', 9, { uploadSeq: 2, line: 4 });
    await tx.run((s) => repo.replace([newer], s));
    expect(await rows.findOne({ _id: 'k1' })).toEqual(newer);
    expect(await rows.findOne({ _id: 'k2' })).toEqual(row('k2', 'c1', 'i2', 1));
  });

  it('sums the rows per campaign and creator, for the campaigns asked only, counting rows as posts', async () => {
    await tx.run((s) =>
      repo.insert(
        [
          row('k1', 'c1', 'a', 5),
          row('k2', 'c1', 'a', 7, { comments: 3, shares: 2, views: 50 }),
          row('k3', 'c1', 'b', 1),
          row('k4', 'c2', 'a', 100),
          row('k5', 'c3', 'a', 1000),
        ],
        s,
      ),
    );
    const sums = [];
    for await (const s of repo.sumsByPair(['c1', 'c2'])) sums.push(s);
    const byPair = (x: { campaignId: string; influencerId: string }) => `${x.campaignId}/${x.influencerId}`;
    expect(sums.sort((x, y) => byPair(x).localeCompare(byPair(y)))).toEqual([
      { campaignId: 'c1', influencerId: 'a', likes: 12, comments: 4, shares: 2, views: 150, posts: 2 },
      { campaignId: 'c1', influencerId: 'b', likes: 1, comments: 1, shares: 0, views: 100, posts: 1 },
      { campaignId: 'c2', influencerId: 'a', likes: 100, comments: 1, shares: 0, views: 100, posts: 1 },
    ]);
  });

  it('keeps one secondary index, for slices: every write and read of the ingest path is by _id', async () => {
    await tx.run((s) => repo.insert([row('k1', 'c1', 'i1', 5)], s));
    const indexes = await rows.indexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'slices']);
    expect(indexes.find((i) => i.name === 'slices')!.key).toEqual({ campaignId: 1, platform: 1, postedAt: 1 });
  });

  it("a slice's top posts leave out those under minViews, also when fewer than the limit are left", async () => {
    const at = new Date('2024-05-01T10:00:00Z');
    await tx.run((s) =>
      repo.insert(
        [
          row('k1', 'c1', 'a', 90, { views: 100, platform: 'tiktok', postedAt: at, postId: 'p1' }), // best rate, too few views
          row('k2', 'c1', 'b', 10, { views: 500, platform: 'tiktok', postedAt: at, postId: 'p2' }),
          row('k3', 'c1', 'c', 30, { views: 600, platform: 'tiktok', postedAt: at, postId: 'p3' }),
          row('k4', 'c1', 'd', 50, { views: 200, platform: 'tiktok', postedAt: at, postId: 'p4' }), // too few views
          row('k5', 'c1', 'e', 99, { views: 900, platform: 'youtube', postedAt: at, postId: 'p5' }), // another platform
        ],
        s,
      ),
    );
    const slice = { campaignId: 'c1', platform: 'tiktok', from: '2024-05-01', to: '2024-05-01' };
    const posts = (minViews: number) => repo.topPosts(slice, minViews, 3).then((ps) => ps.map((p) => [p.postId, p.views]));
    expect(await posts(0)).toEqual([
      ['p1', 100],
      ['p4', 200],
      ['p3', 600],
    ]);
    expect(await posts(500)).toEqual([
      ['p3', 600],
      ['p2', 500],
    ]);
    expect(await posts(10_000)).toEqual([]);
  });
});
