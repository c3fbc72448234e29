import { ApiProperty } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { MedicationStatus, PainMedicationEntity } from '../pain-medication.entity.js';
import { THERAPY_TYPES, type PainTherapyEntity, type TherapyType } from '../pain-therapy.entity.js';
import { AsNeededOrderResponse } from './as-needed.responses.js';
import { MEDICATION_ROUTES, MEDICATION_UNITS } from './pain-plan.requests.js';

const MEDICATION_STATUSES: MedicationStatus[] = ['ACTIVE', 'DISCONTINUED'];

export class OverriddenCheckDto {
  @ApiProperty({ example: 'NSAID_CONTRAINDICATED' }) code: string;
  @ApiProperty() message: string;
}

export class PainMedicationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: MEDICATION_STATUSES }) status: MedicationStatus;
  @ApiProperty({ example: 'ibuprofen', description: 'Canonical (lower-case) drug code.' }) drug: string;
  @ApiProperty({ example: 400 }) dose: number;
  @ApiProperty({ enum: MEDICATION_UNITS }) unit: string;
  @ApiProperty({ example: 3 }) timesPerDay: number;
  @ApiProperty({ enum: MEDICATION_ROUTES }) route: string;
  @ApiProperty({ type: String, nullable: true }) indication: string | null;
  @ApiProperty({ example: 1200, description: 'dose × timesPerDay, in `unit`.' }) dailyDose: number;
  @ApiProperty({
    example: 2400,
    description:
      "The drug's limit a day that applied to this patient when ordered, in `unit`: the default, a lower one where a risk factor reduces it " +
      '(paracetamol 2000 with hepatic impairment or heavy alcohol use), or the kidney row where that is lower (gabapentin at a creatinine clearance of 40: 1400). ' +
      'An order above it was accepted only with an override (see `overridden`). For paracetamol it is the patient\'s limit for every source together ' +
      '(this order, as-needed paracetamol and the paracetamol of combination opioids), not what this order may use of it: the record refuses a dose that ' +
      'would bring the paracetamol given from every source in any 24 hours above this figure.',
  })
  maxDailyDose: number;
  @ApiProperty({ type: [WarningDto], description: 'Accepted, but to be read: e.g. TCA_SEDATION_FALLS, GABAPENTINOID_RESPIRATORY_DEPRESSION.' }) warnings: WarningDto[];
  @ApiProperty({ type: [OverriddenCheckDto], description: 'Refusals let through by the override reason.' }) overridden: OverriddenCheckDto[];
  @ApiProperty({ type: String, nullable: true }) overrideReason: string | null;
  @ApiProperty({ format: 'uuid' }) orderedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) discontinuedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) discontinuedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) discontinueReason: string | null;
}

export class PainTherapyResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: THERAPY_TYPES }) type: TherapyType;
  @ApiProperty({ example: '3 times a week' }) frequency: string;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ format: 'uuid' }) orderedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PainPlanResponse {
  @ApiProperty({ type: [PainMedicationResponse], description: 'ACTIVE orders first, then DISCONTINUED ones; each group newest first.' })
  medications: PainMedicationResponse[];

  @ApiProperty({ type: [AsNeededOrderResponse], description: 'As-needed orders: ACTIVE first, then DISCONTINUED; each group newest first.' })
  asNeeded: AsNeededOrderResponse[];

  @ApiProperty({ type: [PainTherapyResponse], description: 'Newest first.' })
  therapies: PainTherapyResponse[];
}

export function toPainMedicationResponse(medication: PainMedicationEntity): PainMedicationResponse {
  return {
    id: medication.id,
    admissionId: medication.admissionId,
    patientId: medication.patientId,
    status: medication.status,
    drug: medication.drug,
    dose: medication.dose,
    unit: medication.unit,
    timesPerDay: medication.timesPerDay,
    route: medication.route,
    indication: medication.indication,
    dailyDose: medication.dailyDose,
    maxDailyDose: medication.maxDailyDose,
    warnings: medication.warnings.map(({ code, message }) => ({ code, message })),
    overridden: medication.overridden.map(({ code, message }) => ({ code, message })),
    overrideReason: medication.overrideReason,
    orderedBy: medication.orderedBy,
    createdAt: medication.createdAt.toISOString(),
    discontinuedAt: medication.discontinuedAt?.toISOString() ?? null,
    discontinuedBy: medication.discontinuedBy,
    discontinueReason: medication.discontinueReason,
  };
}

export function toPainTherapyResponse(therapy: PainTherapyEntity): PainTherapyResponse {
  return {
    id: therapy.id,
    admissionId: therapy.admissionId,
    patientId: therapy.patientId,
    type: therapy.type,
    frequency: therapy.frequency,
    notes: therapy.notes,
    orderedBy: therapy.orderedBy,
    createdAt: therapy.createdAt.toISOString(),
  };
}
