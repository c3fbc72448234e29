import { ApiProperty } from '@nestjs/swagger';
import { asNeededDailyMaximum } from '../../../clinical/as-needed.js';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { AsNeededOrderEntity } from '../as-needed-order.entity.js';
import type { MedicationStatus } from '../pain-medication.entity.js';

export class AsNeededOrderResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: ['ACTIVE', 'DISCONTINUED'] }) status: MedicationStatus;
  @ApiProperty({ example: 'clonidine' }) drug: string;
  @ApiProperty({ example: 0.1 }) dose: number;
  @ApiProperty({ enum: ['mg'] }) unit: string;
  @ApiProperty({ example: 'ORAL' }) route: string;
  @ApiProperty({ example: 6 }) minIntervalHours: number;
  @ApiProperty({ example: 4 }) maxDosesPerDay: number;
  @ApiProperty({ description: 'dose × maxDosesPerDay: the most in a day, in `unit`.' }) maxDailyDose: number;
  @ApiProperty() indication: string;
  @ApiProperty({ type: Number, nullable: true }) cowsThreshold: number | null;
  @ApiProperty({ type: [WarningDto] }) warnings: WarningDto[];
  @ApiProperty({ type: [WarningDto], description: 'Refusals let through by the override reason.' }) overridden: WarningDto[];
  @ApiProperty({ type: String, nullable: true }) overrideReason: string | null;
  @ApiProperty({ format: 'uuid' }) orderedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) discontinuedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) discontinuedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) discontinueReason: string | null;
}

export function toAsNeededOrderResponse(order: AsNeededOrderEntity): AsNeededOrderResponse {
  return {
    id: order.id,
    admissionId: order.admissionId,
    patientId: order.patientId,
    status: order.status,
    drug: order.drug,
    dose: order.dose,
    unit: order.unit,
    route: order.route,
    minIntervalHours: order.minIntervalHours,
    maxDosesPerDay: order.maxDosesPerDay,
    maxDailyDose: asNeededDailyMaximum(order),
    indication: order.indication,
    cowsThreshold: order.cowsThreshold,
    warnings: order.warnings,
    overridden: order.overridden,
    overrideReason: order.overrideReason,
    orderedBy: order.orderedBy,
    createdAt: order.createdAt.toISOString(),
    discontinuedAt: order.discontinuedAt?.toISOString() ?? null,
    discontinuedBy: order.discontinuedBy,
    discontinueReason: order.discontinueReason,
  };
}
