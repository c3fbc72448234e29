import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { trim } from '../../../common/validation/transforms.js';
import { COVERAGES, PRICINGS, type Coverage, type Pricing } from '../entities/billing-item.entity.js';

export class CatalogueItem {
  @ApiProperty({ example: 'SPA_MASSAGE' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: COVERAGES }) coverage: Coverage;
  @ApiProperty({ enum: PRICINGS, description: 'FIXED: catalogue price; VARIABLE: price given with each charge; FORMULARY: per dispensed unit; FEE: per 30 days.' })
  pricing: Pricing;
  @ApiProperty({ type: Number, nullable: true, description: 'Today’s price in minor units (satang) for FIXED and FEE items; null otherwise.' })
  unitPriceMinor: number | null;
  @ApiProperty({ example: 'THB' }) currency: string;
}

export class PriceResponse {
  @ApiProperty() itemCode: string;
  @ApiProperty({ type: String, nullable: true, example: 'oxycodone:5:mg' }) product: string | null;
  @ApiProperty({ example: 'Oxycodone 5 mg tablet' }) label: string;
  @ApiProperty() unitPriceMinor: number;
  @ApiProperty() currency: string;
  @ApiProperty({ format: 'date' }) validFrom: string;
}

export class PriceListResponse {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ type: [PriceResponse] }) items: PriceResponse[];
}

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

  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200)
  label?: string;

  @ApiProperty({ description: 'Minor units (satang).' }) @IsInt() @Min(0) @Max(1_000_000_000_000)
  unitPriceMinor: number;

  @ApiProperty({ format: 'date' }) @IsCalendarDate()
  validFrom: string;
}
