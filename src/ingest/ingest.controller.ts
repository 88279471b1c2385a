import { Controller, Get, Header, HttpCode, Logger, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { RateLimitGroup } from '../core/http/rate-limits';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../core/config/app-config';
import { errorReport } from './csv/error-report';
import { IngestAcceptedDto, IngestErrorDto, IngestStatusDto } from './dto/ingest-status.dto';
import { IngestStatusService } from './ingest-status.service';
import { IngestService } from './ingest.service';
import { jobIdPipe } from './job-id.pipe';
import { openUpload } from './upload-source';

@ApiTags('ingest')
@Controller('ingest')
export class IngestController {
  private readonly logger = new Logger(IngestController.name);
  private readonly maxBytes: number;

  constructor(
    private readonly ingest: IngestService,
    private readonly statuses: IngestStatusService,
    config: AppConfig,
  ) {
    this.maxBytes = config.INGEST_MAX_BYTES;
  }

  @Post()
  @HttpCode(202)
  @RateLimitGroup('ingest')
  @ApiOperation({
    summary: 'Upload an engagement CSV',
    description:
      'Streams the CSV (multipart field `file`, or a raw `text/csv` body), validates every row and queues the valid ones ' +
      'for the workers. Required columns: campaignId, influencerId, likes, comments, shares, views (camelCase or snake_case, ' +
      'any order); optional: postId, platform, postedAt. Answers once the whole file is read; poll statusUrl for the outcome.',
  })
  @ApiConsumes('multipart/form-data', 'text/csv')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiAcceptedResponse({ type: IngestAcceptedDto })
  @ApiBadRequestResponse({ description: 'No file, empty file, header only, not UTF-8, malformed multipart' })
  @ApiPayloadTooLargeResponse({ description: 'Larger than INGEST_MAX_BYTES' })
  @ApiUnprocessableEntityResponse({ description: 'The header lacks required columns (all of them are named); nothing is written' })
  @ApiServiceUnavailableResponse({ description: 'Redis / the queue cannot take work' })
  async upload(@Req() req: Request): Promise<IngestAcceptedDto> {
    try {
      return await this.ingest.ingest(await openUpload(req, this.maxBytes));
    } catch (err) {
      // Refused before its end (415 and 413 from Content-Length before the first byte): the
      // rest of the body is not wanted. Kept alive, the connection would have to read it all
      // to reach the next request (Node discards it), and, never idle meanwhile, it would
      // hold the server's shutdown until it timed out.
      req.res?.setHeader('Connection', 'close');
      throw err;
    } finally {
      // Whatever happened, don't leave the client's upload half-read.
      if (!req.complete) req.resume();
    }
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'Status, counts, progress and the first rejected rows of an upload' })
  @ApiOkResponse({ type: IngestStatusDto })
  @ApiNotFoundResponse({ description: 'Unknown job id' })
  @ApiBadRequestResponse({ description: 'Not a job id (UUID v4)' })
  status(@Param('jobId', jobIdPipe) jobId: string): Promise<IngestStatusDto> {
    return this.statuses.status(jobId);
  }

  @Get(':jobId/errors')
  @ApiOperation({ summary: 'Every rejected row of an upload: JSON, or CSV with `Accept: text/csv`' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: [IngestErrorDto] })
  @ApiNotFoundResponse({ description: 'Unknown job id' })
  @Header('Cache-Control', 'no-store')
  async errors(@Param('jobId', jobIdPipe) jobId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pages = this.statuses.errors(jobId);
    const first = await pages.next(); // 404 surfaces here, before any byte is sent
    const asCsv = req.accepts(['application/json', 'text/csv']) === 'text/csv';
    res.status(200).type(asCsv ? 'text/csv' : 'application/json');
    if (asCsv) res.setHeader('Content-Disposition', `attachment; filename="ingest-${jobId}-errors.csv"`);
    async function* all() {
      for (let page = first; !page.done; page = await pages.next()) yield page.value;
    }
    try {
      await pipeline(errorReport(all(), asCsv ? 'csv' : 'json'), res);
    } catch (err) {
      // The response is under way: all that is left is to cut it short, which pipeline did.
      this.logger.warn(`error report of ${jobId} cut short: ${(err as Error).message}`);
    }
  }
}
