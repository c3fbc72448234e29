/**
 * A drug's daily limit held over any 24 hours (domain.md §8a, §9): paracetamol harms the liver by
 * the amount taken in 24 hours, so eight 1 g doses in eight minutes across the clinic's midnight
 * are refused though each clinic day holds only four. The amount counts every source the record
 * knows: pain-plan and as-needed doses, and the paracetamol in combination-opioid doses given
 * under a taper. Quantities in integer thousandths, exactly; instants in ms. Pure.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { canonicalDrugCode } from './mme.js';
import { combinationParacetamol, type ParacetamolSource } from './paracetamol.js';
import { type Product, sameProduct } from './product.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

export const ROLLING_DAY_MS = 24 * 3_600_000;

/** An amount of the drug taken at one instant, from one source (in the drug's unit). */
export interface DrugTaken {
  givenAt: Date;
  amount: number;
}

export interface RollingDayLimit {
  drug: string;
  unit: string;
  /** The patient's limit a day, every source together. */
  maxDaily: number;
  /** Why it is lower than the drug's default, e.g. "hepatic impairment"; empty for the default. */
  because: readonly string[];
}

const toThousandths = (value: number): number => {
  const t = thousandthsOrNull(value);
  if (t === null || t < 0) throw new ClinicalRuleError('INVALID_DOSE', 'A dose is more than 0, with at most 3 decimals.', 'dose');
  return t;
};

interface Window {
  from: number;
  total: number;
}

/**
 * The fullest 24 hours [from, from + 24 h) that hold the instant `at`, with what was taken in it.
 * Sliding the window's start right only drops doses on the left until it reaches a dose, so the
 * fullest one starts at a dose within the 24 hours before `at`, or at `at` itself.
 */
function fullestWindow(at: number, taken: readonly { at: number; amount: number }[]): Window {
  const starts = [at, ...taken.map((d) => d.at).filter((s) => s > at - ROLLING_DAY_MS && s <= at)];
  return starts.reduce<Window>(
    (best, from) => {
      const total = taken.filter((d) => d.at >= from && d.at < from + ROLLING_DAY_MS).reduce((sum, d) => sum + d.amount, 0);
      return total > best.total || (total === best.total && from < best.from) ? { from, total } : best;
    },
    { from: at, total: -1 },
  );
}

/** A dose (thousandths) fits when the fullest 24 hours around it stay within `max` with it. */
const fits = (fullest: Window, dose: number, max: number): boolean => fullest.total + dose <= max;

/**
 * The earliest instant from `at` on at which `dose` fits under `limit` in every 24 hours around
 * it: `at` itself, or when a dose taken leaves the window (24 hours after it). `taken` must hold
 * the doses up to 48 hours after `at` for the answer to cover the next 24 hours; null when no
 * instant within them fits.
 */
export function nextFit(at: number, dose: number, limit: number, taken: readonly { at: number; amount: number }[]): number | null {
  const candidates = [at, ...taken.map((d) => d.at + ROLLING_DAY_MS).filter((c) => c > at && c <= at + ROLLING_DAY_MS)].sort((a, b) => a - b);
  return candidates.find((c) => fullestWindow(c, taken).total + dose <= limit) ?? null;
}

/**
 * A dose given may not bring the drug taken in any 24 hours that hold it above the patient's
 * limit a day. `taken`: every dose of the drug from every source given less than 24 hours before
 * it and up to 48 hours after it (a dose entered after the fact can crowd later ones too). The
 * refusal names the fullest 24 hours and when a dose this size fits next.
 */
export function checkRollingDay(entry: { outcome: string; dose: number; givenAt: Date }, limit: RollingDayLimit, taken: readonly DrugTaken[]): void {
  if (entry.outcome !== 'GIVEN') return;
  const at = entry.givenAt.getTime();
  const dose = toThousandths(entry.dose);
  const max = toThousandths(limit.maxDaily);
  const doses = taken.map((d) => ({ at: d.givenAt.getTime(), amount: toThousandths(d.amount) }));
  const fullest = fullestWindow(at, doses);
  if (fits(fullest, dose, max)) return;
  const u = limit.unit;
  const because = limit.because.length > 0 ? ` with ${limit.because.join(' and ')}` : '';
  const room = Math.max(0, max - fullest.total);
  const next = nextFit(at, dose, max, doses);
  const when = next === null ? `no dose of ${entry.dose} ${u} fits in the 24 hours after it` : `a dose of ${entry.dose} ${u} fits from ${new Date(next).toISOString()}`;
  throw new ClinicalRuleError(
    'MAX_DAILY_DOSE_EXCEEDED',
    `${fromThousandths(fullest.total)} ${u} of ${limit.drug} is already given in the 24 hours from ${new Date(fullest.from).toISOString()}, counting every source, ` +
      `and the patient's limit is ${limit.maxDaily} ${u} in any 24 hours${because}; ${entry.dose} ${u} more is too much ` +
      `(at most ${fromThousandths(room)} ${u} now; ${when}).`,
    'dose',
  );
}

/**
 * What may still be given at `at` without passing `maxDaily` in any 24 hours that hold it, in
 * thousandths: the room checkRollingDay leaves a dose (the nurses' list shows it as remaining).
 */
export function roomInRollingDay(at: Date, maxDaily: number, taken: readonly DrugTaken[]): number {
  const doses = taken.map((d) => ({ at: d.givenAt.getTime(), amount: toThousandths(d.amount) }));
  return Math.max(0, toThousandths(maxDaily) - fullestWindow(at.getTime(), doses).total);
}

/** An intake opioid as the record converts its doses: mg of opioid per unit, and the paracetamol in that unit. */
export interface CombinationProduct extends Product {
  dose: number;
  paracetamolPerUnitMg?: number | null;
}

/** A taper dose given, as the record holds it. */
export interface TaperDoseGiven {
  givenAt: Date;
  drug: string;
  formulation: string | null;
  dose: number;
}

/**
 * The paracetamol in taper doses of intake combination products (hydrocodone 5 mg + paracetamol
 * 325 mg: a 10 mg dose is two units, 650 mg). Doses of other products carry none.
 */
export function paracetamolInTaperDoses(doses: readonly TaperDoseGiven[], intake: readonly CombinationProduct[]): DrugTaken[] {
  const combinations = intake.filter((o) => o.paracetamolPerUnitMg !== undefined && o.paracetamolPerUnitMg !== null && o.dose > 0);
  return doses.flatMap((d) => {
    const product = combinations.find((o) => d.formulation !== null && sameProduct(o, { drug: d.drug, formulation: d.formulation as Product['formulation'] }));
    if (!product) return [];
    // units × mg per unit, rounded to the thousandth as every amount is.
    const amount = Math.round((toThousandths(d.dose) * toThousandths(product.paracetamolPerUnitMg!)) / toThousandths(product.dose)) / 1000;
    return [{ givenAt: d.givenAt, amount }];
  });
}

/** The combination products among the intake opioids: without one, no taper dose carries paracetamol. */
export function combinationProducts(intake: readonly CombinationProduct[]): Product[] {
  return intake.filter((o) => o.paracetamolPerUnitMg !== undefined && o.paracetamolPerUnitMg !== null).map((o) => ({ drug: canonicalDrugCode(o.drug), formulation: o.formulation }));
}

/**
 * The most of an intake combination product that may still be given at `at` under a taper, in
 * thousandths of its unit: `upTo` (what the schedule leaves) when the paracetamol it carries
 * (paracetamolInTaperDoses) fits under `maxDaily` in every 24 hours that hold it, as
 * checkRollingDay holds a taper dose; otherwise the largest whole multiple of `quantum` (the
 * doses the order's strengths make, as checkAchievableDose holds them) whose paracetamol fits.
 * `taken`: every paracetamol dose from every source within 24 hours either side of `at`. Null
 * when the product carries no paracetamol, so nothing holds it here.
 */
export function carrierDoseRoom(
  at: Date,
  product: { drug: string; formulation: string | null },
  intake: readonly CombinationProduct[],
  maxDaily: number,
  taken: readonly DrugTaken[],
  doses: { quantum: number; upTo: number },
): number | null {
  const carried = (dose: number): number | null => {
    const [paracetamol] = paracetamolInTaperDoses([{ givenAt: at, drug: product.drug, formulation: product.formulation, dose: dose / 1000 }], intake);
    return paracetamol ? toThousandths(paracetamol.amount) : null;
  };
  if (carried(doses.quantum) === null) return null;
  const fullest = fullestWindow(at.getTime(), taken.map((d) => ({ at: d.givenAt.getTime(), amount: toThousandths(d.amount) })));
  const max = toThousandths(maxDaily);
  const fitsDose = (dose: number): boolean => fits(fullest, carried(dose)!, max);
  if (fitsDose(doses.upTo)) return doses.upTo;
  // The paracetamol carried grows with the dose: the largest step that fits, by halving.
  let [low, high] = [0, Math.ceil(doses.upTo / doses.quantum) - 1];
  if (!fitsDose(0)) return 0;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fitsDose(mid * doses.quantum)) low = mid;
    else high = mid - 1;
  }
  return low * doses.quantum;
}

/**
 * The intake combination products taken in `doses` (taper doses given around the moment), at the
 * paracetamol a day the order check counts for each (domain.md §9: every source counted). A
 * product with no dose given there is not counted: the record shows it taken, or not.
 */
export function combinationsTaken(intake: readonly (CombinationProduct & { timesPerDay: number })[], doses: readonly TaperDoseGiven[]): ParacetamolSource[] {
  const taken = intake.filter((o) => doses.some((d) => d.formulation !== null && sameProduct(o, { drug: d.drug, formulation: d.formulation as Product['formulation'] })));
  return combinationParacetamol(taken);
}
