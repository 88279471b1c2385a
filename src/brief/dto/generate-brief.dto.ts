import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsIn, IsString, Length } from 'class-validator';
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
}
