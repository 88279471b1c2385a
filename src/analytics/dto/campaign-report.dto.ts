import { ApiProperty } from '@nestjs/swagger';
import type { Interval } from '../scoring';
import { TopPerformerDto } from './top-performer.dto';

class ReportFiltersDto {
  @ApiProperty({ type: String, nullable: true, example: 'tiktok', description: 'Lower-cased; null: every platform' }) platform!:
    string | null;
  @ApiProperty({ type: String, nullable: true, example: '2024-05-01' }) from!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2024-05-31' }) to!: string | null;
  @ApiProperty({ example: 0 }) minViews!: number;
  @ApiProperty({ enum: ['day', 'week', 'month'], example: 'day' }) interval!: Interval;
}

class PriorDto {
  @ApiProperty({ example: 1000, description: 'k = RANKING_PRIOR_VIEWS' }) views!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.0712, description: "p0, the slice's pooled rate (null: empty slice)" }) rate!:
    number | null;
}

class FiguresDto {
  @ApiProperty({ example: 12, description: 'Rows (posts)' }) posts!: number;
  @ApiProperty({ example: 1200 }) likes!: number;
  @ApiProperty({ example: 85 }) comments!: number;
  @ApiProperty({ example: 40 }) shares!: number;
  @ApiProperty({ example: 18550 }) views!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.0714, description: '(likes + comments + shares) / views; null without rows' })
  engagementRate!: number | null;
}

class ReportTotalsDto extends FiguresDto {
  @ApiProperty({ example: 42 }) creators!: number;
}

class PlatformFiguresDto extends ReportTotalsDto {
  @ApiProperty({ type: String, nullable: true, example: 'tiktok', description: 'null: rows without a platform' }) platform!: string | null;
}

class SeriesPointDto extends FiguresDto {
  @ApiProperty({ example: '2024-05-06', description: 'The UTC day; the Monday of an ISO week; the 1st of a month' }) period!: string;
}

class UndatedDto {
  @ApiProperty({ example: 3 }) posts!: number;
  @ApiProperty({ example: 4100 }) views!: number;
}

class TopPostDto {
  @ApiProperty({ example: 'influencer_3' }) influencerId!: string;
  @ApiProperty({ type: String, nullable: true, example: 'post_17' }) postId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'tiktok' }) platform!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) postedAt!: string | null;
  @ApiProperty({ example: 300 }) likes!: number;
  @ApiProperty({ example: 20 }) comments!: number;
  @ApiProperty({ example: 15 }) shares!: number;
  @ApiProperty({ example: 3000 }) views!: number;
  @ApiProperty({ example: 0.1116 }) engagementRate!: number;
}

export class CampaignReportDto {
  @ApiProperty({ example: 'campaign_6' }) campaignId!: string;
  @ApiProperty({ type: ReportFiltersDto }) filters!: ReportFiltersDto;
  @ApiProperty({ type: PriorDto }) prior!: PriorDto;
  @ApiProperty({ type: ReportTotalsDto }) totals!: ReportTotalsDto;
  @ApiProperty({ type: [PlatformFiguresDto], description: 'views desc, then platform asc (null last)' }) byPlatform!: PlatformFiguresDto[];
  @ApiProperty({ type: [SeriesPointDto], description: 'period asc; dated rows only' }) series!: SeriesPointDto[];
  @ApiProperty({ type: UndatedDto, description: 'Rows of the slice without postedAt (none when a period is given)' }) undated!: UndatedDto;
  @ApiProperty({ type: [TopPerformerDto], description: 'The first 10 of /top-performers?rankBy=adjusted for the same slice and minViews' })
  topCreators!: TopPerformerDto[];
  @ApiProperty({
    type: [TopPostDto],
    description: 'Up to 10: engagementRate desc, views desc, influencerId asc; posts under minViews views left out',
  })
  topPosts!: TopPostDto[];
}
