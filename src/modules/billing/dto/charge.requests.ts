import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { IsIdempotencyKey } from '../../../common/http/idempotency.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';
import { trim } from '../../../common/validation/transforms.js';
import { COUNTABLE_ITEMS, IsWholeForCountableItems } from './countable-items.js';

/** Printable, no spaces: what clients generate (UUIDs, "desk-42:2027-01-04:3"). */

export class CreateChargeRequest {
  @ApiProperty({ example: 'SPA_MASSAGE' }) @IsString() @Matches(/^[A-Z_]{2,40}$/, { message: 'must be a catalogue code' })
  itemCode: string;

  @ApiProperty({ example: 1, description: `Up to 3 decimals; a whole number for the items charged by the piece (${[...COUNTABLE_ITEMS].join(', ')}).` })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(100_000) @IsWholeForCountableItems()
  quantity: number;

  @ApiProperty({ format: 'date' }) @IsCalendarDate()
  serviceDate: string;

  @ApiPropertyOptional({ description: 'Minor units (satang): required for VARIABLE items (flights, visas, hospital bills), refused for FIXED ones.' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000_000)
  unitPriceMinor?: number;

  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(500)
  description?: string;

  @ApiProperty({ description: 'A retry with the same key returns the first charge and creates nothing.', example: '9b2f6c1e-charge-1' })
  @IsIdempotencyKey()
  @Matches(/^(?!dispensation:|psych-consult:)/, { message: 'must not start with dispensation: or psych-consult: (reserved for those records)' })
  idempotencyKey: string;
}

export class ListChargesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only charges still to invoice (on no live invoice and not void); false: only those on a live invoice. Unset: every charge, void ones included.' })
  @IsOptional() @IsIn(['true', 'false'])
  uninvoiced?: 'true' | 'false';
}
