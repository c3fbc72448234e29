import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { opioidInUse } from '../../clinical/opioid-in-use.js';
import type { OpioidFormulation } from '../../clinical/mme.js';
import { gabapentinoidWithOpioid } from '../../clinical/pain-drugs.js';
import type { MedicalHistory } from '../intake/index.js';
import type { HandoffSummary } from './handoff-summary.js';

/**
 * The risks the next prescriber must read, in plain words (domain.md §11). The first three are
 * always there: after a taper, tolerance is lower and the old dose can kill.
 */
export function handoffRisks(summary: Omit<HandoffSummary, 'risks'>, medical: MedicalHistory): ClinicalWarning[] {
  const intakeMme = summary.intake.totalDailyMme;
  const risks: ClinicalWarning[] = [
    {
      code: 'TOLERANCE_LOST',
      message: `Opioid tolerance is now much lower than at intake (${fmt(intakeMme)} MME/day then, ${fmt(summary.mme.atDischarge)} MME/day at discharge). A return to the old dose can cause fatal overdose.`,
    },
    { code: 'DO_NOT_RESTART_AT_OLD_DOSE', message: 'Do not restart opioids at the pre-taper dose. If an opioid is needed again, start low, as for a patient who has not taken opioids, and increase slowly.' },
    { code: 'NALOXONE', message: 'Naloxone is recommended: prescribe it and make sure the patient and family know how to use it.' },
  ];
  const continuing = summary.tapers.filter((t) => t.remainingSteps.length > 0);
  if (continuing.length > 0) {
    risks.push({ code: 'TAPER_CONTINUES', message: `The taper is not finished (${continuing.map((t) => `${t.drug} ${t.formulation}`).join(', ')}): please continue the remaining steps listed below at the same pace or slower, never faster.` });
  }
  if (medical.benzodiazepineUse) risks.push({ code: 'BENZODIAZEPINES', message: 'Benzodiazepine use was reported at intake: with any opioid, the risk of breathing problems and overdose is higher.' });
  // Not the MME at discharge: an opioid without a conversion factor (buprenorphine) counts 0 MME but still continues.
  const onOpioid = opioidInUse(
    summary.intake.opioids.map((o) => ({ drug: o.drug, formulation: o.formulation as OpioidFormulation })),
    summary.tapers.map((t) => ({
      drug: t.drug,
      formulation: t.formulation as OpioidFormulation,
      replaces: t.rotation ? { drug: t.rotation.replaces.drug, formulation: t.rotation.replaces.formulation as OpioidFormulation } : null,
      dailyDoseToday: t.atDischarge.dailyDose,
    })),
  );
  if (gabapentinoidWithOpioid(summary.painPlan.active.map((m) => m.drug), onOpioid)) {
    risks.push({ code: 'GABAPENTINOID_WITH_OPIOID', message: 'A gabapentinoid is prescribed while an opioid continues: together they can depress breathing (FDA, December 2019).' });
  }
  return risks;
}

/** As elsewhere in the summary: up to two decimals, no trailing zeros (26.25, 22.5, 90). */
function fmt(mme: number): string {
  return String(Number(mme.toFixed(2)));
}
