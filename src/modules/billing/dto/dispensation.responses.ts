import { ApiProperty } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { ChargeEntity } from '../entities/charge.entity.js';
import type { DispensationEntity } from '../entities/dispensation.entity.js';
import { DISPENSING_FORMULATIONS, DISPENSING_UNITS } from './dispensation.requests.js';

export class DispensationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({ enum: DISPENSING_FORMULATIONS, nullable: true, description: 'The product: a taper’s formulation; null for a pain-plan or as-needed drug (and for one recorded before formulations were kept, when its product was not known).' })
  formulation: string | null;
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
  @ApiProperty({ type: [WarningDto], description: 'ABOVE_ORDER_SUPPLY or STRENGTH_NOT_ORDERED when let through by overrideReason.' }) warnings: WarningDto[];
  @ApiProperty({ format: 'uuid' }) dispensedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'A voided dispensation stays on record and counts toward nothing: not the balance, the supply check or the discharge date; its charge is void too.' }) voided: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) voidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
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
    formulation: dispensation.formulation,
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
    voided: dispensation.voidedAt !== null,
    voidedAt: dispensation.voidedAt?.toISOString() ?? null,
    voidedBy: dispensation.voidedBy,
    voidReason: dispensation.voidReason,
  };
}
