/**
 * A pain-plan or as-needed dose given is held to the patient's limits as the record stands now
 * (domain.md §8a, §9), not only to its order: an intake corrected after the order was written (a
 * kidney clearance measured, liver impairment found) lowers the limit or rules the drug out until
 * the psychiatrist reviews the order. The same figure tells the nurses' list what remains, so the
 * list never offers a dose the record refuses. Quantities in integer thousandths; pure.
 */
import { ClinicalRuleError } from './clinical-error.js';
import { painDrugRule, type PatientDrugLimit } from './pain-plan.js';
import { paracetamolThousandths, type ParacetamolSource } from './paracetamol.js';
import { listOf } from './pain-words.js';
import { fromThousandths, thousandthsOrNull } from './taper-doses.js';

const toThousandths = (value: number, field: string): number => {
  const t = thousandthsOrNull(value);
  if (t === null || t < 0) throw new ClinicalRuleError('INVALID_DOSE', 'A dose is more than 0, with at most 3 decimals.', field);
  return t;
};

const sum = (doses: readonly number[]): number => doses.reduce((total, dose) => total + toThousandths(dose, 'dose'), 0);

/** What the patient may still take of the drug on the clinic day, in thousandths: 0 when the drug is ruled out. */
export function roomUnderPatientLimit(limit: PatientDrugLimit, givenThatDay: readonly number[]): number {
  if (limit.ruledOut.length > 0) return 0;
  return Math.max(0, toThousandths(limit.maxDaily, 'maxDaily') - sum(givenThatDay));
}

/**
 * Why the order is outside the patient's current limits, for the nurse and the psychiatrist; null
 * when it is within them. `orderedDaily`: what the drug's orders in force allow a day together;
 * `otherSources`: for a drug counted from every source (paracetamol), what combination opioids
 * still taken add a day, as the order check counts them (hydrocodone with paracetamol).
 */
export function patientLimitNotice(limit: PatientDrugLimit, orderedDaily: number, otherSources: readonly ParacetamolSource[] = []): { code: string; reason: string } | null {
  const [ruledOut] = limit.ruledOut;
  if (ruledOut) return { code: ruledOut.code, reason: `The patient's record now rules ${limit.drug} out: ${ruledOut.message}` };
  const others = painDrugRule(limit.drug)?.countsEverySource ? otherSources.filter((o) => o.dailyMg > 0) : [];
  const counted = toThousandths(orderedDaily, 'dailyDose') + paracetamolThousandths(others);
  if (counted <= toThousandths(limit.maxDaily, 'maxDaily')) return null;
  const u = limit.unit;
  const lowered = limit.loweredBy ? ` with ${limit.loweredBy}` : '';
  const besides = others.length > 0 ? ` with ${listOf(others.map((o) => `${o.dailyMg} ${u}/day from ${o.source}`))}, ${fromThousandths(counted)} ${u}/day in all` : '';
  return {
    code: limit.code,
    reason: `The patient's limit of ${limit.drug} is ${limit.maxDaily} ${u}/day${lowered}, below the ${orderedDaily} ${u}/day ordered${besides}: the order needs the psychiatrist's review.${limit.overrideNote}`,
  };
}

/**
 * A dose given may not take the drug's day (every pain-plan and as-needed order of it) above the
 * patient's limit, and a drug the record rules out is not given at all. A dose held, refused or
 * omitted is always recordable.
 */
export function checkDoseWithinPatientLimit(
  entry: { outcome: string; dose: number; date: string },
  limit: PatientDrugLimit,
  orderedDaily: number,
  givenThatDay: readonly number[],
  otherSources: readonly ParacetamolSource[] = [],
): void {
  if (entry.outcome !== 'GIVEN') return;
  const notice = patientLimitNotice(limit, orderedDaily, otherSources);
  const review = ' Record the dose as held with the reason, and ask the psychiatrist to review the order.';
  const [ruledOut] = limit.ruledOut;
  if (ruledOut) throw new ClinicalRuleError(ruledOut.code, `${notice!.reason}${review}`, 'orderId');
  const room = roomUnderPatientLimit(limit, givenThatDay);
  if (toThousandths(entry.dose, 'dose') <= room) return;
  const u = limit.unit;
  const given = fromThousandths(sum(givenThatDay));
  const why = notice ? ` ${notice.reason}` : '';
  throw new ClinicalRuleError(
    limit.code,
    `${entry.date}: ${given} ${u} of ${limit.drug} already given and the patient's limit is ${limit.maxDaily} ${u}/day${limit.loweredBy ? ` with ${limit.loweredBy}` : ''}; ` +
      `${entry.dose} ${u} more is too much (at most ${fromThousandths(room)} ${u} now).${why}${notice ? review : ''}`,
    'dose',
  );
}
