import { ApiProperty } from '@nestjs/swagger';
import { PLATFORMS, type Platform } from '../brief-options';

class BenchmarkDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.0712,
    description: "The scope's pooled rate: (Σlikes + Σcomments + Σshares) / Σviews; null when its rows have no views",
  })
  engagementRate!: number | null;
  @ApiProperty({ example: 42, description: 'Creators with rows in the scope' }) creators!: number;
  @ApiProperty({ example: 310, description: 'Rows (posts) in the scope' }) posts!: number;
}

class RecommendedCreatorDto {
  @ApiProperty({ example: 'influencer_3' }) influencerId!: string;
  @ApiProperty({ example: 0.0814, description: "The creator's own rate in the scope" }) engagementRate!: number;
  @ApiProperty({ example: 0.0791, description: 'The rate adjusted for small samples, as in /top-performers?rankBy=adjusted' })
  adjustedRate!: number;
  @ApiProperty({ example: 18550 }) views!: number;
  @ApiProperty({ example: 4 }) posts!: number;
}

/** What the brief learned from the campaign (present only when the request named one). */
export class CampaignInsightsDto {
  @ApiProperty({ example: 'campaign_6' }) campaignId!: string;
  @ApiProperty({ enum: PLATFORMS, example: 'tiktok', description: "The brief's platform" }) platform!: Platform;
  @ApiProperty({
    enum: ['platform', 'all-platforms'],
    example: 'platform',
    description: 'all-platforms: the campaign has no rows on the platform, so its rows on every platform were read',
  })
  scope!: 'platform' | 'all-platforms';
  @ApiProperty({ type: BenchmarkDto }) benchmark!: BenchmarkDto;
  @ApiProperty({
    type: [RecommendedCreatorDto],
    description: 'Up to 5: the first of GET /top-performers?rankBy=adjusted for the scope (default minViews), in that order',
  })
  recommendedCreators!: RecommendedCreatorDto[];
}
