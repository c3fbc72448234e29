import { ApiProperty } from '@nestjs/swagger';
import { CHARGE_SOURCES, type ChargeEntity, type ChargeSource } from '../entities/charge.entity.js';

export class ChargeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() itemCode: string;
  @ApiProperty({ type: String, nullable: true }) product: string | null;
  @ApiProperty() description: string;
  @ApiProperty() quantity: number;
  @ApiProperty() unitPriceMinor: number;
  @ApiProperty() amountMinor: number;
  @ApiProperty({ example: 'THB' }) currency: string;
  @ApiProperty({ format: 'date' }) serviceDate: string;
  @ApiProperty({ enum: CHARGE_SOURCES }) source: ChargeSource;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The live invoice it is on, if any.' }) invoiceId: string | null;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when the charge was voided: it stays listed, is never invoiced and counts toward nothing.' }) voidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) voidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
}

export class ChargePage {
  @ApiProperty({ type: [ChargeResponse] }) items: ChargeResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toChargeResponse(charge: ChargeEntity, invoiceId: string | null): ChargeResponse {
  return {
    id: charge.id,
    admissionId: charge.admissionId,
    patientId: charge.patientId,
    itemCode: charge.itemCode,
    product: charge.product || null,
    description: charge.description,
    quantity: charge.quantity,
    unitPriceMinor: charge.unitPriceMinor,
    amountMinor: charge.amountMinor,
    currency: charge.currency,
    serviceDate: charge.serviceDate,
    source: charge.source,
    invoiceId,
    idempotencyKey: charge.idempotencyKey,
    createdBy: charge.createdBy,
    createdAt: charge.createdAt.toISOString(),
    voidedAt: charge.voidedAt?.toISOString() ?? null,
    voidedBy: charge.voidedBy ?? null,
    voidReason: charge.voidReason ?? null,
  };
}
