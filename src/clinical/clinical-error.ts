import type { ClinicalRefusalCode } from './clinical-refusals.js';

/** A clinical input the rules cannot accept (the service turns it into a 422 with this code). */
export class ClinicalRuleError extends Error {
  constructor(
    readonly code: ClinicalRefusalCode,
    message: string,
    /** The offending input, in request terms, e.g. 'opioids[1].drug'. */
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Something a clinician should read alongside a result; never blocks the result. */
export interface ClinicalWarning {
  code: string;
  message: string;
  /** The request fields the warning is about, when it names some (e.g. 'dsm5.largerOrLonger'). */
  fields?: string[];
}
