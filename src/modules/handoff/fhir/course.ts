/** The document's course sections: findings (classification, pain-vs-dose, COWS, pain) and aftercare. */
import type { CarePlan, CarePlanActivity, CodeableConcept, CompositionSection, Observation, ObservationComponent, Reference } from '@medplum/fhirtypes';
import { COWS_BANDS } from '../../../clinical/cows.js';
import { countOf } from '../../../common/pdf/display-format.js';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, HL7, loinc, narrative, nonEmpty, p, UCUM, ul } from './datatypes.js';
import type { HandoffSummary } from '../handoff-summary.js';

export function findingsSection(ctx: Ctx): CompositionSection {
  const { cows, painTrend, intake } = ctx.summary;
  const pains = ctx.summary.painScores.map((score) => ctx.add(painObservationOf(ctx, score)));
  const trend = ctx.add(trendObservationOf(ctx, pains));
  const readings = cows.readings.map((reading) => ctx.add(cowsObservationOf(ctx, reading)));
  const cowsLine = (label: string, r: CowsReading | null) => (r === null ? `${label}: none` : `${label}: ${r.score} (${bandLabel(r.band)}) on ${ctx.time(r.recordedAt)}`);
  return {
    title: 'Findings',
    code: loinc('11535-2', 'Hospital discharge Dx Narrative'),
    text: narrative(
      p(intake.classificationText),
      p(painTrend.text),
      p(`COWS: ${countOf(cows.readings.length, 'reading')}.`),
      ul([cowsLine('Highest', cows.highest), cowsLine('Last', cows.last)]),
    ),
    entry: [ctx.dependence, trend, ...readings, ...pains],
  };
}

type CowsReading = HandoffSummary['cows']['readings'][number];
type PainScore = HandoffSummary['painScores'][number];

const bandLabel = (band: string): string => COWS_BANDS.find((b) => b.band === band)?.label ?? band;

function observationBase(ctx: Ctx, code: CodeableConcept): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: `${HL7}/observation-category`, code: 'survey', display: 'Survey' }] }],
    code,
    subject: ctx.patient,
    encounter: ctx.encounter,
  };
}

function cowsObservationOf(ctx: Ctx, reading: CowsReading): Observation {
  return {
    ...observationBase(ctx, { text: 'Clinical Opiate Withdrawal Scale (COWS) total score' }),
    effectiveDateTime: reading.recordedAt,
    ...scoreValue(reading.score),
    interpretation: [{ text: bandLabel(reading.band) }],
  };
}

function painObservationOf(ctx: Ctx, score: PainScore): Observation {
  return {
    ...observationBase(ctx, { ...loinc('72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported'), text: 'Pain score (0-10)' }),
    effectiveDateTime: score.recordedAt,
    ...scoreValue(score.score),
  };
}

/** The pain-vs-dose finding (domain.md §5): a finding for the prescriber, not a diagnosis. */
function trendObservationOf(ctx: Ctx, pains: Reference<Observation>[]): Observation {
  const { painTrend: trend, stay } = ctx.summary;
  const component: ObservationComponent[] = [
    { code: { text: 'Finding' }, valueString: trend.finding },
    { code: { text: 'Days with a pain score' }, valueInteger: trend.pairedDays },
    numberComponent('Spearman rank correlation of daily pain with daily MME', trend.rankCorrelation, '1'),
    numberComponent(`Mean pain, first week (${trend.firstWeek.from} to ${trend.firstWeek.to})`, trend.firstWeek.meanPain, '{score}'),
    numberComponent(`Mean pain, last week (${trend.lastWeek.from} to ${trend.lastWeek.to})`, trend.lastWeek.meanPain, '{score}'),
    numberComponent('Mean daily MME, first week', trend.firstWeek.meanMme, '{MME}/d'),
    numberComponent('Mean daily MME, last week', trend.lastWeek.meanMme, '{MME}/d'),
  ];
  return {
    ...observationBase(ctx, { text: 'Pain against daily opioid dose (MME) over the stay: opioid-induced hyperalgesia finding' }),
    effectivePeriod: { start: stay.admittedOn, end: stay.dischargedOn },
    valueString: trend.text,
    ...(pains.length > 0 ? { derivedFrom: pains } : {}),
    component,
  };
}

function numberComponent(label: string, value: number | null, code: string): ObservationComponent {
  if (value === null) return { code: { text: label }, dataAbsentReason: { coding: [{ system: `${HL7}/data-absent-reason`, code: 'not-applicable', display: 'Not Applicable' }] } };
  return { code: { text: label }, valueQuantity: { value, system: UCUM, code } };
}

/** Scores are whole numbers; anything else is kept exact rather than rounded into valueInteger. */
function scoreValue(score: number): Pick<Observation, 'valueInteger' | 'valueQuantity'> {
  return Number.isInteger(score) ? { valueInteger: score } : { valueQuantity: { value: score, system: UCUM, code: '{score}' } };
}

const CHECK_IN_STATUS: Record<string, NonNullable<CarePlanActivity['detail']>['status']> = {
  PLANNED: 'scheduled',
  DONE: 'completed',
  // R4 has no "not-done" for a care plan activity: a missed check-in is one that will not occur.
  MISSED: 'cancelled',
};

export function aftercareSection(ctx: Ctx): CompositionSection {
  const { checkIns } = ctx.summary.aftercare;
  const plan = ctx.add(aftercarePlanOf(ctx));
  return {
    title: 'Aftercare',
    code: loinc('18776-5', 'Plan of care note'),
    text: narrative(
      p(`${checkIns.length} weekly check-ins by the clinic after discharge (included in the fee).`),
      ul(checkIns.map((c, i) => `Week ${i + 1}, ${c.dueOn}: ${c.status.toLowerCase()}.${c.notes === null ? '' : ` ${c.notes}`}`)),
    ),
    entry: [plan],
  };
}

function aftercarePlanOf(ctx: Ctx): CarePlan {
  const { aftercare, stay } = ctx.summary;
  const activity = aftercare.checkIns.map((c, i): CarePlanActivity => ({
    ...(c.notes === null ? {} : { progress: [annotation(c.notes, c.dueOn)] }),
    detail: {
      code: { text: `Aftercare check-in, week ${i + 1}` },
      status: CHECK_IN_STATUS[c.status] ?? 'unknown',
      ...(c.status === 'MISSED' ? { statusReason: { text: 'Missed: the check-in did not take place' } } : {}),
      scheduledPeriod: { start: c.dueOn, end: c.dueOn },
      performer: [ctx.clinic],
    },
  }));
  const open = aftercare.checkIns.some((c) => c.status === 'PLANNED');
  const lastDue = aftercare.checkIns.at(-1)?.dueOn;
  return {
    resourceType: 'CarePlan',
    status: open || aftercare.checkIns.length === 0 ? 'active' : 'completed',
    intent: 'plan',
    category: [{ text: 'Aftercare' }],
    title: 'Aftercare: weekly check-ins for two months',
    subject: ctx.patient,
    encounter: ctx.encounter,
    period: { start: stay.dischargedOn, ...(lastDue === undefined ? {} : { end: lastDue }) },
    author: ctx.clinic,
    ...nonEmpty('activity', activity),
  };
}
