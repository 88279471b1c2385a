import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RankedSliceQueryDto } from './slice.query.dto';

/** Plain digits become a number; anything else stays as sent and fails validation. */
const strictInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : value);

export class TopPerformersQueryDto extends RankedSliceQueryDto {
  @ApiProperty({ example: 'campaign_6', description: 'Campaign to rank (exact, case-sensitive)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  // class-validator runs these bottom-up; with stopAtFirstError the first failure is the message.
  @MaxLength(200, { message: 'campaignId must be at most 200 characters' })
  @IsNotEmpty({ message: 'campaignId must not be empty' })
  @IsString({ message: 'campaignId must be given once, as a plain string (not a list or an object)' })
  @IsDefined({ message: 'campaignId is required' })
  campaignId!: string;

  @ApiPropertyOptional({ example: 3, default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(strictInt)
  @Max(100, { message: 'limit must be an integer between 1 and 100' })
  @Min(1, { message: 'limit must be an integer between 1 and 100' })
  @IsInt({ message: 'limit must be an integer between 1 and 100' })
  limit: number = 10;
}

/** `:campaignId` of the campaign routes: the same rules as the query parameter. */
export class CampaignParamsDto {
  @ApiProperty({ example: 'campaign_6', description: 'Campaign (exact, case-sensitive)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(200, { message: 'campaignId must be at most 200 characters' })
  @IsNotEmpty({ message: 'campaignId must not be empty' })
  @IsString()
  campaignId!: string;
}

export class CampaignsQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @IsOptional()
  @Transform(strictInt)
  @IsInt({ message: 'page must be a positive integer' })
  @Min(1, { message: 'page must be a positive integer' })
  page: number = 1;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(strictInt)
  @IsInt({ message: 'pageSize must be an integer between 1 and 500' })
  @Min(1, { message: 'pageSize must be an integer between 1 and 500' })
  @Max(500, { message: 'pageSize must be an integer between 1 and 500' })
  pageSize: number = 50;
}
