import { addDays, changeDays, mmeInForceOn, type IntakeRegimen, type OrderInForce } from '../../clinical/taper.js';
import { calendarDate } from '../../common/clock.js';
import { type Product, sameProduct } from '../../clinical/product.js';
import { patchWearHours } from '../../clinical/administration.js';
import type { TaperAdministration } from '../administrations/index.js';
import type { TaperOrderEntity, TaperStepEntity } from '../taper-orders/index.js';
import { lastGivenOf, takenOfTaper, type StayOf, type TakenOfTaper } from './handoff-record.js';
import type { HandoffTaper, HandoffTaperStep, OrderStopped } from './handoff-summary.js';

/**
 * The tapers actually followed: every signed order (drafts never ran), told from its latest
 * version, which keeps the steps already taken and holds every pause; the earlier versions
 * say when and why the plan changed; the administration record says what was given.
 */
export function taperHistories(versions: TaperOrderEntity[], steps: TaperStepEntity[], administrations: TaperAdministration[], stay: StayOf): HandoffTaper[] {
  const signed = versions.filter((v) => v.status !== 'DRAFT');
  const orderIds = [...new Set(signed.map((v) => v.orderId))];
  return orderIds.flatMap((orderId) => {
    const history = signed.filter((v) => v.orderId === orderId).sort((a, b) => a.version - b.version);
    const latest = history.at(-1)!;
    const schedule = steps.filter((s) => s.versionId === latest.id).sort((a, b) => a.step - b.step).map(toStep);
    // An order discontinued before its first dose was never part of the patient's care.
    if (!schedule.some((s) => s.dailyDose > 0 && s.startsOn <= stay.dischargedOn)) return [];
    const entries = administrations.filter((a) => a.orderId === orderId);
    const taken = takenOfTaper(schedule, entries, stay, patchWearHours(latest));
    return [{ ...taperHistory(latest, history, schedule, taken, stay), ...taken, lastGiven: lastGivenOf(entries, patchWearHours(latest)) }];
  });
}

function taperHistory(latest: TaperOrderEntity, history: TaperOrderEntity[], schedule: HandoffTaperStep[], { stepsTaken: taken }: TakenOfTaper, { timeZone }: StayOf): Omit<HandoffTaper, keyof TakenOfTaper | 'lastGiven'> {
  const first = schedule[0]!;
  const current = taken.at(-1) ?? first;
  return {
    orderId: latest.orderId,
    drug: latest.drug,
    formulation: latest.formulation,
    unit: latest.unit,
    start: { date: first.startsOn, dailyDose: first.dailyDose, dailyMme: first.dailyMme },
    atDischarge: { since: current.startsOn, dailyDose: current.dailyDose, dailyMme: current.dailyMme },
    completed: !latest.discontinued && taken.length === schedule.length,
    discontinued: latest.discontinued ? { from: latest.endsOn, reason: latest.amendmentReason ?? '' } : null,
    targetDailyDose: latest.targetDailyDose,
    basis: latest.basis,
    reductionPercent: latest.reductionPercent,
    intervalDays: latest.intervalDays,
    versions: history.map((v) => ({
      version: v.version,
      signedOn: v.signedAt ? calendarDate(v.signedAt, timeZone) : null,
      // The first version has no amendment date: it is in force from its start date.
      effectiveFrom: v.effectiveFrom ?? v.startDate,
      reason: v.amendmentReason,
      reductionPercent: v.reductionPercent,
      intervalDays: v.intervalDays,
    })),
    pauses: latest.pauses,
    rotation: latest.replacesDrug && latest.replacesFormulation ? { replaces: { drug: latest.replacesDrug, formulation: latest.replacesFormulation }, reason: latest.rotationReason ?? '' } : null,
    overrideReason: latest.overrideReason,
    lifeThreateningReason: latest.lifeThreateningReason,
    warnings: latest.warnings,
  };
}

/**
 * The latest signed version of every order followed (a taper of the handoff) as the MME rules read
 * it, without the steps a taper had not reached by discharge: a step due on the discharge day the
 * patient left before adds nothing to that day (the series ends there). An order stopped before
 * its first dose is left out: it gave nothing, so its product is as if never ordered (stopped at
 * admission), unless a rotation covers it.
 */
export function ordersForMme(versions: TaperOrderEntity[], steps: TaperStepEntity[], tapers: Pick<HandoffTaper, 'orderId' | 'remainingSteps'>[]): OrderInForce[] {
  const latest = latestSigned(versions);
  return [...latest.values()].filter((v) => tapers.some((t) => t.orderId === v.orderId)).map((v) => {
    const due = new Set(tapers.find((t) => t.orderId === v.orderId)?.remainingSteps.map((s) => s.step));
    return {
      drug: v.drug,
      formulation: v.formulation,
      replaces: v.replacesDrug && v.replacesFormulation ? { drug: v.replacesDrug, formulation: v.replacesFormulation } : null,
      steps: steps.filter((s) => s.versionId === v.id && !due.has(s.step)).sort((a, b) => a.step - b.step),
    };
  });
}

/** The latest signed version of each order, by order id. */
function latestSigned(versions: TaperOrderEntity[]): Map<string, TaperOrderEntity> {
  const latest = new Map<string, TaperOrderEntity>();
  for (const v of versions) if (v.status !== 'DRAFT' && (latest.get(v.orderId)?.version ?? 0) < v.version) latest.set(v.orderId, v);
  return latest;
}

/**
 * The orders signed but stopped before their first dose (not among the tapers followed), each as
 * its product and its stop: from when, and the discontinue reason.
 */
export function ordersStoppedBeforeFirstDose(versions: TaperOrderEntity[], tapers: Pick<HandoffTaper, 'orderId'>[]): (Product & OrderStopped)[] {
  return [...latestSigned(versions).values()]
    .filter((v) => !tapers.some((t) => t.orderId === v.orderId))
    .map((v) => ({ drug: v.drug, formulation: v.formulation, from: v.endsOn, reason: v.amendmentReason ?? '' }));
}

/**
 * Total daily MME the patient takes on each day of the stay, by the rule the orders are checked
 * with (clinical/regimen-mme.ts): each order's dose from its first step; an intake product with
 * no order yet at its intake dose, unless a rotation in force replaces it. An intake product no
 * order of the stay covered (`notOrdered`) was stopped at admission: nothing is given in the clinic
 * without an order. It counts on the admission day alone, the day the patient arrived on it (its
 * last dose was taken before, outside the clinic's record), unless that day is also the day of
 * discharge, whose total is the MME at discharge.
 */
export function dailyMmeSeries(intake: IntakeRegimen, orders: OrderInForce[], admittedOn: string, dischargedOn: string, notOrdered: readonly Product[] = []): { date: string; mme: number }[] {
  const given = regimenGiven(intake, notOrdered);
  const arrival = notOrdered.length > 0 && admittedOn < dischargedOn;
  // The total changes only on a step or an order's end (and the day after arrival): worked out on those days, carried between.
  const days = [...changeDays(orders, admittedOn, dischargedOn), ...(arrival ? [addDays(admittedOn, 1)] : [])];
  const changes = new Map(days.map((day) => [day, mmeInForceOn(day, given, orders).totalDailyMme]));
  if (arrival) changes.set(admittedOn, mmeInForceOn(admittedOn, intake, orders).totalDailyMme);
  const series: { date: string; mme: number }[] = [];
  let mme = 0;
  for (let date = admittedOn; date <= dischargedOn; date = addDays(date, 1)) {
    mme = changes.get(date) ?? mme;
    series.push({ date, mme });
  }
  return series;
}

/** The intake regimen without the products never ordered: what the clinic's orders leave the patient on. */
export function regimenGiven(intake: IntakeRegimen, notOrdered: readonly Product[]): IntakeRegimen {
  return { ...intake, products: intake.products.filter((p) => !notOrdered.some((n) => sameProduct(n, p))) };
}

function toStep(step: TaperStepEntity): HandoffTaperStep {
  return { step: step.step, startsOn: step.startsOn, dailyDose: step.dailyDose, dailyMme: step.dailyMme };
}

/** Refusals a recorded reason can let through: the handoff names the reason beside them. */
const OVERRIDDEN = ['FASTER_THAN_GUIDANCE', 'LARGE_SINGLE_CUT', 'ABOVE_INTAKE_DOSE', 'ABOVE_INTAKE_MME'];

/** The rotation and the reasons on record for a taper, in sentences, for the printed and FHIR forms. */
export function reasonsOnRecord(taper: HandoffTaper): string[] {
  const lines: string[] = [];
  if (taper.rotation) lines.push(`Rotation: replaces ${taper.rotation.replaces.drug} ${taper.rotation.replaces.formulation}. Reason: ${taper.rotation.reason}`);
  const overridden = taper.warnings.filter((w) => OVERRIDDEN.includes(w.code)).map((w) => w.code);
  if (taper.overrideReason) lines.push(`Ordered despite the guidance${overridden.length ? ` (${overridden.join(', ')})` : ''}. Reason on record: ${taper.overrideReason}`);
  if (taper.lifeThreateningReason) lines.push(`A stop from more than the smallest dose was ordered as life-threatening. Reason on record: ${taper.lifeThreateningReason}`);
  return lines;
}

/**
 * "Stopped", or "Stopped at once (life-threatening)" for a stop from more than the smallest dose;
 * "Stops" for a stop ordered from a day after discharge: the printed and FHIR forms alike.
 */
export function stoppedHow(taper: HandoffTaper, afterDischarge = false): string {
  const verb = afterDischarge ? 'Stops' : 'Stopped';
  return taper.lifeThreateningReason ? `${verb} at once (life-threatening)` : verb;
}
