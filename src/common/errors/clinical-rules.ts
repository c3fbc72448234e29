import { ClinicalRuleError } from '../../clinical/clinical-error.js';
import { RuleViolation } from './domain-error.js';

/** Runs pure clinical rules; a refusal from them becomes a 422 with its code and the field it names. */
export function applyClinicalRules<T>(rules: () => T): T {
  try {
    return rules();
  } catch (error) {
    if (error instanceof ClinicalRuleError) {
      throw new RuleViolation(error.code, error.message, error.field ? [{ field: error.field, reason: error.message }] : undefined);
    }
    throw error;
  }
}
