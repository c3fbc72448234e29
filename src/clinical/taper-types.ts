/**
 * Shapes of a taper order's schedule (domain.md §7). The rules that fill them are in taper.ts
 * (generation), taper-amend.ts (amendments), taper-day.ts (the dose of a day),
 * taper-regimen.ts (the order against the patient's regimen) and taper-invariants.ts (the
 * independent check).
 */
import type { ClinicalWarning } from './clinical-error.js';
import type { DoseUnit, OpioidFormulation } from './mme.js';

/** START: cut a percent of the starting dose until 30% of it remains (CDC 2022); CURRENT: of the current dose. */
export type TaperBasis = 'START' | 'CURRENT';

export interface TaperParams {
  drug: string;
  formulation: OpioidFormulation;
  /** Optional: when given it must be the drug's unit (mg, or mcg/h for a patch). */
  unit?: DoseUnit;
  /** Daily dose (a patch: its mcg/h strength), at most 3 decimals. */
  startDailyDose: number;
  unitStrengths: number[];
  allowHalfTablets: boolean;
  /** Percent per step, in (0, 100], at most 2 decimals. */
  reductionPercent: number;
  /** Whole days between steps, 1 to MAX_INTERVAL_DAYS. */
  intervalDays: number;
  basis: TaperBasis;
  /** YYYY-MM-DD, the clinic's calendar. */
  startDate: string;
  targetDailyDose: number;
  /** Non-blank: allows a requested rate over the guidance limit (the warning stays). */
  overrideReason?: string | null;
  /** Non-blank: allows a stop to 0 from more than the smallest strength (the warning stays). */
  lifeThreateningReason?: string | null;
}

export interface TaperRules {
  /** Percent per week (domain.md §7 default 10), at most 2 decimals. */
  maxWeeklyReductionPercent: number;
  /** Where START switches from the starting dose to the current one (CDC 2022: 30%). */
  switchFractionOfStart: number;
  /** Most steps a schedule may have, the first included. */
  maxSteps: number;
  /**
   * No step above zero may cut more than this percent of the previous dose (and more than one
   * quantum), whatever the wait after it: LARGE_SINGLE_CUT, refused without overrideReason or
   * lifeThreateningReason (CDC 2022: no large cut from a higher dose).
   */
  maxSingleCutPercent: number;
  /**
   * Orders cutting at most this percent of their base per step follow the CDC pattern. Just above
   * the 30% switch a START cut of that size can exceed maxSingleCutPercent of what is left when
   * achievable doses fall off the 10% grid (175 mg in 5 mg tablets: 55 → 40 is 27%); such a step
   * cuts maxSingleCutPercent instead (warning SINGLE_CUT_LIMITED), so the pattern is never refused.
   * Bigger, rarer steps are judged as ordered.
   */
  cdcPatternStepPercent: number;
  /** Intake opioids taken this many months or more are long-term therapy (CDC 2022: ≥ 1 year). */
  longTermMonths: number;
  /** For long-term therapy, faster than this percent per 28 days warns FASTER_THAN_LONG_TERM_GUIDANCE. */
  maxLongTermPercentPer28Days: number;
}

/** domain.md §7 defaults. */
export const DEFAULT_TAPER_RULES: Readonly<TaperRules> = Object.freeze({
  maxWeeklyReductionPercent: 10,
  switchFractionOfStart: 0.3,
  maxSteps: 200,
  // 25% is the largest cut of the CDC pattern at 10% a week: 10% of the start, at 40% of it.
  maxSingleCutPercent: 25,
  cdcPatternStepPercent: 10,
  longTermMonths: 12,
  maxLongTermPercentPer28Days: 10,
});

/** What a taper order is checked against beyond its own fields (v1.1); each part optional. */
export interface TaperContext {
  /** The intake opioids with how long each was taken: long-term therapy slows the guidance. */
  intakeOpioids?: readonly { drug: string; monthsOnTherapy: number }[];
}

/** One step; `Mme` is number for drugs with an MME factor, number | null for any opioid. */
export interface TaperStepOf<Mme> {
  /** 1..n, consecutive. */
  step: number;
  startsOn: string;
  dailyDose: number;
  /** dailyDose × the CDC 2022 factor; null where MME does not apply (buprenorphine). */
  dailyMme: Mme;
  /** Cut from the previous step, % of the previous dose, 2 decimals (0 for step 1). */
  reductionPercent: number;
  /** % of the starting dose, 2 decimals. */
  percentOfStart: number;
}

export type TaperStep = TaperStepOf<number>;
/** A step of any opioid, buprenorphine included. */
export type OpioidTaperStep = TaperStepOf<number | null>;

/** The dose held for `days` days from `from`: no step starts in [from, from + days). */
export interface TaperPause {
  from: string;
  days: number;
}

export interface TaperScheduleOf<S extends OpioidTaperStep> {
  steps: S[];
  endsOn: string;
  warnings: ClinicalWarning[];
  /** reductionPercent × 7 ÷ intervalDays, 2 decimals. */
  requestedWeeklyRatePercent: number;
}

export type TaperSchedule = TaperScheduleOf<TaperStep>;
export type OpioidTaperSchedule = TaperScheduleOf<OpioidTaperStep>;

export interface TaperAmendment {
  /** YYYY-MM-DD, today or later. */
  effectiveFrom: string;
  pauseDays?: number | null;
  reductionPercent?: number | null;
  intervalDays?: number | null;
  /** Needed when the new rate is over the guidance limit; replaces the order's overrideReason. */
  overrideReason?: string | null;
  /**
   * v1.1: end the pause in force on effectiveFrom there (needs `reason`). Without it a pause in
   * force is kept, and steps regenerated by a new rate fall after it.
   */
  endPause?: boolean | null;
  /** The amendment's reason (api.md: always given); needed here only to end a pause. */
  reason?: string | null;
}

export interface AmendedTaperOf<S extends OpioidTaperStep> {
  params: TaperParams;
  steps: S[];
  endsOn: string;
  pauses: TaperPause[];
  /** Warnings raised by this amendment (the steps it regenerated and its new rate). */
  warnings: ClinicalWarning[];
  requestedWeeklyRatePercent: number;
  /** How many leading steps were kept untouched; the amendment starts at step keptSteps + 1. */
  keptSteps: number;
}

export type AmendedTaper = AmendedTaperOf<TaperStep>;
export type AmendedOpioidTaper = AmendedTaperOf<OpioidTaperStep>;
