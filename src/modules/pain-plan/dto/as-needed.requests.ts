import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import { AS_NEEDED_DRUGS, AS_NEEDED_PAIN_DRUGS, MAX_DOSES_PER_DAY, MAX_INTERVAL_HOURS } from '../../../clinical/as-needed.js';
import type { MedicationRoute } from '../../../clinical/pain-drugs.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';
import { trim } from '../../../common/validation/transforms.js';
import { MEDICATION_ROUTES } from './pain-plan.requests.js';

const DRUGS = [...Object.keys(AS_NEEDED_DRUGS), ...AS_NEEDED_PAIN_DRUGS].join(', ');

export class OrderAsNeededRequest {
  @ApiProperty({ example: 'clonidine', description: `A drug ordered as needed: ${DRUGS} (any other → 422 UNKNOWN_DRUG).` })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(50)
  drug: string;

  @ApiProperty({ example: 0.1, description: 'Each dose, in mg. Up to 3 decimals.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(100_000)
  dose: number;

  @ApiProperty({ enum: ['mg'] }) @IsIn(['mg'])
  unit: 'mg';

  @ApiProperty({ enum: MEDICATION_ROUTES, description: 'Each as-needed drug has its routes (all ORAL today); another → 422 INVALID_ROUTE.' }) @IsIn(MEDICATION_ROUTES)
  route: MedicationRoute;

  @ApiProperty({ example: 6, description: `Hours between two doses at least (up to ${MAX_INTERVAL_HOURS}); 422 PRN_TOO_SOON on the record otherwise.` })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }) @Min(0.25) @Max(MAX_INTERVAL_HOURS)
  minIntervalHours: number;

  @ApiProperty({ example: 4, minimum: 1, maximum: MAX_DOSES_PER_DAY, description: 'Doses a day at most (422 PRN_DAILY_MAX on the record beyond).' })
  @IsInt() @Min(1) @Max(MAX_DOSES_PER_DAY)
  maxDosesPerDay: number;

  @ApiProperty({ example: 'Sweating and restlessness of withdrawal', maxLength: 500 }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(500)
  indication: string;

  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 48, example: 8, description: 'Given only after a COWS score at or above this within the last 2 hours (422 PRN_NOT_INDICATED otherwise).' })
  @IsOptional() @IsInt() @Min(0) @Max(48)
  cowsThreshold?: number;

  @ApiPropertyOptional({ type: String, maxLength: 2000, description: 'For paracetamol and ibuprofen: lets through the pain-plan refusals that may be overridden.' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string;
}
