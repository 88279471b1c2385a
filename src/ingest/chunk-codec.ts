import { EngagementRow } from './csv/row-validator';

/** Rows as positional arrays in Bull job payloads: about half the Redis memory of objects. */
export type PackedRow = [
  line: number,
  key: string,
  campaignId: string,
  influencerId: string,
  postId: string | null,
  platform: string | null,
  postedAt: string | null,
  likes: number,
  comments: number,
  shares: number,
  views: number,
];

export interface ChunkJobData {
  uploadId: string;
  uploadSeq: number;
  index: number;
  rows: PackedRow[];
}

export interface FinalizeJobData {
  uploadId: string;
}

export function packRow(r: EngagementRow): PackedRow {
  return [
    r.line,
    r.key,
    r.campaignId,
    r.influencerId,
    r.postId ?? null,
    r.platform ?? null,
    r.postedAt ?? null,
    r.likes,
    r.comments,
    r.shares,
    r.views,
  ];
}

/** Orders rows of all uploads: later upload first, then later line. Exact below 2^21 uploads. */
export function rowSeq(uploadSeq: number, line: number): number {
  return uploadSeq * 2 ** 32 + line;
}
