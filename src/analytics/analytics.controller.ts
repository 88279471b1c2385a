import { Controller, Get, Header, Logger, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { CampaignReportQuery, unknownCampaign } from './campaign-report.query';
import { creatorsCsv } from './creators-csv';
import { CampaignReportDto } from './dto/campaign-report.dto';
import { CampaignReportQueryDto, RankedSliceQueryDto } from './dto/slice.query.dto';
import { CampaignPageDto, TopPerformerDto } from './dto/top-performer.dto';
import { CampaignParamsDto, CampaignsQueryDto, TopPerformersQueryDto } from './dto/top-performers.query.dto';
import { TopPerformersQuery } from './top-performers.query';

const BAD_SLICE =
  'An unknown parameter, or a bad value: platform empty, repeated or over 200 characters; from/to not a YYYY-MM-DD date, or from after to; ' +
  'minViews not a non-negative integer; rankBy not rate|adjusted. The message names the parameter.';

@ApiTags('analytics')
@Controller()
export class AnalyticsController {
  private readonly logger = new Logger(AnalyticsController.name);

  constructor(
    private readonly query: TopPerformersQuery,
    private readonly reports: CampaignReportQuery,
  ) {}

  @Get('top-performers')
  @ApiOperation({
    summary: 'Creators of a campaign ranked by engagement rate, or by the rate adjusted for small samples',
    description:
      "engagementRate = (Σlikes + Σcomments + Σshares) / Σviews over the creator's rows in the slice (platform, from, to: all rows when none); " +
      'adjustedRate = (E + k·p0) / (V + k) with p0 the slice pooled rate and k = RANKING_PRIOR_VIEWS. ' +
      'rankBy orders by one of them, desc, ties by influencerId ascending. An unknown campaign or an empty slice is an empty list.',
  })
  @ApiOkResponse({ type: [TopPerformerDto] })
  @ApiBadRequestResponse({ description: `campaignId missing, empty, repeated or an object; limit not an integer in 1..100. ${BAD_SLICE}` })
  @ApiServiceUnavailableResponse({ description: 'The database is unavailable' })
  topPerformers(@Query() q: TopPerformersQueryDto): Promise<TopPerformerDto[]> {
    return this.query.top(q.campaignId, q.limit, q);
  }

  @Get('campaigns/:campaignId/report')
  @ApiOperation({
    summary: "A campaign's report over a slice: totals, platform split, time series, top creators and posts",
    description:
      'Series periods are UTC days, ISO weeks (their Monday) or months (their 1st) of postedAt; rows without postedAt are counted in `undated`.',
  })
  @ApiOkResponse({ type: CampaignReportDto })
  @ApiBadRequestResponse({ description: `${BAD_SLICE} interval not day|week|month.` })
  @ApiNotFoundResponse({ description: 'The campaign has no rows at all' })
  @ApiServiceUnavailableResponse({ description: 'The database is unavailable' })
  report(@Param() p: CampaignParamsDto, @Query() q: CampaignReportQueryDto): Promise<CampaignReportDto> {
    return this.reports.report(p.campaignId, q);
  }

  @Get('campaigns/:campaignId/creators.csv')
  @ApiOperation({
    summary: 'Every creator of a slice, ranked, as a CSV download',
    description:
      'Columns rank,influencerId,engagementRate,adjustedRate,likes,comments,shares,views,posts; RFC 4180 quoting; ' +
      "a cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is written with a leading '.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv, Content-Disposition: attachment' })
  @ApiBadRequestResponse({ description: BAD_SLICE })
  @ApiNotFoundResponse({ description: 'The campaign has no rows at all' })
  @ApiServiceUnavailableResponse({ description: 'The database is unavailable' })
  @Header('Cache-Control', 'no-store')
  async creators(@Param() p: CampaignParamsDto, @Query() q: RankedSliceQueryDto, @Res() res: Response): Promise<void> {
    // Both read before a byte is sent: a 404 or 503 is still a plain error response.
    const [known, ranked] = await Promise.all([this.reports.hasCampaign(p.campaignId), this.query.all(p.campaignId, q)]);
    if (!known && ranked.length === 0) throw unknownCampaign(p.campaignId);
    res.status(200).attachment(`${p.campaignId}-creators.csv`).type('text/csv; charset=utf-8');
    try {
      await pipeline(creatorsCsv(ranked), res);
    } catch (err) {
      this.logger.warn(`creators CSV of ${p.campaignId} cut short: ${(err as Error).message}`);
    }
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
