/**
 * Morphine milligram equivalents (domain.md §3) with the versioned CDC 2022 factor table.
 *
 * MME is a RISK MEASURE ONLY (overdose risk, naloxone, triage thresholds). Nothing here converts
 * a dose of one opioid into a dose of another, and nothing may use these figures to pick a dose
 * of a different opioid: the factors ignore incomplete cross-tolerance and are not equianalgesic
 * tables.
 *
 * Precision: doses carry at most 3 decimal places and factors at most 2, so every figure is
 * computed in integers — dose in thousandths of a unit × factor in hundredths, i.e. in units of
 * 1/100 000 MME — and divided once at the end. A result is therefore the double nearest to the
 * exact decimal (codeine 120 mg/day × 0.15 is 18, never 17.999999999999996) and a total is exactly
 * the sum of its lines.
 */
import { ClinicalRuleError, type ClinicalWarning } from './clinical-error.js';
import { CDC2022, type DoseUnit, type FactorEntry, type FactorTable, type FactorTableVersion, type OpioidForm, type OpioidFormulation, UNCONVERTED_FORMS } from './mme-table.js';

export * from './mme-table.js';

export interface OpioidRegimen {
  drug: string;
  formulation: OpioidFormulation;
  dose: number;
  unit: DoseUnit;
  /** As needed (PRN): the most times a day it may be taken; MME counts that maximum (CDC 2022). */
  timesPerDay: number;
  asNeeded?: boolean;
  /** A combination product's paracetamol per unit (hydrocodone 5 mg + paracetamol 325 mg: 325). */
  paracetamolPerUnitMg?: number | null;
}

export interface MmeLine {
  /** Canonical (trimmed, lower-case) drug code. */
  drug: string;
  /** dose × timesPerDay; for a patch, its mcg/h strength. */
  dailyDose: number;
  unit: DoseUnit;
  factor: number | null;
  dailyMme: number | null;
  converted: boolean;
}

export interface MmeResult {
  factorTable: FactorTableVersion;
  lines: MmeLine[];
  totalDailyMme: number;
  longActing: boolean;
  warnings: ClinicalWarning[];
}

/** CDC 2022: at or above this total, offer naloxone and follow up more closely. */
export const NALOXONE_MME_THRESHOLD = 50;
/** Sanity bound on one dose; keeps the integer arithmetic far inside Number.MAX_SAFE_INTEGER. */
export const MAX_DOSE = 1_000_000;
export const MAX_TIMES_PER_DAY = 24;
/** Combination tablets carry 300–750 mg of paracetamol; more per unit is a typing error. */
export const MAX_PARACETAMOL_PER_UNIT_MG = 1000;

const DOSE_SCALE = 1000;
const FACTOR_SCALE = 100;
const MME_SCALE = DOSE_SCALE * FACTOR_SCALE;
/** Methadone is long-acting whatever the label says (domain.md §3). */
const ALWAYS_LONG_ACTING: readonly string[] = ['methadone'];

/** What a drug code resolves to: a factor (or `null` for an accepted drug with none) and its form. */
interface Resolved {
  code: string;
  entry: FactorEntry | null;
  /** The unit this drug takes in this formulation; null when any is accepted. */
  form: OpioidForm | null;
}

export function canonicalDrugCode(drug: string): string {
  return drug.trim().toLowerCase();
}

function unconverted(code: string, formulation: OpioidFormulation, prefix: string): Resolved {
  const forms = Object.hasOwn(UNCONVERTED_FORMS, code) ? UNCONVERTED_FORMS[code] : null;
  if (forms === null) return { code, entry: null, form: null };
  const form = forms.find((f) => f.formulations.includes(formulation));
  if (!form) {
    const accepted = forms.map((f) => `${f.formulations.join('/')} in ${f.unit}`).join(' or ');
    throw new ClinicalRuleError('UNSUPPORTED_FORMULATION', `${code} is accepted as ${accepted}, not as ${formulation}.`, `${prefix}formulation`);
  }
  return { code, entry: null, form };
}

/** `prefix` names the input in errors, e.g. 'opioids[2].'. */
function resolve(drug: string, formulation: OpioidFormulation, table: FactorTable, prefix: string): Resolved {
  const code = canonicalDrugCode(drug);
  if (table.notConverted.includes(code)) return unconverted(code, formulation, prefix);
  // hasOwn, not `in`: 'constructor' or '__proto__' must not look like a drug.
  if (!Object.hasOwn(table.factors, code)) {
    throw new ClinicalRuleError(
      'UNKNOWN_OPIOID',
      `${JSON.stringify(drug)} is not an opioid of the ${table.version} table; an unknown drug is never counted as 0 MME.`,
      `${prefix}drug`,
    );
  }
  const entry = table.factors[code].find((e) => e.formulations.includes(formulation));
  if (!entry) {
    throw new ClinicalRuleError(
      'NO_CONVERSION_FACTOR',
      `The ${table.version} table has no MME factor for ${code} as ${formulation}.`,
      `${prefix}formulation`,
    );
  }
  return { code, entry, form: entry };
}

/** A dose in integer thousandths; refuses what cannot be computed exactly. */
function toThousandths(value: number, field: string, allowZero: boolean): number {
  const inRange = Number.isFinite(value) && (allowZero ? value >= 0 : value > 0) && value <= MAX_DOSE;
  if (!inRange) {
    const lower = allowZero ? 'at least 0' : 'more than 0';
    throw new ClinicalRuleError('INVALID_DOSE', `A dose must be ${lower} and at most ${MAX_DOSE}.`, field);
  }
  const scaled = value * DOSE_SCALE;
  // The tolerance only absorbs binary noise such as 0.1 + 0.2; a 4th decimal is refused.
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) {
    throw new ClinicalRuleError('DOSE_PRECISION', 'A dose may have at most 3 decimal places.', field);
  }
  return Math.round(scaled);
}

function factorHundredths(entry: FactorEntry): number {
  const scaled = Math.round(entry.factor * FACTOR_SCALE);
  if (!(entry.factor > 0) || Math.abs(entry.factor * FACTOR_SCALE - scaled) > 1e-9) {
    throw new ClinicalRuleError('INVALID_FACTOR_TABLE', `Factor ${entry.factor} is not a positive number with at most 2 decimals.`);
  }
  return scaled;
}

/** The dose unit a drug must be given in (mg/day, or mcg/h for a patch); null for a drug without a factor. */
export function doseUnitOf(drug: string, formulation: OpioidFormulation, table: FactorTable = CDC2022): DoseUnit | null {
  return resolve(drug, formulation, table, '').entry?.unit ?? null;
}

/**
 * The dose unit of any accepted opioid in this formulation, buprenorphine included (mg
 * sublingual, mcg/h patch); throws ClinicalRuleError for an unknown drug or form.
 */
export function opioidUnitOf(drug: string, formulation: OpioidFormulation, table: FactorTable = CDC2022): DoseUnit | null {
  return resolve(drug, formulation, table, '').form?.unit ?? null;
}

/** Whether the table converts this drug to MME at all (false for buprenorphine); unknown drugs throw. */
export function hasMmeFactor(drug: string, formulation: OpioidFormulation, table: FactorTable = CDC2022): boolean {
  return resolve(drug, formulation, table, '').entry !== null;
}

/**
 * MME of one daily dose (a patch: its mcg/h strength), in the unit the table gives for the drug.
 * Throws ClinicalRuleError for unknown drugs and for drugs without a factor (buprenorphine).
 */
export function dailyMmeOf(drug: string, formulation: OpioidFormulation, dailyDose: number, table: FactorTable = CDC2022): number {
  const { code, entry } = resolve(drug, formulation, table, '');
  if (!entry) {
    throw new ClinicalRuleError('NO_CONVERSION_FACTOR', `${code} has no MME factor in the ${table.version} table.`, 'drug');
  }
  return (toThousandths(dailyDose, 'dailyDose', true) * factorHundredths(entry)) / MME_SCALE;
}

export function isLongActing(regimen: Pick<OpioidRegimen, 'drug' | 'formulation'>): boolean {
  const { formulation, drug } = regimen;
  return formulation === 'ER' || formulation === 'TRANSDERMAL' || ALWAYS_LONG_ACTING.includes(canonicalDrugCode(drug));
}

/** Units and frequency must fit the drug: a patch is a rate in mcg/h, applied once a day. */
function checkUnitAndFrequency(regimen: OpioidRegimen, form: OpioidForm | null, prefix: string): void {
  if (form && form.unit !== regimen.unit) {
    const what = form.unit === 'mcg/h' ? 'a patch strength in mcg/h' : 'a dose in mg';
    throw new ClinicalRuleError('UNIT_MISMATCH', `This opioid needs ${what}, not ${regimen.unit}.`, `${prefix}unit`);
  }
  const patch = regimen.formulation === 'TRANSDERMAL' || regimen.unit === 'mcg/h';
  if (patch && regimen.timesPerDay !== 1) {
    throw new ClinicalRuleError('UNIT_MISMATCH', 'A patch is recorded by its mcg/h strength with timesPerDay 1.', `${prefix}timesPerDay`);
  }
  const t = regimen.timesPerDay;
  if (!Number.isInteger(t) || t < 1 || t > MAX_TIMES_PER_DAY) {
    throw new ClinicalRuleError('INVALID_FREQUENCY', `Times per day must be a whole number from 1 to ${MAX_TIMES_PER_DAY}.`, `${prefix}timesPerDay`);
  }
}

/** As-needed must be a yes/no; a combination's paracetamol a plausible amount per tablet. */
function checkIntakeExtras(regimen: OpioidRegimen, prefix: string): void {
  if (regimen.asNeeded !== undefined && typeof regimen.asNeeded !== 'boolean') {
    throw new ClinicalRuleError('INVALID_AS_NEEDED', 'asNeeded must be true or false.', `${prefix}asNeeded`);
  }
  const paracetamol = regimen.paracetamolPerUnitMg;
  if (paracetamol === undefined || paracetamol === null) return;
  const field = `${prefix}paracetamolPerUnitMg`;
  if (!(typeof paracetamol === 'number' && paracetamol > 0 && paracetamol <= MAX_PARACETAMOL_PER_UNIT_MG)) {
    throw new ClinicalRuleError('INVALID_PARACETAMOL', `paracetamolPerUnitMg must be more than 0 and at most ${MAX_PARACETAMOL_PER_UNIT_MG}.`, field);
  }
  toThousandths(paracetamol, field, false);
  if (regimen.formulation === 'TRANSDERMAL') {
    throw new ClinicalRuleError('INVALID_PARACETAMOL', 'A patch contains no paracetamol.', field);
  }
}

interface ScaledLine {
  line: MmeLine;
  /** Daily MME in 1/100 000 MME, or null when not converted. */
  scaledMme: number | null;
}

function lineOf(regimen: OpioidRegimen, table: FactorTable, prefix: string): ScaledLine {
  const { code, entry, form } = resolve(regimen.drug, regimen.formulation, table, prefix);
  checkUnitAndFrequency(regimen, form, prefix);
  checkIntakeExtras(regimen, prefix);
  const daily = toThousandths(regimen.dose, `${prefix}dose`, false) * regimen.timesPerDay;
  const scaledMme = entry ? daily * factorHundredths(entry) : null;
  const line: MmeLine = {
    drug: code,
    dailyDose: daily / DOSE_SCALE,
    unit: regimen.unit,
    factor: entry ? entry.factor : null,
    dailyMme: scaledMme === null ? null : scaledMme / MME_SCALE,
    converted: entry !== null,
  };
  return { line, scaledMme };
}

function warningsFor(lines: readonly MmeLine[], total: number, table: FactorTable): ClinicalWarning[] {
  const unconverted = [...new Set(lines.filter((l) => !l.converted).map((l) => l.drug))];
  const warnings: ClinicalWarning[] = unconverted.map((code) => ({
    code: `${code.toUpperCase()}_NOT_CONVERTED`,
    message:
      `${code} has no MME factor in the ${table.version} table (partial agonist), so it is listed but left out ` +
      `of the total; the total understates the patient's opioid exposure.`,
  }));
  if (total >= NALOXONE_MME_THRESHOLD) {
    warnings.push({
      code: 'NALOXONE_RECOMMENDED',
      message: `Total ${total} MME/day is at or above ${NALOXONE_MME_THRESHOLD}: offer naloxone and follow up more closely (CDC 2022).`,
    });
  }
  return warnings;
}

/** Daily MME per opioid and in total; throws ClinicalRuleError on the first input it cannot use. */
export function computeMme(regimens: readonly OpioidRegimen[], table: FactorTable = CDC2022): MmeResult {
  const scaled = regimens.map((regimen, i) => lineOf(regimen, table, `opioids[${i}].`));
  const lines = scaled.map((s) => s.line);
  const totalDailyMme = scaled.reduce((sum, s) => sum + (s.scaledMme ?? 0), 0) / MME_SCALE;
  return {
    factorTable: table.version,
    lines,
    totalDailyMme,
    longActing: regimens.some(isLongActing),
    warnings: warningsFor(lines, totalDailyMme, table),
  };
}
