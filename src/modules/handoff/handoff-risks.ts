import type { ClinicalWarning } from '../../clinical/clinical-error.js';
import { opioidInUse } from '../../clinical/opioid-in-use.js';
import type { OpioidFormulation } from '../../clinical/mme.js';
import { gabapentinoidWithOpioid } from '../../clinical/pain-drugs.js';
import { capitalised } from '../../clinical/pain-words.js';
import { type Product, productName, sameProduct } from '../../clinical/product.js';
import type { MedicalHistory } from '../intake/index.js';
import { type HandoffIntakeOpioid, type HandoffNotCounted, type HandoffSummary, notCountedCourse, stoppedAtAdmissionText } from './handoff-summary.js';

/**
 * The risks the next prescriber must read, in plain words (domain.md §11). The first three are
 * always there: after a taper, tolerance is lower and the old dose can kill.
 */
export function handoffRisks(summary: Omit<HandoffSummary, 'risks'>, medical: MedicalHistory): ClinicalWarning[] {
  const risks: ClinicalWarning[] = [
    { code: 'TOLERANCE_LOST', message: toleranceMessage(summary) },
    { code: 'DO_NOT_RESTART_AT_OLD_DOSE', message: 'Do not restart opioids at the pre-taper dose. If an opioid is needed again, start low, as for a patient who has not taken opioids, and increase slowly.' },
    { code: 'NALOXONE', message: 'Naloxone is recommended: prescribe it and make sure the patient and family know how to use it.' },
    // An intake opioid never ordered: none given since admission, so its intake dose is no longer tolerated.
    ...stoppedAtAdmission(summary).map((o) => ({
      code: 'STOPPED_AT_ADMISSION',
      message: stoppedAtAdmissionText(o, summary.stay.admittedOn, o.stoppedAtAdmission?.orderStoppedBeforeFirstDose ?? null, { date: (iso) => iso, perDay: amount }, capitalised(productName(productOf(o)))),
    })),
  ];
  // A stop ordered from a day after discharge is not a taper to go on with at its pace, nor slower.
  const continuing = summary.tapers.filter((t) => t.remainingSteps.length > 0 && !t.discontinued);
  if (continuing.length > 0) {
    risks.push({ code: 'TAPER_CONTINUES', message: `The taper is not finished (${continuing.map((t) => `${t.drug} ${t.formulation}`).join(', ')}): please continue the remaining steps listed below at the same pace or slower, never faster.` });
  }
  for (const t of summary.tapers.filter((taper) => taper.remainingSteps.length > 0 && taper.discontinued)) {
    const how = t.lifeThreateningReason ? ', at once (ordered as life-threatening)' : '';
    risks.push({ code: 'TAPER_STOPS', message: `The ${t.drug} ${t.formulation} order stops on ${t.discontinued!.from}${how}: ${t.discontinued!.reason}. Keep to that date; do not extend it.` });
  }
  if (medical.benzodiazepineUse) risks.push({ code: 'BENZODIAZEPINES', message: 'Benzodiazepine use was reported at intake: with any opioid, the risk of breathing problems and overdose is higher.' });
  // Not the MME at discharge: an opioid without a conversion factor (buprenorphine) counts 0 MME but still continues.
  // An intake opioid stopped at admission is not taken after discharge (the order checks still count it while ordering).
  const onOpioid = opioidInUse(
    summary.intake.opioids.filter((o) => o.stoppedAtAdmission === null).map((o) => ({ drug: o.drug, formulation: o.formulation as OpioidFormulation })),
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

/**
 * Lower tolerance only where the dose came down: the total MME fell, or (for an opioid without an
 * MME factor, whose MME stays 0) a taper's dose at discharge is below that product's intake dose.
 * A stay that reduced nothing still warns, without claiming a fall that did not happen: tolerance
 * drops within days of a cut, a missed dose or a stop. An opioid without an MME factor still taken
 * at discharge is always named with its doses: "0 MME/day at discharge" alone reads as opioid-free.
 */
function toleranceMessage(summary: Omit<HandoffSummary, 'risks'>): string {
  const atIntake = summary.intake.totalDailyMme;
  const { atDischarge } = summary.mme;
  const beside = summary.mme.notCounted.filter((o) => o.atDischarge > 0);
  const stillTaken = beside.map((o) => `${course(o)}, still taken (no MME factor, so not in the MME figures)`);
  if (atDischarge < atIntake) {
    const mme = `${fmt(atIntake)} MME/day then, ${fmt(atDischarge)} MME/day at discharge`;
    const figures = beside.length === 0 ? mme : [`${mme} from the opioids counted in MME`, ...stillTaken].join('; ');
    // "Much" only for a fall of a quarter or more, of the MME and of every dose named beside it: an 8% cut lowers tolerance, not by much.
    const much = fellByAQuarter(atIntake, atDischarge) && beside.every((o) => o.atIntake !== null && fellByAQuarter(o.atIntake, o.atDischarge)) ? 'much ' : '';
    return `Opioid tolerance is now ${much}lower than at intake (${figures}). A return to the old dose can cause fatal overdose.`;
  }
  const cuts = doseCuts(summary);
  if (cuts.length > 0) {
    const uncut = beside.filter((o) => o.atIntake === null || o.atDischarge >= o.atIntake).map(course);
    return `Opioid tolerance is now lower than at intake (${[...cuts, ...uncut].join('; ')}). A return to the old dose can cause fatal overdose.`;
  }
  // An opioid without an MME factor (buprenorphine) is never told as 0 MME: its doses are.
  const notReduced = atIntake > 0 ? [`${fmt(atIntake)} MME/day at intake, ${fmt(atDischarge)} MME/day at discharge`, ...stillTaken].join('; ') : beside.length > 0 ? beside.map(course).join('; ') : intakeDoses(summary);
  return (
    `The opioid dose was not reduced before discharge (${notReduced}), ` +
    'but tolerance falls within days once doses are cut, missed or stopped: after any break, a return to this dose or a higher one can cause fatal overdose.'
  );
}

const fellByAQuarter = (from: number, to: number): boolean => to <= from * 0.75;

/** "buprenorphine IR 6 mg/day at intake, 4 mg/day at discharge". */
const course = (o: HandoffNotCounted): string => notCountedCourse(o, productName(productOf(o)), amount);

/** "buprenorphine SL 8 mg/day at intake": the intake doses, where no MME applies. */
function intakeDoses(summary: Omit<HandoffSummary, 'risks'>): string {
  return summary.intake.opioids.map((o) => `${productName(productOf(o))} ${amount(o.dailyDose, o.unit)} at intake`).join('; ') || 'no opioid at intake';
}

/**
 * "buprenorphine TRANSDERMAL 10 mcg/h at intake, 5 mcg/h at discharge", for each taper below its
 * product's intake dose, and "buprenorphine SL 8 mg/day at intake, stopped at admission" for each
 * intake opioid never ordered.
 */
function doseCuts(summary: Omit<HandoffSummary, 'risks'>): string[] {
  const tapered = summary.tapers.flatMap((t) => {
    const intake = summary.intake.opioids.find((o) => sameProduct(productOf(o), productOf(t)));
    const from = intake?.dailyDose ?? t.start.dailyDose;
    if (!(t.atDischarge.dailyDose < from)) return [];
    return [`${productName(productOf(t))} ${amount(from, t.unit)} at intake, ${amount(t.atDischarge.dailyDose, t.unit)} at discharge`];
  });
  const stopped = stoppedAtAdmission(summary).map((o) => `${productName(productOf(o))} ${amount(o.dailyDose, o.unit)} at intake, stopped at admission`);
  return [...tapered, ...stopped];
}

/** The intake opioids no order of the stay covered, one per product (a product taken scheduled and as needed is two intake lines). */
function stoppedAtAdmission(summary: Omit<HandoffSummary, 'risks'>): HandoffIntakeOpioid[] {
  const stopped = summary.intake.opioids.filter((o) => o.stoppedAtAdmission !== null);
  return stopped
    .filter((o, i) => stopped.findIndex((other) => sameProduct(productOf(other), productOf(o))) === i)
    .map((o) => ({ ...o, dailyDose: stopped.filter((other) => sameProduct(productOf(other), productOf(o))).reduce((sum, other) => sum + Math.round(other.dailyDose * 1000), 0) / 1000 }));
}


const productOf = (p: { drug: string; formulation: string }): Product => ({ drug: p.drug, formulation: p.formulation as OpioidFormulation });

/** "40 mg/day"; a patch strength is already a rate. */
function amount(value: number, unit: string): string {
  return unit.includes('/') ? `${fmt(value)} ${unit}` : `${fmt(value)} ${unit}/day`;
}

/** As elsewhere in the summary: up to two decimals, no trailing zeros (26.25, 22.5, 90). */
function fmt(value: number): string {
  return String(Number(value.toFixed(2)));
}
