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
