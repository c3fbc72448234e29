import { ApiProperty } from '@nestjs/swagger';
import { ADMINISTRATION_OUTCOMES, type AdministrationOutcome } from '../../../clinical/administration.js';
import { WarningDto } from '../../../common/http/warning.dto.js';
import { ORDER_KINDS, type AdministrationEntity, type OrderKind } from '../administration.entity.js';

export class AdministrationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty({ enum: ORDER_KINDS }) orderKind: OrderKind;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'A taper dose: the version of the order in force when it was recorded.' }) versionId: string | null;
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({ type: String, nullable: true, example: 'IR', description: 'A taper dose: the formulation of the order.' }) formulation: string | null;
  @ApiProperty({ example: 10 }) dose: number;
  @ApiProperty({ example: 'mg' }) unit: string;
  @ApiProperty({ format: 'date-time' }) givenAt: string;
  @ApiProperty({ format: 'date', description: "givenAt on the clinic's calendar: the day whose limits the dose counts toward." }) givenOn: string;
  @ApiProperty({ enum: ADMINISTRATION_OUTCOMES }) outcome: AdministrationOutcome;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'uuid' }) givenBy: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) witnessId: string | null;
  @ApiProperty({ type: [WarningDto], description: 'STOCK_NOT_DISPENSED: more given than dispensed for this admission.' }) warnings: WarningDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ description: 'A voided entry stays on record and counts toward nothing.' }) voided: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) voidedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) voidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) voidReason: string | null;
}

export class AdministrationPage {
  @ApiProperty({ type: [AdministrationResponse], description: 'In the order given (givenAt), then recorded.' }) items: AdministrationResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class MedicationBalanceItem {
  @ApiProperty({ example: 'oxycodone' }) drug: string;
  @ApiProperty({
    type: String, nullable: true, example: 'IR', enum: ['IR', 'ER', 'TRANSDERMAL'],
    description: 'With drug, the product: oxycodone IR and ER are two lines. null for a pain-plan or as-needed drug, and for stock dispensed before formulations were kept whose product was not known.',
  })
  formulation: string | null;
  @ApiProperty({ example: 'mg', description: 'Amounts are in mg (tablets), mcg/h (fentanyl patches) or patches (lidocaine).' }) unit: string;
  @ApiProperty({ example: 350, description: 'Dispensed for this admission (void dispensations aside), in the unit doses are given in (tablets: units × strength; lidocaine: whole patches).' }) dispensed: number;
  @ApiProperty({ example: 300, description: 'Given (entries GIVEN, not void) under orders of this product.' }) given: number;
  @ApiProperty({ example: 50, description: 'dispensed − given; below 0 when more was given than dispensed.' }) onHand: number;
}

export class MedicationBalanceResponse {
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ type: [MedicationBalanceItem] }) items: MedicationBalanceItem[];
}

export function toAdministrationResponse(entry: AdministrationEntity): AdministrationResponse {
  return {
    id: entry.id,
    admissionId: entry.admissionId,
    patientId: entry.patientId,
    orderKind: entry.orderKind,
    orderId: entry.orderId,
    versionId: entry.versionId,
    drug: entry.drug,
    formulation: entry.formulation,
    dose: entry.dose,
    unit: entry.unit,
    givenAt: entry.givenAt.toISOString(),
    givenOn: entry.givenOn,
    outcome: entry.outcome,
    reason: entry.reason,
    givenBy: entry.givenBy,
    witnessId: entry.witnessId,
    warnings: entry.warnings,
    createdAt: entry.createdAt.toISOString(),
    voided: entry.voidedAt !== null,
    voidedAt: entry.voidedAt?.toISOString() ?? null,
    voidedBy: entry.voidedBy,
    voidReason: entry.voidReason,
  };
}
