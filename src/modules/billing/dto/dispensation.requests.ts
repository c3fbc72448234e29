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

/** The taper orders' formulations (a product is drug + formulation, domain.md §7). */
export const DISPENSING_FORMULATIONS = ['IR', 'ER', 'TRANSDERMAL'] as const;

export type DispensingFormulation = (typeof DISPENSING_FORMULATIONS)[number];

export type DispensingUnit = (typeof DISPENSING_UNITS)[number];

/** Drug codes are compared trimmed and in lower case ("  Oxycodone " is oxycodone). */
const drugCode = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

const DECIMAL_3 = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 } as const;

export class DispenseRequest {
  @ApiProperty({ example: 'oxycodone', description: 'Drug code (letters; trimmed and lower-cased).' })
  @Transform(drugCode) @IsString() @Matches(/^[a-z]{1,50}$/, { message: 'must be a drug code in letters, e.g. oxycodone' })
  drug: string;

  @ApiPropertyOptional({
    enum: DISPENSING_FORMULATIONS,
    description:
      'The product dispensed is drug + formulation, as in the taper orders. Required when orders of the drug in more than one formulation are in force (422 FORMULATION_REQUIRED); ' +
      'otherwise inferred from the one in force. A formulation no order in force uses → 422 NO_ACTIVE_ORDER. Pain-plan and as-needed drugs have none: leave it out.',
  })
  @IsOptional() @IsIn(DISPENSING_FORMULATIONS)
  formulation?: DispensingFormulation;

  @ApiProperty({ example: 5, description: "Strength of one dispensed unit, in `unit`; up to 3 decimals. For a taper, one of the order's unitStrengths (422 STRENGTH_NOT_ORDERED unless overrideReason)." })
  @IsDecimal(DECIMAL_3) @Min(0.001) @Max(100_000)
  strength: number;

  @ApiProperty({ enum: DISPENSING_UNITS, description: 'mg for tablets and capsules, mcg/h for patches such as fentanyl, % for lidocaine patches.' })
  @IsIn(DISPENSING_UNITS)
  unit: DispensingUnit;

  @ApiProperty({ example: 56, description: 'Units dispensed: whole tablets, or halves where the taper order allows half tablets; whole patches (422 QUANTITY_NOT_DISPENSABLE otherwise).' })
  @IsDecimal(DECIMAL_3) @Min(0.001) @Max(100_000)
  quantity: number;

  @ApiProperty({ format: 'date', description: 'Not before the admission (422 DATE_OUTSIDE_STAY); the formulary price of this day applies.' })
  @IsCalendarDate()
  dispensedOn: string;

  @ApiProperty({ description: 'A retry with the same key returns the first dispensation (200) and charges nothing more; with a different body → 409 IDEMPOTENCY_KEY_REUSED.', example: 'ward-b:2027-01-11:oxy-1' })
  @IsIdempotencyKey()
  idempotencyKey: string;

  @ApiPropertyOptional({ maxLength: 2000, example: 'Weekend leave with the family', description: 'Lets the stock on hand of the product with this dispensation come to more than seven days of its orders’ need (422 ABOVE_ORDER_SUPPLY otherwise), or a strength the taper order does not list (422 STRENGTH_NOT_ORDERED otherwise); kept with the dispensation.' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string;
}

export class ListDispensationsQuery extends PageQuery {}

export class VoidDispensationRequest {
  @ApiProperty({ maxLength: 2000, example: 'Wrong date: dispensed today, not on the 20th.' })
  @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MinLength(1) @MaxLength(2000)
  reason: string;
}
