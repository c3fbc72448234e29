import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../../common/pagination/page-query.dto.js';
import { IsCalendarDate } from '../../../common/validation/calendar-date.js';
import { trim } from '../../../common/validation/transforms.js';
import type { ChargeEntity } from '../entities/charge.entity.js';
import { CONSULT_KINDS, type ConsultKind, type PsychConsultEntity } from '../entities/psych-consult.entity.js';
import { IDEMPOTENCY_KEY } from './charge.dto.js';

export class RecordConsultRequest {
  @ApiProperty({ format: 'date', example: '2027-01-11', description: 'The day of the consultation; not before the admission (422 DATE_OUTSIDE_STAY).' })
  @IsCalendarDate()
  date: string;

  @ApiProperty({ enum: CONSULT_KINDS, description: 'INTAKE and ROUTINE are included up to the quota; ADDITIONAL is always billed.' })
  @IsIn(CONSULT_KINDS)
  kind: ConsultKind;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ description: 'A retry with the same key returns the first consult (200) and creates nothing; generated when absent.', example: 'consult-2027-01-11-a' })
  @IsOptional() @IsString() @Matches(IDEMPOTENCY_KEY, { message: 'must be 1–200 printable characters without spaces' })
  idempotencyKey?: string | null;
}

export class ListConsultsQuery extends PageQuery {}

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
  };
}
