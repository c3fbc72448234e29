import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Pathway } from '../../../clinical/triage.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { trim } from '../../../common/validation/transforms.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

export const PATHWAYS: Pathway[] = ['HOSPITAL_DETOX_FIRST', 'ONSITE_TAPER', 'OUTPATIENT_TAPER'];

export class TriageSettingsRequest {
  @ApiProperty({ example: 90, description: 'MME/day from which long-acting or benzodiazepine co-use sends a patient to hospital first, and above which no outpatient taper.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }) @Min(1) @Max(10_000)
  highDoseMme: number;

  @ApiProperty({ example: 200, description: 'MME/day from which every patient goes to hospital first.' })
  @IsDecimal({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }) @Min(1) @Max(10_000)
  veryHighMme: number;

  @ApiProperty({ example: 7, minimum: 1, maximum: 10, description: 'Outpatient taper only when the intake pain score is below this.' })
  @IsInt() @Min(1) @Max(10)
  outpatientMaxPainScore: number;
}

export class OverrideRequest {
  @ApiProperty({ enum: PATHWAYS }) @IsIn(PATHWAYS)
  pathway: Pathway;

  @ApiProperty({ maxLength: 2000, example: 'Unstable angina reported by cardiologist; partner hospital first.' })
  @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  reason: string;
}
