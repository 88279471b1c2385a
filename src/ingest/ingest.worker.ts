import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectModel } from '@nestjs/mongoose';
import { Job, Queue } from 'bull';
import type { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { CampaignRankingWriter } from '../analytics/campaign-ranking.writer';
import { EnvironmentVariables } from '../core/config/environment';
import { duplicateKeyIndexes } from '../core/database/write-errors';
import { INGEST_JOB, INGEST_QUEUE } from '../core/queue/queue-names';
import { batchesByWeight } from './batches';
import { CampaignTotalsCalculator } from './campaign-totals.calculator';
import { ChunkJobData, FinalizeJobData, rowSeq } from './chunk-codec';
import { IngestScratch } from './ingest-scratch';
import { IngestService } from './ingest.service';
import { EngagementRowDoc } from './schemas/engagement-row.schema';
import { IngestCampaignPage, IngestJob } from './schemas/ingest-job.schema';

/** Campaigns ranked per step of finalize from the upload's Redis scratch. */
const FRESH_BATCH = 100;
/**
 * Campaigns ranked per step from stored rows: as many as hold about this many rows (by
 * their last ranking), so memory follows rows, and FerretDB, which answers every such
 * query with a scan of the whole collection, scans as rarely as memory allows.
 */
const HISTORY_BATCH_ROWS = 200_000;
const HISTORY_BATCH_CAMPAIGNS = 1000;

/**
 * Queue consumer (APP_ROLE worker or all). Chunks are written as inserts keyed by
 * upload and line, so a chunk delivered twice (retry, crashed worker) writes once.
 * After the last chunk, the upload's campaigns get fresh rankings and the job completes.
 */
@Injectable()
export class IngestWorker implements OnModuleInit {
  private readonly logger = new Logger(IngestWorker.name);
  private readonly rows: Collection<EngagementRowDoc>;
  private readonly concurrency: number;

  constructor(
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue,
    @InjectModel(EngagementRowDoc.name) rows: Model<EngagementRowDoc>,
    @InjectModel(IngestJob.name) private readonly jobs: Model<IngestJob>,
    @InjectModel(IngestCampaignPage.name) private readonly campaignPages: Model<IngestCampaignPage>,
    private readonly scratch: IngestScratch,
    private readonly ingest: IngestService,
    private readonly calculator: CampaignTotalsCalculator,
    private readonly rankings: CampaignRankingWriter,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.rows = rows.collection as unknown as Collection<EngagementRowDoc>;
    this.concurrency = config.get('INGEST_WORKER_CONCURRENCY', { infer: true });
  }

  onModuleInit() {
    // Registered by hand (not @Process) so INGEST_WORKER_CONCURRENCY is read at run time.
    // process() settles only when the queue closes; on shutdown it rejects with
    // "Connection is closed", which is expected and must not surface as unhandled.
    const stopped = (err: Error) => this.logger.debug(`queue consumer stopped: ${err.message}`);
    this.queue.process(INGEST_JOB.chunk, this.concurrency, (job: Job<ChunkJobData>) => this.writeChunk(job.data)).catch(stopped);
    this.queue.process(INGEST_JOB.finalize, 1, (job: Job<FinalizeJobData>) => this.finalize(job.data.uploadId)).catch(stopped);
    this.queue.on('failed', (job: Job, err: Error) => void this.onFailed(job, err));
  }

  async writeChunk({ uploadId, uploadSeq, index, rows }: ChunkJobData): Promise<void> {
    const docs = rows.map(([line, key, campaignId, influencerId, postId, platform, postedAt, likes, comments, shares, views]) => ({
      _id: `${uploadId}:${line}`,
      uploadId,
      seq: rowSeq(uploadSeq, line),
      key,
      campaignId,
      influencerId,
      ...(postId !== null && { postId }),
      ...(platform !== null && { platform }),
      ...(postedAt !== null && { postedAt: new Date(postedAt) }),
      likes,
      comments,
      shares,
      views,
    }));
    try {
      await this.rows.insertMany(docs, { ordered: false });
    } catch (err) {
      // Rows this chunk wrote on an earlier delivery: already there, nothing to do.
      if (duplicateKeyIndexes(err) === null) throw err;
    }
    await this.afterChunk(uploadId, index, rows.length);
  }

  private async afterChunk(uploadId: string, index: number, rows: number) {
    const { chunksDone, chunksTotal } = await this.scratch.chunkDone(uploadId, index, rows);
    if (chunksTotal !== null && chunksDone >= chunksTotal) await this.ingest.enqueueFinalize(uploadId);
  }

  async finalize(uploadId: string): Promise<void> {
    // One finalisation at a time across all workers: two uploads touching one campaign
    // must not write its ranking from different snapshots in the wrong order.
    await this.scratch.withLock('ingest-finalize', 15_000, 60_000, async () => {
      const job = await this.jobs.findById(uploadId).lean();
      if (!job || job.status === 'completed' || job.status === 'failed') return;
      const live = await this.scratch.progress(uploadId);
      const failureReason = job.failureReason ?? live.failureReason;
      const failed = failureReason !== undefined;
      const canUseUpload = !failed && (await this.scratch.hasLatest(uploadId));
      for await (const campaigns of this.campaignsOf(job)) await this.rank(uploadId, campaigns, canUseUpload);

      const landed = failed ? await this.rows.countDocuments({ uploadId }) : live.rowsWritten;
      await this.jobs.updateOne(
        { _id: uploadId },
        {
          $set: {
            status: failed ? 'failed' : 'completed',
            finishedAt: new Date(),
            rowsWritten: landed,
            startedAt: live.startedAt ?? job.startedAt ?? new Date(),
            ...(failed && { failureReason }),
          },
        },
      );
      await this.scratch.clear(uploadId);
      this.logger.log(`upload ${uploadId} ${failed ? 'failed' : 'completed'}: ${landed} rows written, ${job.campaignCount ?? job.campaigns?.length ?? 0} campaign(s) re-ranked`);
    });
  }

  /** The upload's campaigns, a page at a time (jobs from before pages list them inline). */
  private async *campaignsOf(job: IngestJob): AsyncGenerator<string[]> {
    if (job.campaigns?.length) yield job.campaigns;
    for (let page = 0; page < (job.campaignPages ?? 0); page++) {
      const doc = await this.campaignPages.findById(`${job._id}:${page}`).lean();
      if (!doc) throw new Error(`campaign page ${page} of upload ${job._id} is missing`);
      yield doc.campaigns;
    }
  }

  /**
   * Fresh rankings for some of the upload's campaigns. Campaigns with no ranking yet are
   * ranked from the upload's Redis scratch (when it is intact); the others from stored rows.
   */
  private async rank(uploadId: string, campaigns: string[], canUseUpload: boolean) {
    const existing = await this.rankings.existing(campaigns);
    const fresh = canUseUpload ? campaigns.filter((c) => !existing.has(c)) : [];
    const freshSet = new Set(fresh);
    const history = campaigns.filter((c) => !freshSet.has(c));
    // Batches bound memory by a number of campaigns, not by the size of the upload.
    for (let i = 0; i < fresh.length; i += FRESH_BATCH) {
      const totals = new Map();
      await this.calculator.fromUpload(uploadId, fresh.slice(i, i + FRESH_BATCH), totals);
      await this.rankings.replace(CampaignTotalsCalculator.toArrays(totals), existing);
    }
    for (const batch of batchesByWeight(history, (c) => existing.get(c)?.posts ?? 0, HISTORY_BATCH_ROWS, HISTORY_BATCH_CAMPAIGNS)) {
      const totals = new Map();
      await this.calculator.fromDatabase(batch, totals);
      await this.rankings.replace(CampaignTotalsCalculator.toArrays(totals), existing);
    }
  }

  /** A chunk out of attempts fails its upload; the rest still lands and is ranked. */
  private async onFailed(job: Job, err: Error) {
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const data = job.data as Partial<ChunkJobData & FinalizeJobData>;
    this.logger.error(`${job.name} job ${job.id} failed for good: ${err.message}`);
    if (job.name !== INGEST_JOB.chunk || !data.uploadId) return;
    try {
      await this.scratch.markFailed(
        data.uploadId,
        `chunk ${data.index} (lines ${data.rows?.[0]?.[0]}–${data.rows?.at(-1)?.[0]}) could not be written: ${err.message}`,
      );
      await this.afterChunk(data.uploadId, data.index ?? -1, 0);
    } catch (e) {
      this.logger.error(`could not record the failure of upload ${data.uploadId}: ${(e as Error).message}`);
    }
  }
}
