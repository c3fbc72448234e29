/**
 * Paracetamol from every source (domain.md §3, §9): the paracetamol of combination opioids still
 * in use counts toward the daily limit of a paracetamol order, beside other paracetamol orders.
 */
import { ClinicalRuleError } from './clinical-error.js';
import type { OpioidRegimen } from './mme.js';
import { type Product, productName, sameProduct } from './product.js';

/** Paracetamol taken each day from one source, e.g. { source: 'hydrocodone IR (combination)', dailyMg: 1300 }. */
export interface ParacetamolSource {
  source: string;
  dailyMg: number;
}

/**
 * The paracetamol of each intake combination opioid still in use. Units per day = timesPerDay:
 * the intake records a combination's dose per unit taken (one tablet per dose), which is the only
 * reading the intake fields allow; as needed, timesPerDay is the most a day, so the most counts.
 * `stopped`: products no longer taken (a taper at zero, or rotated away).
 */
export function combinationParacetamol(
  opioids: readonly Pick<OpioidRegimen, 'drug' | 'formulation' | 'timesPerDay' | 'paracetamolPerUnitMg'>[],
  stopped: readonly Product[] = [],
): ParacetamolSource[] {
  return opioids.flatMap((o) => {
    const perUnit = o.paracetamolPerUnitMg;
    if (perUnit === undefined || perUnit === null || stopped.some((s) => sameProduct(s, o))) return [];
    // Thousandths of a mg keep 325 × 3 exact.
    const dailyMg = (Math.round(perUnit * 1000) * o.timesPerDay) / 1000;
    return [{ source: `${productName(o)} (combination product)`, dailyMg }];
  });
}

/** Total in thousandths of a mg; refuses a source that is not a daily amount. */
export function paracetamolThousandths(sources: readonly ParacetamolSource[]): number {
  return sources.reduce((sum, s, i) => {
    if (!(typeof s.dailyMg === 'number' && Number.isFinite(s.dailyMg) && s.dailyMg >= 0)) {
      throw new ClinicalRuleError('INVALID_PARACETAMOL_SOURCE', `${s.source}: a daily amount of paracetamol is at least 0 mg.`, `otherParacetamol[${i}]`);
    }
    return sum + Math.round(s.dailyMg * 1000);
  }, 0);
}
