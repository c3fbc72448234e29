import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsOptional } from '../../../common/validation/optional.js';
import type { DoseUnit, OpioidFormulation } from '../../../clinical/mme.js';
import type { TaperBasis } from '../../../clinical/taper.js';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { IsDecimal } from '../../../common/validation/decimal.js';
import { trim } from '../../../common/validation/transforms.js';
import { IsSafeText } from '../../../common/validation/safe-text.js';

const FORMULATIONS: OpioidFormulation[] = ['IR', 'ER', 'TRANSDERMAL'];
const UNITS: DoseUnit[] = ['mg', 'mcg/h'];
const BASES: TaperBasis[] = ['START', 'CURRENT'];
const DOSE = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 } as const;
const PERCENT = { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 } as const;

/** A product: one drug in one formulation (what an order is for, or what a rotation replaces). */
export class ProductDto {
  @ApiProperty({ example: 'oxycodone' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(50)
  drug: string;

  @ApiProperty({ enum: FORMULATIONS }) @IsIn(FORMULATIONS)
  formulation: OpioidFormulation;
}

export class CreateTaperOrderRequest {
  @ApiProperty({ example: 'oxycodone' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(50)
  drug: string;

  @ApiProperty({ enum: FORMULATIONS }) @IsIn(FORMULATIONS)
  formulation: OpioidFormulation;

  @ApiProperty({ example: 60, description: 'mg per day (mcg/h for a patch).' }) @IsDecimal(DOSE) @Min(0.001) @Max(100_000)
  startDailyDose: number;

  @ApiProperty({ enum: UNITS }) @IsIn(UNITS)
  unit: DoseUnit;

  @ApiProperty({ type: [Number], example: [5, 10], description: 'Strengths available; doses are multiples of the smallest (or of half of it).' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsDecimal(DOSE, { each: true }) @Min(0.001, { each: true })
  unitStrengths: number[];

  @ApiProperty() @IsBoolean()
  allowHalfTablets: boolean;

  @ApiProperty({ example: 10, description: 'Percent cut per step (of the start or the current dose, see basis).' })
  @IsDecimal(PERCENT) @Min(0.01) @Max(100)
  reductionPercent: number;

  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(365)
  intervalDays: number;

  @ApiProperty({ enum: BASES, description: 'START: cut a percent of the start dose until 30% remains, then of the current dose (CDC). CURRENT: always of the current dose.' })
  @IsIn(BASES)
  basis: TaperBasis;

  @ApiProperty({ format: 'date', example: '2027-01-04' }) @IsCalendarDate()
  startDate: string;

  @ApiProperty({ example: 0 }) @IsDecimal(DOSE) @Min(0) @Max(100_000)
  targetDailyDose: number;

  @ApiPropertyOptional({ type: String, description: 'Required to order a rate faster than guidance, a large single cut, a start above the intake dose, or more MME in force than at intake.' }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string;

  @ApiPropertyOptional({ type: String, description: 'Required to stop from more than the smallest strength per day.' }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  lifeThreateningReason?: string;

  @ApiPropertyOptional({ type: ProductDto, description: 'An opioid rotation: the intake product this order replaces (with rotationReason).' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ProductDto)
  replaces?: ProductDto;

  @ApiPropertyOptional({ type: String, description: "Why the psychiatrist rotates to another opioid; with replaces." }) @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  rotationReason?: string;

  @ApiPropertyOptional({
    type: Boolean,
    description: 'With replaces: give both products for a while (a cross-taper, counted together against the intake MME). Without it, signing the rotation stops the replaced product\'s order on the rotation\'s first day.',
  })
  @IsOptional() @IsBoolean()
  crossTaper?: boolean;
}

export class AmendTaperOrderRequest {
  @ApiProperty({ format: 'date', description: 'Today or later; steps already started are kept.' }) @IsCalendarDate()
  effectiveFrom: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, description: 'Hold the current dose this many days; all later steps shift.' })
  @IsOptional() @IsInt() @Min(1) @Max(365)
  pauseDays?: number;

  @ApiPropertyOptional() @IsOptional() @IsDecimal(PERCENT) @Min(0.01) @Max(100)
  reductionPercent?: number;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(365)
  intervalDays?: number;

  @ApiProperty({ maxLength: 2000, example: 'COWS 14 on two days; holding the dose.' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ type: String, description: 'Required when the new rate is faster than guidance, or when the orders in force would exceed the intake MME.' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  overrideReason?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'End the pause in force on effectiveFrom early (the reason says why). Without it a pause in force is kept.' })
  @IsOptional() @IsBoolean()
  endPause?: boolean;
}

export class DiscontinueTaperOrderRequest {
  @ApiProperty({ format: 'date', description: 'The first day without doses of this order: today or later. Steps started before it are kept.' }) @IsCalendarDate()
  effectiveFrom: string;

  @ApiProperty({ maxLength: 2000, example: 'Rotated to morphine IR from this day.' }) @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  reason: string;

  @ApiPropertyOptional({ type: String, description: 'Required to stop from more than the smallest strength a day, unless a signed rotation replaces this product by that day.' })
  @IsOptional() @Transform(trim) @IsString() @IsSafeText() @MinLength(1) @MaxLength(2000)
  lifeThreateningReason?: string;
}

export class ListTaperOrdersQuery extends PageQuery {}
