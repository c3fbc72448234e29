import { ClinicalRuleError } from '../../clinical/clinical-error.js';
import { CLINICAL_REFUSALS, type ClinicalRefusalCode } from '../../clinical/clinical-refusals.js';
import type { ErrorDetail } from './domain-error.js';
import { defineErrors, type ErrorCatalogue, type ErrorSpec } from './error-catalogue.js';

/** The clinical refusals as API errors: each a 422 with its code. */
export const CLINICAL_ERRORS: ErrorCatalogue<ClinicalRefusalCode> = defineErrors(
  Object.fromEntries(Object.entries(CLINICAL_REFUSALS).map(([code, description]) => [code, { status: 422, description }])) as Record<ClinicalRefusalCode, ErrorSpec>,
);

/** Runs pure clinical rules; a refusal from them becomes a 422 with its code and the field it names. */
export function applyClinicalRules<T>(rules: () => T): T {
  try {
    return rules();
  } catch (error) {
    if (error instanceof ClinicalRuleError) {
      const details: ErrorDetail[] | undefined = error.field ? [{ field: error.field, reason: error.message }] : undefined;
      throw CLINICAL_ERRORS[error.code](error.message, details);
    }
    throw error;
  }
}
