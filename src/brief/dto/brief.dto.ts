import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CampaignInsightsDto } from './campaign-insights.dto';

class BriefMetaDto {
  @ApiProperty({ example: 'offline', description: 'The LLM model used, or "offline" for the built-in composer' }) model!: string;
  @ApiProperty({ example: 'brief-v2' }) promptVersion!: string;
  @ApiProperty() generatedAt!: string;
}

export class BriefDto {
  @ApiProperty({ example: 'Glow in 30 seconds: our Vitamin C serum, no filter needed. #ad' }) caption!: string;
  @ApiProperty({ type: [String], minItems: 3, maxItems: 5 }) hook_ideas!: string[];
  @ApiProperty({ type: [String], example: ['#skincare', '#glowup', '#ad'] }) hashtags!: string[];
  @ApiProperty({ example: 'Tap the link in bio for 20% off your first order' }) cta!: string;
  @ApiProperty({ example: 'Upbeat, candid, expert-but-friendly' }) tone!: string;
  @ApiProperty({ example: 'Skincare-curious Gen Z and young millennials' }) persona!: string;
  @ApiProperty({ example: 'Before/after in natural light' }) creative_angle!: string;
  @ApiProperty({ example: '#ad', description: 'Paid-partnership disclosure fitting the platform' }) disclosure!: string;
  @ApiProperty({ type: BriefMetaDto }) meta!: BriefMetaDto;
  @ApiPropertyOptional({ type: CampaignInsightsDto, description: "The campaign's results the brief used; only with a campaignId" })
  insights?: CampaignInsightsDto;
}
