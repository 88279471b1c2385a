import { Injectable } from '@nestjs/common';
import { EngagementRowDoc } from '../core/database/engagement-row.schema';
import { ChunkJobData, rowSeq } from './chunk-codec';
import { EngagementRowsRepository } from './engagement-rows.repository';
import { IngestProgressRepository } from './ingest-progress.repository';
import { IngestQueue } from './ingest-queue';

/** Writes one chunk of an upload; the last chunk written enqueues the upload's finalize. */
@Injectable()
export class ChunkWriterService {
  constructor(
    private readonly rows: EngagementRowsRepository,
    private readonly progress: IngestProgressRepository,
    private readonly queue: IngestQueue,
  ) {}

  async write({ uploadId, uploadSeq, index, rows }: ChunkJobData): Promise<void> {
    const docs = rows.map(
      ([line, key, campaignId, influencerId, postId, platform, postedAt, likes, comments, shares, views]): EngagementRowDoc => ({
        _id: key,
        seq: rowSeq(uploadSeq, line),
        campaignId,
        influencerId,
        ...(postId !== null && { postId }),
        ...(platform !== null && { platform }),
        ...(postedAt !== null && { postedAt: new Date(postedAt) }),
        likes,
        comments,
        shares,
        views,
      }),
    );
    await this.rows.write(docs);
    await this.chunkSettled(uploadId, index, rows.length);
  }

  /** A chunk out of attempts: the upload will end failed, once its other chunks are settled. */
  async giveUp(uploadId: string, index: number, reason: string): Promise<void> {
    await this.progress.markFailed(uploadId, reason);
    await this.chunkSettled(uploadId, index, 0);
  }

  private async chunkSettled(uploadId: string, index: number, rowsWritten: number) {
    const { chunksDone, chunksTotal } = await this.progress.chunkDone(uploadId, index, rowsWritten);
    if (chunksTotal !== null && chunksDone >= chunksTotal) await this.queue.addFinalize(uploadId);
  }
}
