import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { dsm5Warnings, scoreDsm5, type Dsm5Result } from '../../clinical/dsm5.js';
import { screenHyperalgesia } from '../../clinical/hyperalgesia.js';
import { computeMme, type MmeResult } from '../../clinical/mme.js';
import { applyClinicalRules } from '../../common/errors/clinical-rules.js';
import type { IntakeInput } from './intake-input.js';

/** Everything the clinical rules say about one intake. */
export interface IntakeFindings {
  mme: MmeResult;
  dsm5: Dsm5Result;
  hyperalgesiaSuspected: boolean;
  warnings: ClinicalWarning[];
}

/** Runs the pure clinical functions; a clinical refusal becomes a 422 naming the field. */
export function assessIntake(input: IntakeInput): IntakeFindings {
  return applyClinicalRules(() => {
    const mme = computeMme(input.opioids);
    const dsm5 = scoreDsm5(input.dsm5, input.takenAsPrescribed, input.opioids);
    const answers = dsm5Warnings(input.dsm5, input.takenAsPrescribed, input.opioids);
    const hyperalgesia = screenHyperalgesia(input.pain);
    return { mme, dsm5, hyperalgesiaSuspected: hyperalgesia.suspected, warnings: [...mme.warnings, ...answers, ...hyperalgesia.signs] };
  });
}
