/**
 * Pain-plan checks against the rest of the patient (domain.md §9 v1.1): a second gabapentinoid,
 * kidney dosing by creatinine clearance, and the severe renal impairment that rules duloxetine out.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { canonicalDrugCode } from './mme.js';
import { isGabapentinoid, type PainDrugRule, type PatientRiskFactors, type RenalRow } from './pain-drugs.js';
import type { MedicationRefusal } from './pain-plan.js';
import { capitalised, listOf, perDay } from './pain-words.js';

/** Below this clearance the kidneys are impaired (CKD stage 3 and worse): the NSAID rule applies. */
export const IMPAIRED_BELOW_CLEARANCE = 60;
/** Renal impairment recorded without a clearance: the 30–59 row applies (domain.md §9). */
export const CLEARANCE_ASSUMED_WHEN_UNKNOWN = 30;
/** Above any human clearance: a typing error. */
const MAX_CLEARANCE = 250;

/** A clearance in mL/min, or null when not measured; ClinicalRuleError when it cannot be one. */
export function clearanceOf(value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_CLEARANCE) {
    throw new ClinicalRuleError('INVALID_CREATININE_CLEARANCE', `creatinineClearance must be from 0 to ${MAX_CLEARANCE} mL/min.`, 'creatinineClearance');
  }
  return value;
}

/** The recorded flag, or a measured clearance below 60 mL/min even when the flag was left unticked. */
export function hasRenalImpairment(patient: PatientRiskFactors, clearance: number | null): boolean {
  return patient.renalImpairment || (clearance !== null && clearance < IMPAIRED_BELOW_CLEARANCE);
}

export function duplicateGabapentinoidRefusal(rule: PainDrugRule, activeDrugs: readonly string[]): MedicationRefusal | null {
  if (!rule.gabapentinoid) return null;
  const active = [...new Set(activeDrugs.filter(isGabapentinoid).map(canonicalDrugCode))];
  if (active.length === 0) return null;
  const message =
    `${capitalised(rule.drug)} is a gabapentinoid and the patient already has ${listOf(active)} active; ` +
    'two gabapentinoids at once are not allowed, so discontinue the active one first.';
  return { code: 'DUPLICATE_GABAPENTINOID', message, overridable: false, field: 'drug' };
}

export interface AppliedRenalRow {
  row: RenalRow;
  /** "30–59 mL/min" */
  range: string;
  /** The clearance was not measured: the row was assumed from recorded renal impairment. */
  assumed: boolean;
}

function rangeOf(rows: readonly RenalRow[], index: number): string {
  const row = rows[index];
  if (index === 0) return `${row.minClearance} mL/min or more`;
  const below = rows[index - 1].minClearance;
  return row.minClearance === 0 ? `below ${below} mL/min` : `${row.minClearance}–${below - 1} mL/min`;
}

/** The kidney row that applies, or null (no table, or no impairment and no clearance). */
export function renalRowFor(rule: PainDrugRule, patient: PatientRiskFactors, clearance: number | null): AppliedRenalRow | null {
  const rows = rule.renalRows;
  if (!rows || (clearance === null && !patient.renalImpairment)) return null;
  const used = clearance ?? CLEARANCE_ASSUMED_WHEN_UNKNOWN;
  const index = rows.findIndex((r) => used >= r.minClearance);
  return { row: rows[index], range: rangeOf(rows, index), assumed: clearance === null };
}

/** Above the kidney row, where that row is lower than the drug's own limit (which has its own refusal). */
export function renalDoseRefusal(
  rule: PainDrugRule,
  daily: number,
  applied: AppliedRenalRow | null,
  clearance: number | null,
  drugLimit: number,
): MedicationRefusal | null {
  if (applied === null || applied.row.maxDaily >= drugLimit) return null;
  if (Math.round(daily * 1000) <= Math.round(applied.row.maxDaily * 1000)) return null;
  const seen = clearance === null ? 'renal impairment recorded without a clearance' : `${clearance} mL/min recorded`;
  const message =
    `${perDay(rule, daily)} of ${rule.drug} is above the ${perDay(rule, applied.row.maxDaily)} limit for a creatinine clearance ` +
    `of ${applied.range} (${seen}). Prescribing it anyway needs an override reason.`;
  return { code: 'RENAL_DOSE_EXCEEDED', message, overridable: true, field: 'dose', finding: { limit: applied.row.maxDaily } };
}

export function renalWarnings(rule: PainDrugRule, applied: AppliedRenalRow | null): ClinicalWarning[] {
  if (applied === null || !applied.assumed) return [];
  const message =
    `${capitalised(rule.drug)}: renal impairment is recorded without a creatinine clearance, so the ${applied.range} row ` +
    `applies (at most ${perDay(rule, applied.row.maxDaily)}); record the clearance to dose by it.`;
  return [{ code: 'RENAL_FUNCTION_UNKNOWN', message, fields: ['creatinineClearance'] }];
}

/** Severe renal impairment, measured or assumed: one finding, whatever the clearance below the line. */
const severeRenalFinding = (): { factors: string[] } => ({ factors: ['renalImpairment'] });

/** Duloxetine: below 30 mL/min; without a clearance, any recorded renal impairment (ungraded) counts as severe. */
export function severeRenalRefusal(rule: PainDrugRule, patient: PatientRiskFactors, clearance: number | null): MedicationRefusal | null {
  const severe = rule.severeRenal;
  if (!severe) return null;
  const override = ' Prescribing it anyway needs an override reason.';
  if (clearance !== null) {
    if (clearance >= severe.belowClearance) return null;
    const message = `${capitalised(rule.drug)} with a creatinine clearance of ${clearance} mL/min (severe renal impairment): ${severe.reason}.${override}`;
    return { code: severe.code, message, overridable: true, field: 'drug', finding: severeRenalFinding() };
  }
  if (!patient.renalImpairment) return null;
  const message =
    `${capitalised(rule.drug)} with renal impairment: ${severe.reason}; the intake records renal impairment without grading it, ` +
    `so it is treated as severe here.${override}`;
  return { code: severe.code, message, overridable: true, field: 'drug', finding: severeRenalFinding() };
}
