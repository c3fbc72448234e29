import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { IsIdempotencyKey } from '../../../common/http/idempotency.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';
import { trim } from '../../../common/validation/transforms.js';

export const DISPENSING_UNITS = ['mg', 'mcg/h', '%'] as const;

export type DispensingUnit = (typeof DISPENSING_UNITS)[number];

/** Drug codes are compared trimmed and in lower case ("  Oxycodone " is oxycodone). */
const drugCode = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const DECIMAL_3 = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 } as const;

export class DispenseRequest {
  @ApiProperty({ example: 'oxycodone', description: 'Drug code (letters; trimmed and lower-cased).' })
  @Transform(drugCode) @IsString() @Matches(/^[a-z]{1,50}$/, { message: 'must be a drug code in letters, e.g. oxycodone' })
  drug: string;

  @ApiProperty({ example: 5, description: 'Strength of one dispensed unit, in `unit`; up to 3 decimals.' })
  @IsDecimal(DECIMAL_3) @Min(0.001) @Max(100_000)
  strength: number;

  @ApiProperty({ enum: DISPENSING_UNITS, description: 'mg for tablets and capsules, mcg/h for patches such as fentanyl, % for lidocaine patches.' })
  @IsIn(DISPENSING_UNITS)
  unit: DispensingUnit;

  @ApiProperty({ example: 56, description: 'Units dispensed (tablets, patches); more than 0, up to 3 decimals.' })
  @IsDecimal(DECIMAL_3) @Min(0.001) @Max(100_000)
  quantity: number;

  @ApiProperty({ format: 'date', description: 'Not before the admission (422 DATE_OUTSIDE_STAY); the formulary price of this day applies.' })
  @IsCalendarDate()
  dispensedOn: string;

  @ApiProperty({ description: 'A retry with the same key returns the first dispensation (200) and charges nothing more; with a different body → 409 IDEMPOTENCY_KEY_REUSED.', example: 'ward-b:2027-01-11:oxy-1' })
  @IsIdempotencyKey()
  idempotencyKey: string;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Weekend leave with the family', description: 'Lets the stock on hand with this dispensation come to more than seven days of the orders’ need (422 ABOVE_ORDER_SUPPLY otherwise); kept with the dispensation.' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string;
}

export class ListDispensationsQuery extends PageQuery {}
