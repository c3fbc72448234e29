import { assessmentBody } from './intake.js';
import type { TaperParams, TaperStep } from '../../src/clinical/taper.js';

/** api.md's example order: oxycodone IR 60 mg/day, 5 and 10 mg tablets, halves, 10% of the start a week. */
export const API_EXAMPLE_ORDER: TaperParams = {
  drug: 'oxycodone',
  formulation: 'IR',
  startDailyDose: 60,
  unit: 'mg',
  unitStrengths: [5, 10],
  allowHalfTablets: true,
  reductionPercent: 10,
  intervalDays: 7,
  basis: 'START',
  startDate: '2027-01-04',
  targetDailyDose: 0,
};

/**
 * The intake the example order tapers: oxycodone IR 20 mg three times a day (60 mg/day, 90 MME),
 * for six months — a start at the intake dose, and weeks-to-months guidance (10% a week).
 */
export const EXAMPLE_INTAKE_OPIOID = { drug: 'oxycodone', formulation: 'IR', dose: 20, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 6, prescribed: true } as const;

/** An assessment whose regimen is the example order's intake (see assessmentBody for `overrides`). */
export const exampleIntakeBody = (overrides: Parameters<typeof assessmentBody>[0] = {}): Record<string, unknown> => assessmentBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }], ...overrides });

/** The example order as a request body, with `changes`. */
export const apiExampleOrder = (changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...API_EXAMPLE_ORDER,
  unitStrengths: [...API_EXAMPLE_ORDER.unitStrengths],
  ...changes,
});

export type StepRow = [step: number, startsOn: string, dailyDose: number, dailyMme: number, reductionPercent: number, percentOfStart: number];

export const stepsOf = (rows: StepRow[]): TaperStep[] =>
  rows.map(([step, startsOn, dailyDose, dailyMme, reductionPercent, percentOfStart]) => ({ step, startsOn, dailyDose, dailyMme, reductionPercent, percentOfStart }));

/**
 * The example order's schedule, worked out by hand. Quantum 2.5 mg (half a 5 mg tablet). Cut 6 mg (10% of
 * 60) while the dose is above 18 mg (30% of 60), each planned dose rounded UP to 2.5: 54→55,
 * 49→50, … 19→20, 14→15. At 15 mg the cut is 10% of 15 = 1.5 mg < 2.5 mg, so each step cuts
 * 2.5 mg and waits ceil(7 × 2.5 ÷ planned cut) days: 12, 14, 18, 24, 35. The stop from 2.5 mg
 * (≤ 5 mg) is 7 days on.
 */
export const WORKED_EXAMPLE_STEPS: readonly TaperStep[] = stepsOf([
  [1, '2027-01-04', 60, 90, 0, 100],
  [2, '2027-01-11', 55, 82.5, 8.33, 91.67],
  [3, '2027-01-18', 50, 75, 9.09, 83.33],
  [4, '2027-01-25', 45, 67.5, 10, 75],
  [5, '2027-02-01', 40, 60, 11.11, 66.67],
  [6, '2027-02-08', 35, 52.5, 12.5, 58.33],
  [7, '2027-02-15', 30, 45, 14.29, 50],
  [8, '2027-02-22', 25, 37.5, 16.67, 41.67],
  [9, '2027-03-01', 20, 30, 20, 33.33],
  [10, '2027-03-08', 15, 22.5, 25, 25], // 20 mg is still above 18: cut 6 → 14 → 15
  [11, '2027-03-20', 12.5, 18.75, 16.67, 20.83], // 1.5 planned: 12 days
  [12, '2027-04-03', 10, 15, 20, 16.67], // 1.25 planned: 14 days (exactly 10%/week)
  [13, '2027-04-21', 7.5, 11.25, 25, 12.5], // 1 planned: 17.5 → 18 days
  [14, '2027-05-15', 5, 7.5, 33.33, 8.33], // 0.75 planned: 23.3 → 24 days
  [15, '2027-06-19', 2.5, 3.75, 50, 4.17], // 0.5 planned: 35 days (exactly 10%/week)
  [16, '2027-06-26', 0, 0, 100, 0], // the exempt final stop, not stretched
]);
