import { ApiProperty } from '@nestjs/swagger';
import type { ChargeEntity } from '../entities/charge.entity.js';
import { CONSULT_KINDS, type ConsultKind, type PsychConsultEntity } from '../entities/psych-consult.entity.js';

export class ConsultResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty({ enum: CONSULT_KINDS }) kind: ConsultKind;
  @ApiProperty({ type: String, nullable: true, description: 'Shown to psychiatrists only; null for other roles.' }) notes: string | null;
  @ApiProperty({ description: 'Past the included quota (or ADDITIONAL): billed as EXTRA_PSYCH_CONSULT.' }) billable: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) chargeId: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Minor units (satang) of the charge.' }) chargeAmountMinor: number | null;
  @ApiProperty({ type: String, nullable: true, example: 'THB' }) currency: string | null;
  @ApiProperty() idempotencyKey: string;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'A voided consult stays on record and counts toward nothing: not the included quota or the discharge date; its charge is void too.' }) voided: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) voidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
}

export class ConsultPage {
  @ApiProperty({ type: [ConsultResponse] }) items: ConsultResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

/** `withNotes` false: the clinical notes are withheld (billing staff need the visit, not what was said). */
export function toConsultResponse(consult: PsychConsultEntity, charge: ChargeEntity | null, withNotes: boolean): ConsultResponse {
  return {
    id: consult.id,
    admissionId: consult.admissionId,
    patientId: consult.patientId,
    date: consult.date,
    kind: consult.kind,
    notes: withNotes ? consult.notes : null,
    billable: consult.billable,
    chargeId: consult.chargeId,
    chargeAmountMinor: charge?.amountMinor ?? null,
    currency: charge?.currency ?? null,
    idempotencyKey: consult.idempotencyKey,
    createdBy: consult.createdBy,
    createdAt: consult.createdAt.toISOString(),
    // A consult just inserted has no void columns set on the entity (undefined): not void.
    voided: Boolean(consult.voidedAt),
    voidedAt: consult.voidedAt?.toISOString() ?? null,
    voidedBy: consult.voidedBy ?? null,
    voidReason: consult.voidReason ?? null,
  };
}
