/**
 * Shapes of a taper order's schedule (domain.md §7). The rules that fill them are in taper.ts
 * (generation), taper-amend.ts (amendments) and taper-invariants.ts (the independent check).
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
   * A single step cutting more than this percent of the previous dose is flagged
   * (LARGE_SINGLE_CUT, a warning): CDC 2022 advises against large cuts from a higher dose.
   */
  maxSingleCutPercent: number;
}

/** domain.md §7 defaults. */
export const DEFAULT_TAPER_RULES: Readonly<TaperRules> = Object.freeze({
  maxWeeklyReductionPercent: 10,
  switchFractionOfStart: 0.3,
  maxSteps: 200,
  // At 10% per step the CDC pattern cuts just under a third at most (10% of the start from just
  // above 30% of it), so an order within guidance is never flagged.
  maxSingleCutPercent: 33.34,
});

export interface TaperStep {
  /** 1..n, consecutive. */
  step: number;
  startsOn: string;
  dailyDose: number;
  dailyMme: number;
  /** Cut from the previous step, % of the previous dose, 2 decimals (0 for step 1). */
  reductionPercent: number;
  /** % of the starting dose, 2 decimals. */
  percentOfStart: number;
}

/** The dose held for `days` days from `from`; later steps moved by that much. */
export interface TaperPause {
  from: string;
  days: number;
}

export interface TaperSchedule {
  steps: TaperStep[];
  endsOn: string;
  warnings: ClinicalWarning[];
  /** reductionPercent × 7 ÷ intervalDays, 2 decimals. */
  requestedWeeklyRatePercent: number;
}

export interface TaperAmendment {
  /** YYYY-MM-DD, today or later. */
  effectiveFrom: string;
  pauseDays?: number | null;
  reductionPercent?: number | null;
  intervalDays?: number | null;
  /** Needed when the new rate is over the guidance limit; replaces the order's overrideReason. */
  overrideReason?: string | null;
}

export interface AmendedTaper {
  params: TaperParams;
  steps: TaperStep[];
  endsOn: string;
  pauses: TaperPause[];
  /** Warnings raised by this amendment (the steps it regenerated and its new rate). */
  warnings: ClinicalWarning[];
  requestedWeeklyRatePercent: number;
  /** How many leading steps were kept untouched; the amendment starts at step keptSteps + 1. */
  keptSteps: number;
}
