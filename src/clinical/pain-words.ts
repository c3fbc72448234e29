/** Wording shared by the pain-plan checks (not exported from the clinical index). */
import type { PainDrugRule } from './pain-drugs.js';

/** "a", "a and b", "a, b and c" (or "a or b"). */
export function listOf(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const perDay = (rule: PainDrugRule, amount: number): string =>
  rule.unit === 'patch' ? `${amount} ${amount === 1 ? 'patch' : 'patches'}/day` : `${amount} mg/day`;

/** "1000 mg", "3 patches": one dose. */
export const perDose = (rule: Pick<PainDrugRule, 'unit'>, amount: number): string =>
  rule.unit === 'patch' ? `${amount} ${amount === 1 ? 'patch' : 'patches'}` : `${amount} mg`;
