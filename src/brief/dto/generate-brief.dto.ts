import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsString, Length, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { GOALS, PLATFORMS, type Goal, type Platform } from '../brief-options';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class GenerateBriefDto {
  @ApiProperty({ example: 'Glow Labs', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @Length(1, 100, { message: 'brand must be 1 to 100 characters' })
  @IsString({ message: 'brand must be a string' })
  @IsDefined({ message: 'brand is required' })
  brand!: string;

  @ApiProperty({ example: 'Vitamin C serum', minLength: 1, maxLength: 100 })
  @Transform(trim)
  @Length(1, 100, { message: 'product must be 1 to 100 characters' })
  @IsString({ message: 'product must be a string' })
  @IsDefined({ message: 'product is required' })
  product!: string;

  @ApiProperty({ enum: GOALS, example: 'awareness', description: 'Case-insensitive' })
  @Transform(lower)
  @IsIn(GOALS, { message: `goal must be one of: ${GOALS.join(', ')}` })
  @IsString({ message: 'goal must be a string' })
  @IsDefined({ message: 'goal is required' })
  goal!: Goal;

  @ApiProperty({ enum: PLATFORMS, example: 'tiktok', description: 'Case-insensitive' })
  @Transform(lower)
  @IsIn(PLATFORMS, { message: `platform must be one of: ${PLATFORMS.join(', ')}` })
  @IsString({ message: 'platform must be a string' })
  @IsDefined({ message: 'platform is required' })
  platform!: Platform;

  // The rules of a CSV campaignId (src/ingest/csv/row-validator.ts): trimmed, 1 to 200
  // characters, no control characters, nothing that was not valid UTF-8; otherwise exact.
  // No example: Swagger UI's "Try it out" would send it, and a brief for a made-up campaign is a 404.
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description:
      'A campaign with uploaded rows: the brief learns from its results on this platform (see `insights`). Exact, case-sensitive',
  })
  @ValidateIf((o: { campaignId?: unknown }) => o.campaignId !== undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @Matches(/^[^\uFFFD]*$/, { message: 'campaignId contains bytes that are not valid UTF-8' })
  @Matches(/^\P{Cc}*$/u, { message: 'campaignId contains control characters' })
  @MaxLength(200, { message: 'campaignId must be at most 200 characters' })
  @MinLength(1, { message: 'campaignId must not be empty' })
  @IsString({ message: 'campaignId must be a string' })
  campaignId?: string;
}
