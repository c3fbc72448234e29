/**
 * The pain-plan drug table (domain.md §9) as data: limits, kidney rows, contraindications and
 * warnings per drug. The checks that read it are in pain-plan.ts and pain-plan-patient.ts.
 */
import { canonicalDrugCode } from './mme.js';
import type { ClinicalRefusalCode } from './clinical-refusals.js';

export type MedicationRoute = 'ORAL' | 'TOPICAL' | 'TRANSDERMAL';
export type MedicationUnit = 'mg' | 'patch';

export interface PatientRiskFactors {
  hepaticImpairment: boolean;
  renalImpairment: boolean;
  giBleedHistory: boolean;
  heartFailure: boolean;
  cardiacDisease: boolean;
  anticoagulants: boolean;
  heavyAlcoholUse: boolean;
  respiratoryDisease: boolean;
  benzodiazepineUse: boolean;
  /** Takes an opioid today: the intake regimen, or a signed taper not yet at zero. */
  opioidInUse: boolean;
}

export type RiskFactor = keyof PatientRiskFactors;

/** How each risk factor reads in a sentence ("… with renal impairment and heart failure"). */
export const RISK_FACTOR_WORDS: Readonly<Record<RiskFactor, string>> = Object.freeze({
  hepaticImpairment: 'hepatic impairment',
  renalImpairment: 'renal impairment',
  giBleedHistory: 'a history of GI bleeding or ulcer',
  heartFailure: 'heart failure',
  cardiacDisease: 'significant cardiac disease',
  anticoagulants: 'anticoagulant use',
  heavyAlcoholUse: 'heavy alcohol use',
  respiratoryDisease: 'respiratory disease',
  benzodiazepineUse: 'benzodiazepine use',
  opioidInUse: 'current opioid use',
});

/** A lower limit that replaces maxDaily when the patient has any of `factors` (no override band). */
export interface ReducedLimit {
  readonly factors: readonly RiskFactor[];
  readonly maxDaily: number;
}

/** A refusal raised when the patient has any of `factors`; the message names those found. */
export interface Contraindication {
  readonly code: ClinicalRefusalCode;
  readonly factors: readonly RiskFactor[];
  readonly overridable: boolean;
  /** The clinical reason; follows "<Drug> with <factors>: ". */
  readonly reason: string;
}

/** A flag on an accepted order: always (no `factors`) or when the patient has any of `factors`. */
export interface RiskWarning {
  readonly code: string;
  readonly factors?: readonly RiskFactor[];
  readonly advice: string;
}

/** One row of a kidney dosing table: the maximum per day from this creatinine clearance (mL/min) up. */
export interface RenalRow {
  readonly minClearance: number;
  readonly maxDaily: number;
}

/** Avoided below a clearance; without a clearance, any recorded renal impairment counts as that severe. */
export interface SevereRenalRule {
  readonly belowClearance: number;
  readonly code: ClinicalRefusalCode;
  readonly reason: string;
}

export interface PainDrugRule {
  /** Canonical (lower-case) code, the key of PAIN_DRUGS. */
  readonly drug: string;
  /** A systemic NSAID: the NSAID rules apply, and two at once are refused. */
  readonly nsaid: boolean;
  /** Gabapentin or pregabalin: two at once are refused; with an opioid, a respiratory risk. */
  readonly gabapentinoid?: boolean;
  readonly unit: MedicationUnit;
  readonly routes: readonly MedicationRoute[];
  /** A product given on a fixed schedule (a 12 h on / 12 h off patch: once a day). */
  readonly fixedSchedule?: { readonly timesPerDay: number; readonly description: string };
  /** Default maximum per day, in `unit`. */
  readonly maxDaily: number;
  /**
   * The most in one dose, in `unit`: an order above it is refused, and so is a dose given above
   * it. No override band: a published single-dose maximum is never a matter of judgement here.
   */
  readonly maxSingleDose: number;
  /** Above maxDaily and up to this, an override reason may allow the order; never above it. */
  readonly absoluteMaxDaily?: number;
  /** When the override band applies, e.g. "for a short course"; part of the message. */
  readonly absoluteMaxNote?: string;
  readonly reducedLimits?: readonly ReducedLimit[];
  /** The limit counts the drug from every source (paracetamol in combination opioids too). */
  readonly countsEverySource?: boolean;
  /**
   * The record holds the daily limit over any 24 hours, not only per clinic day: four doses just
   * before midnight and four just after would each fit their day (paracetamol: liver toxicity
   * follows the amount taken in 24 hours).
   */
  readonly rollingDay?: boolean;
  /** Kidney dosing by creatinine clearance, highest row first. */
  readonly renalRows?: readonly RenalRow[];
  readonly severeRenal?: SevereRenalRule;
  readonly contraindications?: readonly Contraindication[];
  readonly warnings?: readonly RiskWarning[];
}

const freeze = <T extends object>(value: T): Readonly<T> => Object.freeze(value);

/** domain.md §9: renal impairment, GI bleed or ulcer, heart failure / cardiac disease, anticoagulants. */
const NSAID_CONTRAINDICATION: Contraindication = freeze({
  code: 'NSAID_CONTRAINDICATED',
  factors: freeze(['renalImpairment', 'giBleedHistory', 'heartFailure', 'cardiacDisease', 'anticoagulants'] as const),
  overridable: true,
  reason:
    'NSAIDs risk kidney injury, GI bleeding, fluid retention and cardiovascular events, and add to the bleeding risk of anticoagulants.',
});

const TCA_WARNING: RiskWarning = freeze({
  code: 'TCA_SEDATION_FALLS',
  advice: 'expect sedation and a higher risk of falls, and anticholinergic effects (dry mouth, constipation, urinary retention, confusion).',
});

/** FDA Drug Safety Communication, 19 Dec 2019. */
const GABAPENTINOID_WARNING: RiskWarning = freeze({
  code: 'GABAPENTINOID_RESPIRATORY_DEPRESSION',
  factors: freeze(['opioidInUse', 'benzodiazepineUse', 'respiratoryDisease'] as const),
  advice: 'risk of serious respiratory depression (FDA Drug Safety Communication, 19 December 2019); start low and watch breathing and sedation.',
});

/** Clearance ≥ 60, 30–59, 15–29, < 15 mL/min (domain.md §9). */
const renalRows = (...maxima: [number, number, number, number]): readonly RenalRow[] =>
  freeze([60, 30, 15, 0].map((minClearance, i) => freeze({ minClearance, maxDaily: maxima[i] })));

const ORAL_MG = freeze({ unit: 'mg' as const, routes: freeze(['ORAL'] as const) });

/** [most a day, most in one dose], in mg. */
type Limits = readonly [maxDaily: number, maxSingleDose: number];

const nsaid = (drug: string, [maxDaily, maxSingleDose]: Limits, extra: Partial<PainDrugRule> = {}): PainDrugRule =>
  freeze({ drug, nsaid: true, ...ORAL_MG, maxDaily, maxSingleDose, contraindications: freeze([NSAID_CONTRAINDICATION]), ...extra });
const oral = (drug: string, [maxDaily, maxSingleDose]: Limits, extra: Partial<PainDrugRule> = {}): PainDrugRule =>
  freeze({ drug, nsaid: false, ...ORAL_MG, maxDaily, maxSingleDose, ...extra });
const gabapentinoid = (drug: string, limits: Limits, rows: readonly RenalRow[]): PainDrugRule =>
  oral(drug, limits, { gabapentinoid: true, renalRows: rows, warnings: freeze([GABAPENTINOID_WARNING]) });

/**
 * domain.md §9, defaults. Limits are per day in the drug's unit; the second figure of each pair is
 * the most in one dose (rule settings, from the usual adult dosing of the BNF and the US labels):
 * - paracetamol 1000 mg (BNF: 0.5–1 g every 4–6 hours, at most 4 g a day);
 * - ibuprofen 800 mg (US label: 400–800 mg 3–4 times a day, at most 3200 mg);
 * - naproxen 500 mg (BNF and US label: 250–500 mg twice a day);
 * - diclofenac 75 mg (BNF: 75–150 mg a day in 2–3 doses; 75 mg twice a day at most);
 * - celecoxib 200 mg (US label: 200 mg a dose after a first-day loading dose, which a standing order does not give);
 * - duloxetine 60 mg (US label for pain: 60 mg once a day);
 * - amitriptyline and nortriptyline 75 mg (NICE CG173: up to 75 mg a day, usually as one evening dose);
 * - gabapentin 1200 mg (US label: up to 3600 mg a day in three doses);
 * - pregabalin 300 mg (US label: up to 600 mg a day in two or three doses);
 * - lidocaine 3 patches (label: up to 3 patches at once).
 */
export const PAIN_DRUGS: Readonly<Record<string, PainDrugRule>> = freeze({
  paracetamol: oral('paracetamol', [4000, 1000], {
    reducedLimits: freeze([freeze({ factors: freeze(['hepaticImpairment', 'heavyAlcoholUse'] as const), maxDaily: 2000 })]),
    countsEverySource: true,
    rollingDay: true,
  }),
  ibuprofen: nsaid('ibuprofen', [2400, 800], { absoluteMaxDaily: 3200 }),
  naproxen: nsaid('naproxen', [1000, 500], { absoluteMaxDaily: 1500, absoluteMaxNote: 'for a short course' }),
  diclofenac: nsaid('diclofenac', [150, 75]),
  // Halved with hepatic impairment (400 → 200).
  celecoxib: nsaid('celecoxib', [400, 200], { reducedLimits: freeze([freeze({ factors: freeze(['hepaticImpairment'] as const), maxDaily: 200 })]) }),
  duloxetine: oral('duloxetine', [60, 60], {
    severeRenal: freeze({
      belowClearance: 30,
      code: 'CONTRAINDICATED',
      reason: 'the label says to avoid it in severe renal impairment (creatinine clearance below 30 mL/min)',
    }),
    contraindications: freeze([
      freeze({
        code: 'HEPATIC_CONTRAINDICATED',
        factors: freeze(['hepaticImpairment', 'heavyAlcoholUse'] as const),
        overridable: true,
        reason: 'duloxetine can injure the liver; the label says to avoid it in chronic liver disease and substantial alcohol use.',
      }),
    ]),
  }),
  amitriptyline: oral('amitriptyline', [75, 75], { warnings: freeze([TCA_WARNING]) }),
  nortriptyline: oral('nortriptyline', [75, 75], { warnings: freeze([TCA_WARNING]) }),
  gabapentin: gabapentinoid('gabapentin', [3600, 1200], renalRows(3600, 1400, 700, 300)),
  pregabalin: gabapentinoid('pregabalin', [600, 300], renalRows(600, 300, 150, 75)),
  // 5% patch: up to 3 patches at once, on for 12 h and off for 12 h, so applied once a day.
  lidocaine: freeze({
    drug: 'lidocaine',
    nsaid: false,
    unit: 'patch',
    routes: freeze(['TOPICAL', 'TRANSDERMAL'] as const),
    fixedSchedule: freeze({ timesPerDay: 1, description: '12 h on, 12 h off' }),
    maxDaily: 3,
    maxSingleDose: 3,
  }),
});

/** The rule of a drug code, whatever its case and surrounding spaces; undefined if unknown. */
export function painDrugRule(drug: string): PainDrugRule | undefined {
  const code = canonicalDrugCode(drug);
  // hasOwn, not `in`: 'constructor' or '__proto__' must not look like a drug.
  return Object.hasOwn(PAIN_DRUGS, code) ? PAIN_DRUGS[code] : undefined;
}

/** Gabapentin or pregabalin, whatever the case: the one list the pain plan and the handoff share. */
export function isGabapentinoid(drug: string): boolean {
  return painDrugRule(drug)?.gabapentinoid === true;
}

/** FDA 2019: a gabapentinoid among `drugs` while an opioid is in use (handoff risk, order warning). */
export function gabapentinoidWithOpioid(drugs: readonly string[], opioidInUse: boolean): boolean {
  return opioidInUse && drugs.some(isGabapentinoid);
}
