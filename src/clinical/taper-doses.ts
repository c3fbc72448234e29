/**
 * Exact dose arithmetic for tapers. Doses carry at most 3 decimals, so they are handled as
 * integer thousandths of a unit (as mme.ts does) and only turned back into numbers for output:
 * 12.5 is 12 500, and 60 − 10% of 60 is never 53.99999999999999.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { MAX_DOSE } from './mme.js';
import type { TaperParams } from './taper-types.js';

export const DOSE_SCALE = 1000;

/** Integer thousandths of a dose, or null for NaN, a negative, more than MAX_DOSE or a 4th decimal. */
export function thousandthsOrNull(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DOSE) return null;
  const scaled = value * DOSE_SCALE;
  const whole = Math.round(scaled);
  // The tolerance only absorbs binary noise such as 0.1 + 0.2; a real 4th decimal is refused.
  return Math.abs(scaled - whole) > 1e-6 ? null : whole;
}

export function fromThousandths(thousandths: number): number {
  return thousandths / DOSE_SCALE;
}

/** floor(a ÷ b) for safe integers, b > 0, exact even where a ÷ b in floating point is not. */
export function floorDiv(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  let remainder = a - quotient * b;
  while (remainder < 0) [quotient, remainder] = [quotient - 1, remainder + b];
  while (remainder >= b) [quotient, remainder] = [quotient + 1, remainder - b];
  return quotient;
}

export function ceilDiv(a: number, b: number): number {
  return -floorDiv(-a, b);
}

/** part ÷ whole × 100, rounded half up to 2 decimals, from integers (8.333… → 8.33). */
export function percentOf(part: number, whole: number): number {
  return floorDiv(2 * part * 10_000 + whole, 2 * whole) / 100;
}

/** The smallest listed strength, in thousandths; ClinicalRuleError when the list is unusable. */
export function smallestStrengthThousandths(unitStrengths: unknown): number {
  if (!Array.isArray(unitStrengths) || unitStrengths.length === 0) {
    throw new ClinicalRuleError('INVALID_UNIT_STRENGTH', 'List at least one unit strength.', 'unitStrengths');
  }
  const scaled = unitStrengths.map((strength: unknown, i) => {
    const t = thousandthsOrNull(strength);
    if (t === null || t === 0) {
      throw new ClinicalRuleError('INVALID_UNIT_STRENGTH', 'A unit strength must be more than 0, with at most 3 decimals.', `unitStrengths[${i}]`);
    }
    return t;
  });
  return Math.min(...scaled);
}

/** The quantum in thousandths: the smallest strength, or half of it when halves are allowed. */
export function quantumThousandths(params: Pick<TaperParams, 'unitStrengths' | 'allowHalfTablets'>): number {
  const smallest = smallestStrengthThousandths(params.unitStrengths);
  if (params.allowHalfTablets !== true) return smallest;
  if (smallest % 2 !== 0) {
    const strength = fromThousandths(smallest);
    throw new ClinicalRuleError('INVALID_UNIT_STRENGTH', `Half of ${strength} has more than 3 decimals.`, 'unitStrengths');
  }
  return smallest / 2;
}

/** The smallest achievable step: the smallest strength, or half of it when halves are allowed. */
export function quantumOf(params: Pick<TaperParams, 'unitStrengths' | 'allowHalfTablets'>): number {
  return fromThousandths(quantumThousandths(params));
}

/** Whether `dose` is a whole multiple (0 included) of `quantum`, computed exactly. */
export function isAchievable(dose: number, quantum: number): boolean {
  const d = thousandthsOrNull(dose);
  const q = thousandthsOrNull(quantum);
  return d !== null && q !== null && q > 0 && d % q === 0;
}
