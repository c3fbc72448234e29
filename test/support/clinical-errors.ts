import { ClinicalRuleError } from '../../src/clinical/clinical-error.js';

/** The ClinicalRuleError `run` throws; fails the test when it throws nothing or something else. */
export function ruleErrorOf(run: () => unknown): ClinicalRuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof ClinicalRuleError) return error;
    throw error;
  }
  throw new Error('expected a ClinicalRuleError');
}
