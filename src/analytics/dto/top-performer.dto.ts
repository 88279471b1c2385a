import { ApiProperty } from '@nestjs/swagger';

export class TopPerformerDto {
  @ApiProperty({ example: 1 }) rank!: number;
  @ApiProperty({ example: 'campaign_6' }) campaignId!: string;
  @ApiProperty({ example: 'influencer_3' }) influencerId!: string;
  @ApiProperty({ example: 0.0714, description: '(likes + comments + shares) / views, a plain fraction' }) engagementRate!: number;
  @ApiProperty({ example: 1200 }) likes!: number;
  @ApiProperty({ example: 85 }) comments!: number;
  @ApiProperty({ example: 40 }) shares!: number;
  @ApiProperty({ example: 18550 }) views!: number;
  @ApiProperty({ example: 4, description: 'Rows (posts) counted for this influencer' }) posts!: number;
  @ApiProperty({
    example: 0.0709,
    description:
      '(E + k·p0) / (V + k): E = likes + comments + shares and V = views of the creator in the slice, p0 = the slice pooled rate, k = RANKING_PRIOR_VIEWS',
  })
  adjustedRate!: number;
}

class CampaignSummaryDto {
  @ApiProperty({ example: 'campaign_6' }) campaignId!: string;
  @ApiProperty({ example: 42 }) influencers!: number;
  @ApiProperty({ example: 310, description: 'Rows (posts) counted in the campaign' }) rows!: number;
  @ApiProperty() updatedAt!: Date;
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignSummaryDto] }) items!: CampaignSummaryDto[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
  @ApiProperty({ example: 12 }) total!: number;
}
