import { ApiProperty } from '@nestjs/swagger';
import { PAIN_TREND_FINDINGS, type PainTrendFinding } from '../../../clinical/pain-trend.js';
import type { CowsBand } from '../../../clinical/cows.js';
import type { DependenceClassification, Dsm5Severity } from '../../../clinical/dsm5.js';
import { WarningDto } from '../../../common/http/warning.dto.js';
import type { HandoffSummary } from '../handoff-summary.js';

// The OpenAPI description of HandoffSummary (handoff-summary.ts), the JSON form of the handoff.
// DTO_MATCHES_SUMMARY at the end makes the compiler refuse any drift between the two.

const COWS_BANDS: CowsBand[] = ['NONE', 'MILD', 'MODERATE', 'MODERATELY_SEVERE', 'SEVERE'];
const SEVERITIES: Dsm5Severity[] = ['NONE', 'MILD', 'MODERATE', 'SEVERE'];
const CLASSIFICATIONS: DependenceClassification[] = ['PHYSICAL_DEPENDENCE', 'OPIOID_USE_DISORDER', 'NO_DEPENDENCE_FOUND'];

class ClinicContactDto {
  @ApiProperty({ example: 'Clinic name, or "Clinic (clinic contact not configured)"' }) name: string;
  @ApiProperty({ type: [String], description: 'Address lines.' }) address: string[];
  @ApiProperty({ description: 'As configured; empty when not.' }) phone: string;
  @ApiProperty({ description: 'As configured; empty when not.' }) email: string;
  @ApiProperty({ example: 'tel +66 53 000 000, care@clinic.example', description: 'How to reach the clinic, as printed, or "clinic contact not configured".' }) contact: string;
}

class RecipientDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) practice: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
}

class ConsentSummaryDto {
  @ApiProperty({ format: 'date' }) recordedOn: string;
}

class PatientSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HN-000123', description: 'Hospital number.' }) hn: string;
  @ApiProperty() givenName: string;
  @ApiProperty() familyName: string;
  @ApiProperty({ format: 'date' }) dateOfBirth: string;
  @ApiProperty({ enum: ['female', 'male', 'other', 'unknown'] }) sex: string;
}

class StayDto {
  @ApiProperty({ format: 'uuid' }) admissionId: string;
  @ApiProperty({ format: 'date' }) admittedOn: string;
  @ApiProperty({ format: 'date' }) dischargedOn: string;
  @ApiProperty() days: number;
  @ApiProperty() pathway: string;
  @ApiProperty() viaPartnerHospital: boolean;
}

class OrderStoppedDto {
  @ApiProperty({ format: 'date', description: 'The first day without it: the stop the order was given.' }) from: string;
  @ApiProperty({ example: 'Oversedation with buprenorphine on board', description: 'The discontinue reason.' }) reason: string;
}

class StoppedAtAdmissionDto {
  @ApiProperty({ format: 'date', description: 'The admission day: no dose of it was given by the clinic from then on.' }) on: string;
  @ApiProperty({
    type: OrderStoppedDto,
    nullable: true,
    description: 'A taper order of it was written but stopped before its first dose: from when, and why (the text says so too); null when it was never ordered.',
  })
  orderStoppedBeforeFirstDose: OrderStoppedDto | null;
  @ApiProperty({
    example: 'Stopped at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: do not restart it at the intake dose (20 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.',
  })
  text: string;
}

class IntakeOpioidDto {
  @ApiProperty() drug: string;
  @ApiProperty() formulation: string;
  @ApiProperty() dose: number;
  @ApiProperty() unit: string;
  @ApiProperty({ description: 'Times a day; when taken as needed, the most times a day.' }) timesPerDay: number;
  @ApiProperty({ description: 'Taken as needed (PRN): timesPerDay, dailyDose and dailyMme are the most a day, not a schedule.' }) asNeeded: boolean;
  @ApiProperty({ description: 'dose × timesPerDay (the most a day when as needed).' }) dailyDose: number;
  @ApiProperty({ type: Number, nullable: true }) dailyMme: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 325, description: 'A combination product: the paracetamol in each unit, in mg; null for a product without.' })
  paracetamolPerUnitMg: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1300, description: 'The paracetamol a day from this product (the most a day when as needed), which counts toward the daily paracetamol limit; null for a product without.' })
  paracetamolDailyMg: number | null;
  @ApiProperty() monthsOnTherapy: number;
  @ApiProperty() prescribed: boolean;
  @ApiProperty({
    description: 'An order of the stay covered it (its taper, or a rotation replacing it, from a first dose on); false: none was given by the clinic, as it was never ordered or its order was stopped before its first dose (see stoppedAtAdmission).',
  })
  orderedDuringStay: boolean;
  @ApiProperty({
    type: StoppedAtAdmissionDto,
    nullable: true,
    description: 'No order of the stay covered it (never ordered, or its order stopped before its first dose): stopped at admission. It adds nothing to the MME after the admission day nor at discharge, and the risks repeat it (STOPPED_AT_ADMISSION). null when an order covered it.',
  })
  stoppedAtAdmission: StoppedAtAdmissionDto | null;
}

class Dsm5SummaryDto {
  @ApiProperty() criteriaMet: number;
  @ApiProperty() criteriaCounted: number;
  @ApiProperty({ type: [String], description: 'Criteria not counted (tolerance and withdrawal under supervised use).' }) excluded: string[];
  @ApiProperty({ enum: SEVERITIES }) severity: Dsm5Severity;
}

class IntakePainDto {
  @ApiProperty() condition: string;
  @ApiProperty() score: number;
}

class IntakeDto {
  @ApiProperty({ format: 'date' }) assessedOn: string;
  @ApiProperty({ type: String, nullable: true, description: 'The intake was corrected during the stay: why; null otherwise.' }) correctionReason: string | null;
  @ApiProperty({ type: [IntakeOpioidDto] }) opioids: IntakeOpioidDto[];
  @ApiProperty() totalDailyMme: number;
  @ApiProperty() factorTable: string;
  @ApiProperty() longActing: boolean;
  @ApiProperty({ enum: CLASSIFICATIONS }) classification: DependenceClassification;
  @ApiProperty({ description: 'Careful wording: dependence alone is an expected effect of treatment, not addiction.' }) classificationText: string;
  @ApiProperty({ type: Dsm5SummaryDto }) dsm5: Dsm5SummaryDto;
  @ApiProperty({ type: IntakePainDto }) pain: IntakePainDto;
  @ApiProperty() hyperalgesiaSuspected: boolean;
}

class TaperStepSummaryDto {
  @ApiProperty() step: number;
  @ApiProperty({ format: 'date' }) startsOn: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null where MME does not apply (buprenorphine).' }) dailyMme: number | null;
}

class TaperStartDto {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null where MME does not apply (buprenorphine).' }) dailyMme: number | null;
}

class DoseAtDischargeDto {
  @ApiProperty({ format: 'date' }) since: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null where MME does not apply (buprenorphine).' }) dailyMme: number | null;
}

class TaperVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) signedOn: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) effectiveFrom: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() reductionPercent: number;
  @ApiProperty() intervalDays: number;
}

class PauseDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty() days: number;
  @ApiProperty() reason: string;
}

class ProductDto {
  @ApiProperty() drug: string;
  @ApiProperty() formulation: string;
}

class RotationDto {
  @ApiProperty({ type: ProductDto, description: 'The intake product this order replaced.' }) replaces: ProductDto;
  @ApiProperty() reason: string;
}

class DoseRunDto {
  @ApiProperty({ description: 'The dose given on each day of the run (the sum of the doses GIVEN that day), in the order’s unit.' }) dailyDose: number;
  @ApiProperty({ format: 'date' }) firstDay: string;
  @ApiProperty({ format: 'date' }) lastDay: string;
  @ApiProperty() days: number;
  @ApiProperty({ description: 'The discharge day, on which less than the day’s scheduled dose was given before the patient left (a run of its own).' }) partial: boolean;
}

class TaperDoseGivenDto {
  @ApiProperty({ description: 'In the order’s unit (a patch: its mcg/h).' }) dose: number;
  @ApiProperty({ format: 'date-time' }) givenAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'A patch: when it comes off (applied + the hours a patch is worn); null for a dose by mouth.' }) onUntil: string | null;
}

class NextPatchDto {
  @ApiProperty({ format: 'date-time', description: 'When the patch on comes off.' }) dueAt: string;
  @ApiProperty({ description: 'The strength the taper’s schedule gives that day; 0: no new patch, the taper stops.' }) dose: number;
}

class OpioidDoseDto extends TaperDoseGivenDto {
  @ApiProperty() drug: string;
  @ApiProperty({ type: String, nullable: true }) formulation: string | null;
  @ApiProperty() unit: string;
  @ApiProperty({ type: NextPatchDto, nullable: true, description: 'A patch: the next one due when this one comes off; null for a dose by mouth.' }) nextPatch: NextPatchDto | null;
}

class DoseGivenDto extends OpioidDoseDto {
  @ApiProperty({
    type: [OpioidDoseDto],
    description: 'Every other opioid given at the same instant as this last dose (two products taken together are both the last dose), in the order recorded; empty when this was the only one. Each dose is the total of its order’s entries at that instant.',
  })
  alsoGivenThen: OpioidDoseDto[];
}

class DiscontinuedDto {
  @ApiProperty({ format: 'date', description: 'The first day without this opioid.' }) from: string;
  @ApiProperty() reason: string;
}

class TaperHistoryDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() drug: string;
  @ApiProperty() formulation: string;
  @ApiProperty() unit: string;
  @ApiProperty({ type: TaperStartDto }) start: TaperStartDto;
  @ApiProperty({ type: DoseAtDischargeDto, description: 'The dose in force at discharge: the last step reached (a step due on the discharge day before which the patient left is among remainingSteps).' })
  atDischarge: DoseAtDischargeDto;
  @ApiProperty({ description: 'The schedule reached its target dose by discharge; false for an order stopped before its plan ended.' }) completed: boolean;
  @ApiProperty({ type: DiscontinuedDto, nullable: true, description: 'The order was stopped (a discontinue, or replaced by a rotation): from when and why; null while it follows its plan.' })
  discontinued: DiscontinuedDto | null;
  @ApiProperty() targetDailyDose: number;
  @ApiProperty() basis: string;
  @ApiProperty() reductionPercent: number;
  @ApiProperty() intervalDays: number;
  @ApiProperty({ type: [TaperVersionDto] }) versions: TaperVersionDto[];
  @ApiProperty({ type: [PauseDto] }) pauses: PauseDto[];
  @ApiProperty({ type: RotationDto, nullable: true, description: 'An opioid rotation, with its reason.' }) rotation: RotationDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why a refused schedule (faster rate, large cut, start above the intake) was ordered anyway.' }) overrideReason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why a stop at once was necessary.' }) lifeThreateningReason: string | null;
  @ApiProperty({ type: [WarningDto], description: 'The warnings of the order in force, those let through by a reason included.' }) warnings: WarningDto[];
  @ApiProperty({
    type: [TaperStepSummaryDto],
    description: 'The schedule’s steps reached by discharge (a step due on the discharge day counts only if a dose was given that day); what was actually given is dosesGiven (administration record).',
  })
  stepsTaken: TaperStepSummaryDto[];
  @ApiProperty({ type: [TaperStepSummaryDto], description: 'Still due: scheduled after discharge, and a step due on the discharge day before which the patient left.' })
  remainingSteps: TaperStepSummaryDto[];
  @ApiProperty({ type: TaperDoseGivenDto, nullable: true, description: 'The last dose of this taper given (a patch: applied), or null.' }) lastGiven: TaperDoseGivenDto | null;
  @ApiProperty({ description: 'Days of the stay on which the schedule gave a dose above 0; the discharge day only if something was recorded on it.' }) scheduledDays: number;
  @ApiProperty({ description: 'Scheduled days on which a dose was given (administration record).' }) daysGiven: number;
  @ApiProperty({
    type: [DoseRunDto],
    description: 'The doses actually given (administration record): runs of consecutive days with the same total given each day. A day with nothing given belongs to no run and ends the one before it.',
  })
  dosesGiven: DoseRunDto[];
  @ApiProperty({ type: [String], format: 'date', description: 'Days on which a dose was held (even if another dose was given that day).' }) daysHeld: string[];
  @ApiProperty({ type: [String], format: 'date', description: 'Days on which the patient refused a dose.' }) daysRefused: string[];
  @ApiProperty({ type: [String], format: 'date', description: 'Days on which a dose was omitted.' }) daysOmitted: string[];
  @ApiProperty({ type: [String], format: 'date', description: 'Scheduled days with no entry in the record.' }) daysNotRecorded: string[];
  @ApiProperty({ example: 'Given on 27 of 30 scheduled days; held on 2 (2027-01-12, 2027-01-20), refused on 1 (2027-01-15).' }) adherence: string;
}

class DailyMmeDto {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() mme: number;
}

class NotCountedDto {
  @ApiProperty({ example: 'buprenorphine' }) drug: string;
  @ApiProperty({ example: 'IR' }) formulation: string;
  @ApiProperty({ example: 'mg' }) unit: string;
  @ApiProperty({ type: Number, nullable: true, example: 6, description: 'Daily dose at intake (a patch: its strength); null when not taken at intake (a rotation to it).' }) atIntake: number | null;
  @ApiProperty({ example: 4, description: 'Daily dose at discharge; above 0: still taken, although the MME figures leave it out.' }) atDischarge: number;
}

class MmeCourseDto {
  @ApiProperty() atIntake: number;
  @ApiProperty({ type: Number, nullable: true }) atTaperStart: number | null;
  @ApiProperty() atDischarge: number;
  @ApiProperty({ type: [DailyMmeDto] }) daily: DailyMmeDto[];
  @ApiProperty({
    type: [NotCountedDto],
    description: 'The opioids without an MME factor (buprenorphine), which every MME figure leaves out, with their daily doses at intake and at discharge: atDischarge 0 MME is not opioid-free while one of these is above 0.',
  })
  notCounted: NotCountedDto[];
}

class OverrideDto {
  @ApiProperty({ description: 'Why the order was written despite the refusals below.' }) reason: string;
  @ApiProperty({ type: [WarningDto], description: 'The refusals the reason let through (a dose above the kidney limit, a contraindication), each in words.' }) overridden: WarningDto[];
}

class ActiveMedicationDto {
  @ApiProperty() drug: string;
  @ApiProperty() dose: number;
  @ApiProperty() unit: string;
  @ApiProperty() timesPerDay: number;
  @ApiProperty() route: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty({ type: String, nullable: true }) indication: string | null;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ type: OverrideDto, nullable: true, description: 'Ordered past a refusal with a recorded reason; null otherwise.' }) override: OverrideDto | null;
}

class StoppedMedicationDto {
  @ApiProperty() drug: string;
  @ApiProperty() dailyDose: number;
  @ApiProperty() unit: string;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ format: 'date' }) stoppedOn: string;
  @ApiProperty() reason: string;
}

class TherapyDto {
  @ApiProperty() type: string;
  @ApiProperty() frequency: string;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
}

class AsNeededSummaryDto {
  @ApiProperty() drug: string;
  @ApiProperty() dose: number;
  @ApiProperty() unit: string;
  @ApiProperty() route: string;
  @ApiProperty() minIntervalHours: number;
  @ApiProperty() maxDosesPerDay: number;
  @ApiProperty({ description: 'dose × maxDosesPerDay.' }) maxDailyDose: number;
  @ApiProperty() indication: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Given only at a COWS score of at least this.' }) cowsThreshold: number | null;
  @ApiProperty({ format: 'date' }) startedOn: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'Null while in force at discharge.' }) stoppedOn: string | null;
  @ApiProperty({ type: String, nullable: true }) stopReason: string | null;
  @ApiProperty({ type: OverrideDto, nullable: true, description: 'Ordered past a refusal with a recorded reason; null otherwise.' }) override: OverrideDto | null;
}

class PainPlanSummaryDto {
  @ApiProperty({ type: [ActiveMedicationDto] }) active: ActiveMedicationDto[];
  @ApiProperty({ type: [StoppedMedicationDto] }) stopped: StoppedMedicationDto[];
  @ApiProperty({ type: [AsNeededSummaryDto], description: 'As-needed orders of the stay, those still in force (stoppedOn null) and those stopped.' }) asNeeded: AsNeededSummaryDto[];
  @ApiProperty({ type: [TherapyDto] }) therapies: TherapyDto[];
}

class CowsReadingDto {
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty() score: number;
  @ApiProperty({ enum: COWS_BANDS }) band: CowsBand;
}

class CowsCourseDto {
  @ApiProperty({ type: [CowsReadingDto] }) readings: CowsReadingDto[];
  @ApiProperty({ type: CowsReadingDto, nullable: true }) highest: CowsReadingDto | null;
  @ApiProperty({ type: CowsReadingDto, nullable: true }) last: CowsReadingDto | null;
}

class PainScoreDto {
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty() score: number;
}

class WeekSummaryDto {
  @ApiProperty({ format: 'date' }) from: string;
  @ApiProperty({ format: 'date' }) to: string;
  @ApiProperty({ type: Number, nullable: true }) meanPain: number | null;
  @ApiProperty({ type: Number, nullable: true }) meanMme: number | null;
  @ApiProperty() scores: number;
}

class PainTrendDto {
  @ApiProperty({ enum: PAIN_TREND_FINDINGS }) finding: PainTrendFinding;
  @ApiProperty({ type: Number, nullable: true }) rankCorrelation: number | null;
  @ApiProperty() pairedDays: number;
  @ApiProperty({ type: WeekSummaryDto }) firstWeek: WeekSummaryDto;
  @ApiProperty({ type: WeekSummaryDto }) lastWeek: WeekSummaryDto;
  @ApiProperty({ description: 'A finding, not a diagnosis.' }) text: string;
}

class CheckInSummaryDto {
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ enum: ['PLANNED', 'DONE', 'MISSED'] }) status: string;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
}

class AftercareSummaryDto {
  @ApiProperty({ type: [CheckInSummaryDto] }) checkIns: CheckInSummaryDto[];
}

export class HandoffSummaryDto {
  @ApiProperty({ format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: ClinicContactDto, description: 'The clinic to contact with questions.' }) clinic: ClinicContactDto;
  @ApiProperty({ type: RecipientDto }) recipient: RecipientDto;
  @ApiProperty({ type: ConsentSummaryDto }) consent: ConsentSummaryDto;
  @ApiProperty({ type: PatientSummaryDto }) patient: PatientSummaryDto;
  @ApiProperty({ type: StayDto }) stay: StayDto;
  @ApiProperty({ type: DoseGivenDto, nullable: true, description: 'The last opioid dose given during the stay (the administration record; voided entries excluded), or null when none was recorded.' })
  lastOpioidDose: DoseGivenDto | null;
  @ApiProperty({ type: IntakeDto }) intake: IntakeDto;
  @ApiProperty({ type: [TaperHistoryDto] }) tapers: TaperHistoryDto[];
  @ApiProperty({ type: MmeCourseDto, description: 'Total daily MME over the stay: every order in force, and an intake opioid at its intake dose until an order covers it; one never ordered (stoppedAtAdmission) counts on the admission day only (unless the patient also left that day) and not at discharge.' }) mme: MmeCourseDto;
  @ApiProperty({ type: PainPlanSummaryDto }) painPlan: PainPlanSummaryDto;
  @ApiProperty({ type: CowsCourseDto }) cows: CowsCourseDto;
  @ApiProperty({ type: [PainScoreDto] }) painScores: PainScoreDto[];
  @ApiProperty({ type: PainTrendDto }) painTrend: PainTrendDto;
  @ApiProperty({ type: [WarningDto], description: 'Plain-words risks for the next prescriber; the first ones are always present.' }) risks: WarningDto[];
  @ApiProperty({ type: AftercareSummaryDto }) aftercare: AftercareSummaryDto;
}

/** True only when each type can stand for the other: a field added, dropped or retyped on one side is a compile error. */
type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const DTO_MATCHES_SUMMARY: SameShape<HandoffSummaryDto, HandoffSummary> = true;
