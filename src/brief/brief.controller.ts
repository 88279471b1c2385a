import { Body, Controller, HttpCode, Post, UseFilters, UseInterceptors } from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiGatewayTimeoutResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { RateLimitGroup } from '../core/http/rate-limits';
import { BriefService } from './brief.service';
import { BriefDto } from './dto/brief.dto';
import { GenerateBriefDto } from './dto/generate-brief.dto';
import { BriefCacheInterceptor } from './interceptors/brief-cache.interceptor';
import { BriefDeadline } from './interceptors/brief-deadline';
import { BriefRetryInterceptor } from './interceptors/brief-retry.interceptor';
import { RetryAfterFilter } from './interceptors/retry-later';

@ApiTags('brief')
@Controller()
export class BriefController {
  constructor(private readonly briefs: BriefService) {}

  @Post('generate_brief')
  @HttpCode(200)
  // The cache is outside the retry loop: a hit never reaches the LLM, a failure is never stored.
  @UseInterceptors(BriefCacheInterceptor, BriefRetryInterceptor)
  @UseFilters(RetryAfterFilter)
  @RateLimitGroup('brief')
  @ApiOperation({
    summary: 'Write an influencer brief',
    description:
      'Trend, persona and creative-angle tools feed an LLM (or the offline composer when no OPENAI_API_KEY is set). ' +
      "With a campaignId, the campaign's own results on the platform (its report) feed it too, and come back as `insights`. " +
      'Identical requests (ignoring case and extra spaces; with a campaignId, while its data is unchanged) are served from Redis for BRIEF_CACHE_TTL_S; see the X-Cache header.',
  })
  @ApiOkResponse({ type: BriefDto, headers: { 'X-Cache': { description: 'HIT or MISS', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ description: 'Missing/invalid fields or unknown fields' })
  @ApiNotFoundResponse({ description: 'campaignId names a campaign without rows' })
  @ApiTooManyRequestsResponse({ description: 'Rate limit (BRIEF_RATE_LIMIT_PER_MIN)' })
  @ApiBadGatewayResponse({ description: 'The LLM failed or returned an unusable brief after every attempt' })
  @ApiGatewayTimeoutResponse({ description: 'The LLM timed out on every attempt, or BRIEF_DEADLINE_MS ran out' })
  @ApiServiceUnavailableResponse({
    description:
      'Not tried now (circuit open after upstream failures, every LLM slot and the queue busy, or the LLM asked for a wait past the deadline)',
    headers: { 'Retry-After': { description: 'Seconds until trying again makes sense', schema: { type: 'integer' } } },
  })
  generate(@Body() body: GenerateBriefDto, @BriefDeadline() deadline: number): Promise<BriefDto> {
    return this.briefs.generate(body, deadline);
  }
}
