import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WarningDto } from '../../../common/http/warning.dto.js';

// OpenAPI description of HandoffSummary (handoff-summary.ts), the JSON form of the handoff.

class RecipientDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) practice: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

class StayDto {
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiProperty({ format: 'date' }) dischargedOn: string;
  @ApiProperty() days: number;
  @ApiProperty() pathway: string;
  @ApiProperty() viaPartnerHospital: boolean;
}

class IntakeOpioidDto {
  @ApiProperty() drug: string;
  @ApiProperty() formulation: string;
  @ApiProperty() dose: number;
  @ApiProperty() unit: string;
  @ApiProperty() timesPerDay: number;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: Number, nullable: true }) dailyMme: number | null;
  @ApiProperty() monthsOnTherapy: number;
  @ApiProperty() prescribed: boolean;
}

class IntakeDto {
  @ApiProperty({ format: 'date' }) assessedOn: string;
  @ApiProperty({ type: [IntakeOpioidDto] }) opioids: IntakeOpioidDto[];
  @ApiProperty() totalDailyMme: number;
  @ApiProperty() factorTable: string;
  @ApiProperty() longActing: boolean;
  @ApiProperty({ enum: ['PHYSICAL_DEPENDENCE', 'OPIOID_USE_DISORDER', 'NO_DEPENDENCE_FOUND'] }) classification: string;
  @ApiProperty({ description: 'Careful wording: dependence alone is an expected effect of treatment, not addiction.' }) classificationText: string;
  @ApiProperty({ type: Object }) dsm5: Record<string, unknown>;
  @ApiProperty({ type: Object }) pain: Record<string, unknown>;
  @ApiProperty() hyperalgesiaSuspected: boolean;
}

class TaperStepSummaryDto {
  @ApiProperty() step: number;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty() dailyMme: number;
}

class TaperHistoryDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() drug: string;
  @ApiProperty() formulation: string;
  @ApiProperty() unit: string;
  @ApiProperty({ type: Object, description: '{ date, dailyDose, dailyMme }' }) start: Record<string, unknown>;
  @ApiProperty({ type: Object, description: '{ since, dailyDose, dailyMme }: the dose on the day of discharge' }) atDischarge: Record<string, unknown>;
  @ApiProperty() completed: boolean;
  @ApiProperty() targetDailyDose: number;
  @ApiProperty() basis: string;
  @ApiProperty() reductionPercent: number;
  @ApiProperty() intervalDays: number;
  @ApiProperty({ type: [Object], description: 'Each signed version: signedOn, effectiveFrom, reason, rate.' }) versions: Record<string, unknown>[];
  @ApiProperty({ type: [Object], description: '{ from, days, reason }' }) pauses: Record<string, unknown>[];
  @ApiProperty({ type: [TaperStepSummaryDto] }) stepsTaken: TaperStepSummaryDto[];
  @ApiProperty({ type: [TaperStepSummaryDto], description: 'Scheduled after discharge.' }) remainingSteps: TaperStepSummaryDto[];
}

class PainTrendDto {
  @ApiProperty({ enum: ['HYPERALGESIA_LIKELY_CONTRIBUTED', 'PAIN_ROSE_AS_DOSE_FELL', 'NO_CLEAR_TREND', 'INSUFFICIENT_DATA'] }) finding: string;
  @ApiProperty({ type: Number, nullable: true }) rankCorrelation: number | null;
  @ApiProperty() pairedDays: number;
  @ApiProperty({ type: Object }) firstWeek: Record<string, unknown>;
  @ApiProperty({ type: Object }) lastWeek: Record<string, unknown>;
  @ApiProperty({ description: 'A finding, not a diagnosis.' }) text: string;
}

export class HandoffSummaryDto {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: Object, description: 'The clinic to contact with questions.' }) clinic: Record<string, unknown>;
  @ApiProperty({ type: RecipientDto }) recipient: RecipientDto;
  @ApiProperty({ type: Object, description: '{ recordedOn }' }) consent: Record<string, unknown>;
  @ApiProperty({ type: Object }) patient: Record<string, unknown>;
  @ApiProperty({ type: StayDto }) stay: StayDto;
  @ApiProperty({ type: IntakeDto }) intake: IntakeDto;
  @ApiProperty({ type: [TaperHistoryDto] }) tapers: TaperHistoryDto[];
  @ApiProperty({ type: Object, description: '{ atIntake, atTaperStart, atDischarge, daily: [{ date, mme }] }' }) mme: Record<string, unknown>;
  @ApiProperty({ type: Object, description: '{ active: [...], stopped: [...], therapies: [...] }' }) painPlan: Record<string, unknown>;
  @ApiProperty({ type: Object, description: '{ readings, highest, last }' }) cows: Record<string, unknown>;
  @ApiProperty({ type: [Object] }) painScores: Record<string, unknown>[];
  @ApiProperty({ type: PainTrendDto }) painTrend: PainTrendDto;
  @ApiProperty({ type: [WarningDto] }) risks: WarningDto[];
  @ApiPropertyOptional({ type: Object, description: '{ checkIns: [{ dueOn, status, notes }] }' }) aftercare: Record<string, unknown>;
}
