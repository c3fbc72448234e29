import { ApiProperty } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';
import { TAPER_ORDER_STATUSES, type RecordedPause, type TaperOrderEntity, type TaperOrderStatus } from '../taper-order.entity.js';
import type { TaperStepEntity } from '../taper-step.entity.js';

export class TaperStepDto {
  @ApiProperty() step: number;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null where MME does not apply (buprenorphine).' }) dailyMme: number | null;
  @ApiProperty({ description: 'Cut from the previous step, % of that dose.' }) reductionPercent: number;
  @ApiProperty() percentOfStart: number;
}

export class PauseDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty() days: number;
  @ApiProperty() reason: string;
}

export class ReplacedProductDto {
  @ApiProperty() drug: string;
  @ApiProperty({ enum: ['IR', 'ER', 'TRANSDERMAL'] }) formulation: string;
}

export class TaperVersionSummary {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: TAPER_ORDER_STATUSES }) status: TaperOrderStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) amendmentReason: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) supersededFrom: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TaperOrderResponse {
  @ApiProperty({ format: 'uuid', description: 'This version.' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The order all its versions share (the id of version 1).' }) orderId: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: TAPER_ORDER_STATUSES }) status: TaperOrderStatus;
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'uuid' }) patientId: string;
  @ApiProperty() drug: string;
  @ApiProperty({ enum: ['IR', 'ER', 'TRANSDERMAL'] }) formulation: string;
  @ApiProperty({ enum: ['mg', 'mcg/h'] }) unit: string;
  @ApiProperty() startDailyDose: number;
  @ApiProperty({ type: [Number] }) unitStrengths: number[];
  @ApiProperty() allowHalfTablets: boolean;
  @ApiProperty() reductionPercent: number;
  @ApiProperty() intervalDays: number;
  @ApiProperty({ enum: ['START', 'CURRENT'] }) basis: string;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty() targetDailyDose: number;
  @ApiProperty({ type: String, nullable: true }) overrideReason: string | null;
  @ApiProperty({ type: String, nullable: true }) lifeThreateningReason: string | null;
  @ApiProperty({ type: ReplacedProductDto, nullable: true, description: 'An opioid rotation: the intake product this order replaces.' }) replaces: ReplacedProductDto | null;
  @ApiProperty({ type: String, nullable: true }) rotationReason: string | null;
  @ApiProperty({ description: 'A rotation given beside the product it replaces (a cross-taper); false for any other order.' }) crossTaper: boolean;
  @ApiProperty({ type: [TaperStepDto] }) steps: TaperStepDto[];
  @ApiProperty({ format: 'date' }) endsOn: string;
  @ApiProperty({ description: 'This version stops the order (a discontinue, or the stop a rotation made of the product it replaces).' }) discontinued: boolean;
  @ApiProperty({
    type: [WarningDto],
    description:
      'Accepted, but flagged: INTERVAL_STRETCHED, SINGLE_CUT_LIMITED, FASTER_THAN_LONG_TERM_GUIDANCE, METHADONE_CAUTION, FENTANYL_PATCH_CAUTION, ' +
      'MME_NOT_APPLICABLE, ROTATION_CROSS_TOLERANCE, ROTATION_MME_NOT_COMPARABLE, STOPPED_BEFORE_FIRST_DOSE (the product a stop before the first dose leaves unordered); and a refusal let through by a recorded reason ' +
      '(FASTER_THAN_GUIDANCE, ABRUPT_DISCONTINUATION, LARGE_SINGLE_CUT, ABOVE_INTAKE_DOSE, ABOVE_INTAKE_MME).',
  })
  warnings: WarningDto[];
  @ApiProperty({ type: [PauseDto] }) pauses: RecordedPause[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supersedesId: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) amendmentReason: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) supersededFrom: string | null;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) signedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) signedAt: string | null;
}

export class TaperOrderWithVersions extends TaperOrderResponse {
  @ApiProperty({ type: [TaperVersionSummary], description: 'Every version of the order, oldest first.' }) versions: TaperVersionSummary[];
}

export class TaperOrderPage {
  @ApiProperty({ type: [TaperOrderResponse], description: 'The latest version of each order of the admission, in the order those versions were created.' }) items: TaperOrderResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function toStepDto(step: TaperStepEntity): TaperStepDto {
  return {
    step: step.step,
    startsOn: step.startsOn,
    dailyDose: step.dailyDose,
    dailyMme: step.dailyMme,
    reductionPercent: step.reductionPercent,
    percentOfStart: step.percentOfStart,
  };
}

export function toTaperOrderResponse(order: TaperOrderEntity, steps: readonly TaperStepEntity[]): TaperOrderResponse {
  return {
    id: order.id,
    orderId: order.orderId,
    version: order.version,
    status: order.status,
    admissionId: order.admissionId,
    patientId: order.patientId,
    drug: order.drug,
    formulation: order.formulation,
    unit: order.unit,
    startDailyDose: order.startDailyDose,
    unitStrengths: order.unitStrengths,
    allowHalfTablets: order.allowHalfTablets,
    reductionPercent: order.reductionPercent,
    intervalDays: order.intervalDays,
    basis: order.basis,
    startDate: order.startDate,
    targetDailyDose: order.targetDailyDose,
    overrideReason: order.overrideReason,
    lifeThreateningReason: order.lifeThreateningReason,
    replaces: order.replacesDrug && order.replacesFormulation ? { drug: order.replacesDrug, formulation: order.replacesFormulation } : null,
    rotationReason: order.rotationReason,
    crossTaper: order.crossTaper,
    steps: [...steps].sort((a, b) => a.step - b.step).map(toStepDto),
    endsOn: order.endsOn,
    discontinued: order.discontinued,
    warnings: order.warnings,
    pauses: order.pauses,
    supersedesId: order.supersedesId,
    effectiveFrom: order.effectiveFrom,
    amendmentReason: order.amendmentReason,
    supersededFrom: order.supersededFrom,
    createdBy: order.createdBy,
    createdAt: order.createdAt.toISOString(),
    signedBy: order.signedBy,
    signedAt: order.signedAt?.toISOString() ?? null,
  };
}

export function toVersionSummary(order: TaperOrderEntity): TaperVersionSummary {
  return {
    id: order.id,
    version: order.version,
    status: order.status,
    effectiveFrom: order.effectiveFrom,
    amendmentReason: order.amendmentReason,
    supersededFrom: order.supersededFrom,
    createdAt: order.createdAt.toISOString(),
  };
}
