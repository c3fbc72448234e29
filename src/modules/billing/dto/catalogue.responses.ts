import { ApiProperty } from '@nestjs/swagger';
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
