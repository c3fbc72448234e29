import type { TaperAdministrationHistory } from '../../clinical/administration-history.js';
import { addDays } from '../../clinical/taper.js';
import { calendarDate } from '../../common/clock.js';
import { patchWearHours } from '../../clinical/administration.js';
import type { TaperAdministration } from '../administrations/index.js';
import type { TaperOrderEntity, TaperStepEntity } from '../taper-orders/index.js';
import { takenOfTaper } from './handoff-record.js';
import type { HandoffTaper, HandoffTaperStep } from './handoff-summary.js';

/** The stay and its clinic time zone, as the taper histories need them. */
interface StayOf {
  admittedOn: string;
  dischargedOn: string;
  timeZone: string;
}

/**
 * The tapers actually followed: every signed order (drafts never ran), told from its latest
 * version, which keeps the steps already taken and holds every pause; the earlier versions
 * say when and why the plan changed; the administration record says what was given.
 */
export function taperHistories(versions: TaperOrderEntity[], steps: TaperStepEntity[], administrations: TaperAdministration[], stay: StayOf): HandoffTaper[] {
  const signed = versions.filter((v) => v.status !== 'DRAFT');
  const orderIds = [...new Set(signed.map((v) => v.orderId))];
  return orderIds.map((orderId) => {
    const history = signed.filter((v) => v.orderId === orderId).sort((a, b) => a.version - b.version);
    const latest = history.at(-1)!;
    const schedule = steps.filter((s) => s.versionId === latest.id).sort((a, b) => a.step - b.step).map(toStep);
    const taken = takenOfTaper(schedule, administrations.filter((a) => a.orderId === orderId), stay, patchWearHours(latest));
    return { ...taperHistory(latest, history, schedule, stay), ...taken };
  });
}

function taperHistory(latest: TaperOrderEntity, history: TaperOrderEntity[], schedule: HandoffTaperStep[], { dischargedOn, timeZone }: StayOf): Omit<HandoffTaper, keyof TaperAdministrationHistory> {
  const taken = schedule.filter((s) => s.startsOn <= dischargedOn);
  const first = schedule[0]!;
  const current = taken.at(-1) ?? first;
  return {
    orderId: latest.orderId,
    drug: latest.drug,
    formulation: latest.formulation,
    unit: latest.unit,
    start: { date: first.startsOn, dailyDose: first.dailyDose, dailyMme: first.dailyMme },
    atDischarge: { since: current.startsOn, dailyDose: current.dailyDose, dailyMme: current.dailyMme },
    completed: taken.length === schedule.length,
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
    stepsTaken: taken,
    remainingSteps: schedule.filter((s) => s.startsOn > dischargedOn),
  };
}

/**
 * Total daily MME on each day of the stay: for each taper, the dose of the step in force that
 * day; before a taper's first step, its start dose (what the patient was taking).
 */
export function dailyMmeSeries(tapers: HandoffTaper[], schedules: Map<string, HandoffTaperStep[]>, admittedOn: string, dischargedOn: string): { date: string; mme: number }[] {
  const series: { date: string; mme: number }[] = [];
  for (let date = admittedOn; date <= dischargedOn; date = addDays(date, 1)) {
    const total = tapers.reduce((sum, taper) => sum + mmeOn(schedules.get(taper.orderId) ?? [], date), 0);
    series.push({ date, mme: Math.round(total * 100_000) / 100_000 });
  }
  return series;
}

function mmeOn(schedule: HandoffTaperStep[], date: string): number {
  const inForce = schedule.filter((s) => s.startsOn <= date).at(-1) ?? schedule[0];
  return inForce?.dailyMme ?? 0;
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
