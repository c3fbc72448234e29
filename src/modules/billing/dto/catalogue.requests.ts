import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { trim } from '../../../common/validation/transforms.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export class PriceListQuery {
  @ApiPropertyOptional({ format: 'date', description: 'Default: today.' }) @IsOptional() @IsCalendarDate()
  date?: string;
}

export class SetPriceRequest {
  @ApiProperty({ example: 'MEDICATION' }) @IsString() @Matches(/^[A-Z_]{2,40}$/, { message: 'must be a catalogue code' })
  itemCode: string;

  @ApiPropertyOptional({ example: 'oxycodone:5:mg', description: 'For formulary prices: drug:strength:unit.' })
  @IsOptional() @IsString() @Matches(/^[a-z]+:\d+(\.\d{1,3})?:(mg|mcg\/h|%)$/, { message: 'must be drug:strength:unit, e.g. oxycodone:5:mg' })
  product?: string;

  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  label?: string;

  @ApiProperty({ description: 'Minor units (satang).' }) @IsInt() @Min(0) @Max(1_000_000_000_000)
  unitPriceMinor: number;

  @ApiProperty({ format: 'date' }) @IsCalendarDate()
  validFrom: string;
}
