import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateBy, ValidationArguments } from 'class-validator';
import type { Interval, RankBy } from '../scoring';

/** Plain digits (up to 15: always a safe integer) become a number; anything else stays as sent and fails validation. */
const plainInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : value);
const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A real calendar date written `YYYY-MM-DD` (2024-02-30 is not one). */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const t = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

const IsDay = (property: string) =>
  ValidateBy({
    name: 'isDay',
    validator: {
      validate: isDay,
      defaultMessage: () => `${property} must be a date written YYYY-MM-DD (e.g. 2024-05-01)`,
    },
  });

/** On `from`: the period may not end before it starts (days compare as text). */
const NotAfterTo = () =>
  ValidateBy({
    name: 'notAfterTo',
    validator: {
      validate: (from: unknown, args?: ValidationArguments) => {
        const to = (args?.object as { to?: unknown }).to;
        return !isDay(to) || (typeof from === 'string' && from <= to);
      },
      defaultMessage: (args?: ValidationArguments) =>
        `from (${String(args?.value)}) is after to (${String((args?.object as { to?: unknown }).to)}): the period would be empty`,
    },
  });

/**
 * A slice of a campaign's rows: a platform and a period of UTC posting days, either or
 * both (docs/ranking.md). class-validator runs a property's rules bottom-up; with
 * stopAtFirstError the first failure is its message.
 */
// No `example` on the slice's parameters: Swagger UI's "Try it out" would fill them in,
// and an unfiltered request would come back filtered.
export class SliceQueryDto {
  @ApiPropertyOptional({
    description: 'Only rows of this platform (trimmed, case-insensitive, 1-200 characters)',
    minLength: 1,
    maxLength: 200,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @MaxLength(200, { message: 'platform must be at most 200 characters' })
  @IsNotEmpty({ message: 'platform must not be empty' })
  @IsString({ message: 'platform must be given once, as a plain string (not a list or an object)' })
  platform?: string;

  @ApiPropertyOptional({
    format: 'date',
    description: 'First UTC posting day, inclusive; rows without postedAt are outside every period',
  })
  @IsOptional()
  @Transform(trimmed)
  @NotAfterTo()
  @IsDay('from')
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last UTC posting day, inclusive' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay('to')
  to?: string;
}

/** `minViews`: one rule wherever it is taken; what it leaves out is said per endpoint. */
const MinViews = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ default: 0, minimum: 0, description }),
    IsOptional(),
    Transform(plainInt),
    Max(Number.MAX_SAFE_INTEGER, { message: 'minViews must be a non-negative integer' }),
    Min(0, { message: 'minViews must be a non-negative integer' }),
    IsInt({ message: 'minViews must be a non-negative integer' }),
  );

/** A slice, and which of its creators are ranked how. */
export class RankedSliceQueryDto extends SliceQueryDto {
  @MinViews('Creators with fewer views in the slice are left out (the prior still counts them)')
  minViews: number = 0;

  @ApiPropertyOptional({
    enum: ['rate', 'adjusted'],
    default: 'rate',
    description:
      'rate: engagementRate desc; adjusted: adjustedRate desc (small samples pulled toward the slice rate). Ties by influencerId asc',
  })
  @IsOptional()
  @IsIn(['rate', 'adjusted'], { message: 'rankBy must be rate or adjusted' })
  rankBy: RankBy = 'rate';
}

export class CampaignReportQueryDto extends SliceQueryDto {
  @MinViews('topCreators: creators with fewer views in the slice left out; topPosts: posts with fewer views left out')
  minViews: number = 0;

  @ApiPropertyOptional({
    enum: ['day', 'week', 'month'],
    default: 'day',
    description: 'Period of the series: a UTC day, an ISO week (from Monday), a month',
  })
  @IsOptional()
  @IsIn(['day', 'week', 'month'], { message: 'interval must be day, week or month' })
  interval: Interval = 'day';
}
