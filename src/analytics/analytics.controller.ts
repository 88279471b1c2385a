import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { CampaignsQueryDto, TopPerformersQueryDto } from './dto/top-performers.query.dto';
import { CampaignPageDto, TopPerformerDto } from './dto/top-performer.dto';
import { TopPerformersQuery } from './top-performers.query';

@ApiTags('analytics')
@Controller()
export class AnalyticsController {
  constructor(private readonly query: TopPerformersQuery) {}

  @Get('top-performers')
  @ApiOperation({
    summary: 'Creators of a campaign ranked by engagement rate',
    description:
      "engagementRate = (Σlikes + Σcomments + Σshares) / Σviews over all of the creator's rows in the campaign; " +
      'ties by influencerId ascending. An unknown campaign is an empty list.',
  })
  @ApiOkResponse({ type: [TopPerformerDto] })
  @ApiBadRequestResponse({ description: 'campaignId missing, empty, repeated or an object; limit not an integer in 1..100' })
  @ApiServiceUnavailableResponse({ description: 'The database is unavailable' })
  topPerformers(@Query() q: TopPerformersQueryDto): Promise<TopPerformerDto[]> {
    return this.query.top(q.campaignId, q.limit);
  }

  @Get('campaigns')
  @ApiOperation({
    summary: 'Campaigns with data, with their influencer and row counts (paginated, by id)',
    description:
      'Ids in natural order: digits compare as numbers (campaign_2 before campaign_10); ids equal as numbers (c02, c2) by code point.',
  })
  @ApiOkResponse({ type: CampaignPageDto })
  campaigns(@Query() q: CampaignsQueryDto): Promise<CampaignPageDto> {
    return this.query.campaigns(q.page, q.pageSize);
  }
}
