import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsNullable } from '../../../common/validation/optional.js';
import type { MedicationRoute, MedicationUnit } from '../../../clinical/pain-plan.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { trim } from '../../../common/validation/transforms.js';
import { THERAPY_TYPES, type TherapyType } from '../pain-therapy.entity.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export const MEDICATION_UNITS: MedicationUnit[] = ['mg', 'patch'];
export const MEDICATION_ROUTES: MedicationRoute[] = ['ORAL', 'TOPICAL', 'TRANSDERMAL'];

export class OrderMedicationRequest {
  @ApiProperty({
    example: 'ibuprofen',
    description: 'A drug of the pain plan: paracetamol, ibuprofen, naproxen, diclofenac, celecoxib, duloxetine, amitriptyline, nortriptyline, gabapentin, pregabalin, lidocaine (any other → 422 UNKNOWN_DRUG).',
  })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(50)
  drug: string;

  @ApiProperty({ example: 400, description: 'Per administration, in `unit` (mg, or a number of patches). Up to 3 decimals.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 }) @Min(0.001) @Max(100_000)
  dose: number;

  @ApiProperty({ enum: MEDICATION_UNITS, description: '"patch" for the lidocaine 5% patch, "mg" for the rest (else 422 INVALID_UNIT).' }) @IsIn(MEDICATION_UNITS)
  unit: MedicationUnit;

  @ApiProperty({ minimum: 1, maximum: 24, example: 3, description: '1 for the lidocaine patch (12 h on, 12 h off).' }) @IsInt() @Min(1) @Max(24)
  timesPerDay: number;

  @ApiProperty({ enum: MEDICATION_ROUTES, description: 'ORAL for tablets; TOPICAL or TRANSDERMAL for the patch (else 422 INVALID_ROUTE).' }) @IsIn(MEDICATION_ROUTES)
  route: MedicationRoute;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500, example: 'Low back pain' }) @IsNullable() @Transform(trim) @IsString() @IsSafeText() @MaxLength(500)
  indication?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 2000,
    description:
      'Lets through refusals that may be overridden (NSAID_CONTRAINDICATED, CONTRAINDICATED, MAX_DAILY_DOSE_EXCEEDED in the override band); ' +
      'they are recorded in `overridden`. Never lets through the others. Stored even when nothing needed overriding.',
  })
  @IsNullable() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string | null;
}

export class DiscontinueMedicationRequest {
  @ApiProperty({ maxLength: 2000, example: 'Pain controlled; stepping down.' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  reason: string;
}

export class AddTherapyRequest {
  @ApiProperty({ enum: THERAPY_TYPES }) @IsIn(THERAPY_TYPES)
  type: TherapyType;

  @ApiProperty({ maxLength: 200, example: '3 times a week' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(200)
  frequency: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, example: 'Twice a week with the physiotherapist; home exercises daily' })
  @IsNullable() @Transform(trim) @IsString() @IsSafeText({ multiline: true }) @MaxLength(2000)
  notes?: string | null;
}
