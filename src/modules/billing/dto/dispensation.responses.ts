import { ApiProperty } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { ChargeEntity } from '../entities/charge.entity.js';
import type { DispensationEntity } from '../entities/dispensation.entity.js';
import { DISPENSING_UNITS } from './dispensation.requests.js';

export class DispensationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({ example: 5 }) strength: number;
  @ApiProperty({ enum: DISPENSING_UNITS }) unit: string;
  @ApiProperty({ example: 56 }) quantity: number;
  @ApiProperty({ format: 'date' }) dispensedOn: string;
  @ApiProperty({ format: 'uuid', description: 'The MEDICATION charge made with it.' }) chargeId: string;
  @ApiProperty({ example: 'Oxycodone 5 mg tablet' }) description: string;
  @ApiProperty({ description: 'Formulary price per unit on dispensedOn, minor units (satang).' }) unitPriceMinor: number;
  @ApiProperty({ description: 'quantity × unitPriceMinor, rounded half up.' }) amountMinor: number;
  @ApiProperty({ example: 'THB' }) currency: string;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty({ type: String, nullable: true, description: 'Why the stock on hand with this dispensation came to more than seven days of the orders’ need.' }) overrideReason: string | null;
  @ApiProperty({ type: [WarningDto], description: 'ABOVE_ORDER_SUPPLY when let through by overrideReason.' }) warnings: WarningDto[];
  @ApiProperty({ format: 'uuid' }) dispensedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DispensationPage {
  @ApiProperty({ type: [DispensationResponse] }) items: DispensationResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toDispensationResponse(dispensation: DispensationEntity, charge: ChargeEntity): DispensationResponse {
  return {
    id: dispensation.id,
    admissionId: dispensation.admissionId,
    patientId: dispensation.patientId,
    drug: dispensation.drug,
    strength: dispensation.strength,
    unit: dispensation.unit,
    quantity: dispensation.quantity,
    dispensedOn: dispensation.dispensedOn,
    chargeId: dispensation.chargeId,
    description: charge.description,
    unitPriceMinor: charge.unitPriceMinor,
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    idempotencyKey: dispensation.idempotencyKey,
    overrideReason: dispensation.overrideReason,
    warnings: dispensation.warnings,
    dispensedBy: dispensation.dispensedBy,
    createdAt: dispensation.createdAt.toISOString(),
  };
}
