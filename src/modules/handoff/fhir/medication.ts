/** The document's medication sections: opioid history at intake, the taper followed, the pain plan now. */
import type { Annotation, CarePlan, CarePlanActivity, CompositionSection, Dosage, Medication, MedicationRequest, MedicationStatement, Ratio } from '@medplum/fhirtypes';
import { countOf, dayCount, withPrintedDates } from '../../../common/pdf/display-format.js';
import { addDays } from '../../../clinical/calendar-dates.js';
import { patchWearHours } from '../../../clinical/administration.js';
import { reasonsOnRecord, stoppedHow } from '../handoff-tapers.js';
import { lastDoseAdministrationOf, lastDosesOf, lastDoseText } from './administration.js';
import type { HandoffFhirContext as Ctx } from './context.js';
import { annotation, doseText, entriesOf, loinc, medicationName, narrative, p, perDay, quantity, routeOf, timesPerDayText, ul, uuidIdentifier } from './datatypes.js';
import {
  asNeededInstruction,
  combinationText,
  type DoseWriter,
  type HandoffIntakeOpioid,
  type HandoffSummary,
  type HandoffTaper,
  type HandoffTaperStep,
  type HandoffOverride,
  intakeInstruction,
  mmeApplies,
  notCountedCourse,
  notGivenBecause,
  overrideText,
  painConditionText,
  taperCombinationText,
} from '../handoff-summary.js';

export function historySection(ctx: Ctx): CompositionSection {
  const { intake } = ctx.summary;
  const statements = intake.opioids.map((opioid) => ctx.add(intakeStatementOf(ctx, opioid)));
  const lines = intake.opioids.map((o) => `${medicationName(o.drug, o.formulation)}: ${intakeDoseText(o)}${o.prescribed ? '' : ' (not prescribed)'}${o.stoppedAtAdmission ? `. ${o.stoppedAtAdmission.text}` : ''}`);
  return {
    title: 'Opioid history at intake',
    code: loinc('10160-0', 'History of Medication use Narrative'),
    text: narrative(
      p(`Assessed on ${intake.assessedOn}. ${intakeTotalText(ctx.summary)}${intake.longActing ? ', including a long-acting opioid' : ''}.`),
      ...(intake.correctionReason === null ? [] : [p(`Corrected during the stay: ${intake.correctionReason}`)]),
      ul(lines),
      p(`Pain: ${painConditionText(intake.pain.condition)}; score ${intake.pain.score}/10.`),
      p(intake.classificationText),
    ),
    entry: [ctx.pain, ctx.dependence, ...statements],
  };
}

/** "Total 90 MME per day (CDC2022 factors)"; buprenorphine alone is not 0 MME: the total does not apply. */
function intakeTotalText({ intake, tapers }: HandoffSummary): string {
  if (!mmeApplies(intake, tapers)) return 'Total MME per day: does not apply (no MME factor)';
  const leftOut = intake.opioids.some((o) => o.dailyMme === null) ? ', leaving out the opioids without an MME factor' : '';
  return `Total ${intake.totalDailyMme} MME per day (${intake.factorTable} factors${leftOut})`;
}

/** How the FHIR text writes a dose: "1300 mg per day", "20 MME", "4 times a day". */
const FHIR_DOSES: DoseWriter = { number: String, perDay: (amount, unit) => `${amount} ${unit} per day`, mme: mmeText, timesPerDay: timesPerDayText };

/** The same wording as the PDF's (intakeInstruction): as needed says "up to", a combination product its paracetamol. */
function intakeDoseText(o: HandoffIntakeOpioid): string {
  return intakeInstruction(o, FHIR_DOSES);
}

function intakeStatementOf(ctx: Ctx, o: HandoffIntakeOpioid): MedicationStatement {
  const mme = o.dailyMme === null ? 'No MME conversion for this opioid; left out of the total.' : `${o.dailyMme} MME per day (${ctx.summary.intake.factorTable}).`;
  const combination = combinationText(o, FHIR_DOSES);
  return {
    resourceType: 'MedicationStatement',
    ...intakeStatus(o),
    ...medicationOf(ctx, o),
    subject: ctx.patient,
    dateAsserted: ctx.summary.intake.assessedOn,
    reasonReference: [ctx.pain],
    note: [
      annotation(mme),
      annotation(`Taken for about ${o.monthsOnTherapy} months before admission; ${o.prescribed ? 'prescribed' : 'not prescribed'}.`),
      ...(combination === '' ? [] : [annotation(`A combination product, ${combination}: count it toward the daily paracetamol limit while it is taken.`)]),
      ...(o.stoppedAtAdmission === null ? [] : [annotation(o.stoppedAtAdmission.text, o.stoppedAtAdmission.on)]),
    ],
    dosage: [intakeDosage(o)],
  };
}

/**
 * Taken up to admission and then replaced by the stay's taper ('completed'); never ordered during
 * the stay, 'stopped' on the admission day (FHIR R4: "the medication was stopped being taken"),
 * with why: no dose of it was given by the clinic.
 */
function intakeStatus(o: HandoffIntakeOpioid): Pick<MedicationStatement, 'status' | 'statusReason' | 'effectivePeriod'> {
  if (o.stoppedAtAdmission === null) return { status: 'completed' };
  return {
    status: 'stopped',
    statusReason: [{ text: `Stopped at admission: ${notGivenBecause(o.stoppedAtAdmission.orderStoppedBeforeFirstDose, { date: String })}, so none was given by the clinic.` }],
    effectivePeriod: { end: o.stoppedAtAdmission.on },
  };
}

/**
 * Scheduled: so many times a day. As needed: asNeededBoolean, no schedule (a PRN maximum is not a
 * frequency), and the most a day as maxDosePerPeriod where the dose is an amount (mg).
 */
function intakeDosage(o: HandoffIntakeOpioid): Dosage {
  const wearHours = patchWearHours(o);
  // A patch is applied once and worn for days: one every 72 hours for fentanyl, not one a day.
  const schedule: Dosage = wearHours === null ? { timing: { repeat: { frequency: o.timesPerDay, period: 1, periodUnit: 'd' } } } : { timing: { repeat: { frequency: 1, period: wearHours, periodUnit: 'h' } } };
  const taken: Dosage = o.asNeeded ? { asNeededBoolean: true, ...(o.unit === 'mg' ? { maxDosePerPeriod: perDay(o.dailyDose, o.unit) } : {}) } : schedule;
  return {
    text: intakeDoseText(o),
    ...taken,
    ...routeOf(o.formulation === 'TRANSDERMAL' ? 'TRANSDERMAL' : 'ORAL'),
    doseAndRate: [{ doseQuantity: quantity(o.dose, o.unit) }],
  };
}

/**
 * The opioid by name; a combination product as a Medication in the document with both
 * ingredients per unit (the intake records one unit a dose), so a receiving system can count
 * its paracetamol.
 */
function medicationOf(ctx: Ctx, o: HandoffIntakeOpioid): Pick<MedicationStatement, 'medicationCodeableConcept' | 'medicationReference'> {
  const name = medicationName(o.drug, o.formulation);
  if (o.paracetamolPerUnitMg === null) return { medicationCodeableConcept: { text: name } };
  const perUnit = (value: number, unit: string): Ratio => ({ numerator: quantity(value, unit), denominator: { value: 1, unit: 'unit' } });
  const medication: Medication = {
    resourceType: 'Medication',
    code: { text: `${name} with paracetamol` },
    ingredient: [
      { itemCodeableConcept: { text: medicationName(o.drug) }, isActive: true, strength: perUnit(o.dose, o.unit) },
      { itemCodeableConcept: { text: 'Paracetamol' }, isActive: true, strength: perUnit(o.paracetamolPerUnitMg, 'mg') },
    ],
  };
  return { medicationReference: ctx.add(medication) };
}

/** The tapers as MedicationRequests and the last dose given as a MedicationAdministration under its taper. */
export function taperSection(ctx: Ctx): CompositionSection {
  const { tapers } = ctx.summary;
  const requests = tapers.map((taper) => taperRequestOf(ctx, taper));
  const references = requests.map((request) => ctx.add(request));
  // One MedicationAdministration per opioid given at the last instant, each under its own taper.
  const administrations = lastDosesOf(ctx.summary).map((dose) => ctx.add(lastDoseAdministrationOf(ctx, dose, references[tapers.findLastIndex((t) => t.drug === dose.drug && t.formulation === dose.formulation)])));
  return {
    title: 'Opioid taper',
    code: loinc('8648-8', 'Hospital course Narrative'),
    text: narrative(
      p(lastDoseText(ctx)),
      p(totalMmeText(ctx.summary)),
      ...tapers.flatMap((taper, i) => taperNarrative(ctx, taper, requests[i])),
    ),
    ...entriesOf([...references, ...administrations]),
  };
}

/**
 * "Total daily MME: 45 at intake, 45 at the start of the taper, 0 at discharge. Not counted (no MME
 * factor): buprenorphine …, still taken." Never 0 MME for buprenorphine alone: it does not apply.
 */
function totalMmeText({ mme, intake, tapers }: HandoffSummary): string {
  const courses = mme.notCounted.map((o) => `${notCountedCourse(o, medicationName(o.drug, o.formulation), FHIR_DOSES.perDay)}${o.atDischarge > 0 ? ', still taken' : ''}`);
  const notCounted = courses.length === 0 ? '' : ` Not counted (no MME factor): ${courses.join('; ')}.`;
  if (!mmeApplies(intake, tapers)) return `Total daily MME: does not apply (no MME factor).${notCounted}`;
  return `Total daily MME: ${mme.atIntake} at intake, ${mme.atTaperStart ?? 'n/a'} at the start of the taper, ${mme.atDischarge} at discharge.${notCounted}`;
}

/** What a reader of the document sees: the course, the versions and pauses, then every step. */
function taperNarrative(ctx: Ctx, t: HandoffTaper, request: MedicationRequest): string[] {
  const pauses = t.pauses.length === 0 ? '' : `, ${countOf(t.pauses.length, 'pause')}`;
  const course =
    `${medicationName(t.drug, t.formulation)}: from ${doseText(t.start.dailyDose, t.unit)} (${mmeText(t.start.dailyMme)}) on ${t.start.date} ` +
    `to ${doseText(t.atDischarge.dailyDose, t.unit)} (${mmeText(t.atDischarge.dailyMme)}) since ${t.atDischarge.since}; ` +
    `${countOf(t.stepsTaken.length, 'step')} scheduled during the stay, ${t.remainingSteps.length} after discharge${pauses}.`;
  const texts = (items: { text?: string }[] | undefined): string[] => (items ?? []).flatMap((item) => (item.text === undefined ? [] : [item.text]));
  const given = t.dosesGiven.map((run) => `${doseText(run.dailyDose, t.unit)}, ${run.firstDay} to ${run.lastDay} (${dayCount(run.days)})${run.partial ? ' (discharge day, partial)' : ''}`);
  return [p(course), ul(texts(request.note)), p('Steps:'), ul(texts(request.dosageInstruction)), p(`Doses actually given (administration record): ${withPrintedDates(t.adherence)}`), ul(given), p(lastGivenText(ctx, t))];
}

/** "Last dose given: 20 mg on 2 Feb 2027 at 08:00, Asia/Bangkok time (UTC+07:00)"; a patch with the time it comes off. */
function lastGivenText(ctx: Ctx, t: HandoffTaper): string {
  const last = t.lastGiven;
  if (last === null) return 'Last dose given: none of this taper.';
  const patch = last.onUntil === null ? '' : `, worn until ${ctx.time(last.onUntil)}`;
  return `Last dose given: ${last.dose} ${t.unit} on ${ctx.time(last.givenAt)}${patch}.`;
}

function taperRequestOf(ctx: Ctx, taper: HandoffTaper): MedicationRequest {
  const signedOn = taper.versions.find((v) => v.signedOn !== null)?.signedOn ?? null;
  return {
    resourceType: 'MedicationRequest',
    identifier: [uuidIdentifier(taper.orderId)],
    // A taper to a maintenance dose stays an active prescription once it reaches its target.
    ...requestStatus(taper),
    intent: 'order',
    category: [{ text: 'Opioid taper' }],
    medicationCodeableConcept: { text: medicationName(taper.drug, taper.formulation) },
    subject: ctx.patient,
    encounter: ctx.encounter,
    ...(signedOn === null ? {} : { authoredOn: signedOn }),
    requester: ctx.clinic,
    reasonReference: [ctx.dependence],
    note: taperNotes(ctx.summary, taper),
    dosageInstruction: taperDosages(taper, ctx.summary.stay.dischargedOn),
  };
}

/** Stopped once the stop is in force by discharge; a taper to a maintenance dose stays an active prescription once it reaches its target. */
function requestStatus(taper: HandoffTaper): Pick<MedicationRequest, 'status' | 'statusReason'> {
  // Stopped, or to stop after discharge: either way never a taper to go on with at its pace.
  if (taper.discontinued) return { status: taper.remainingSteps.length === 0 ? 'stopped' : 'active', statusReason: { text: taper.discontinued.reason } };
  return { status: taper.completed && taper.targetDailyDose === 0 ? 'completed' : 'active' };
}

function taperNotes(summary: HandoffSummary, taper: HandoffTaper): Annotation[] {
  const stopping = taper.discontinued === null ? null : (taper.versions.at(-1)?.version ?? null);
  const versions = taper.versions.map((v) => {
    // The version that stopped the order kept the rate before it, which no longer runs.
    const rate =
      v.version === stopping && taper.discontinued
        ? `${stoppedHow(taper, taper.remainingSteps.length > 0).toLowerCase()} from ${taper.discontinued.from}`
        : `${v.reductionPercent}% ${taper.basis === 'START' ? 'of the starting dose' : 'of the current dose'} every ${v.intervalDays} days`;
    const when = `${v.signedOn === null ? 'unsigned' : `signed ${v.signedOn}`}${v.effectiveFrom === null ? '' : `, in force from ${v.effectiveFrom}`}`;
    return annotation(`Version ${v.version} (${when}): ${rate}.${v.reason === null ? '' : ` Reason: ${v.reason}`}`, v.signedOn);
  });
  const pauses = taper.pauses.map((pause) => annotation(`Pause of ${pause.days} days from ${pause.from}: ${pause.reason}`, pause.from));
  const reasons = reasonsOnRecord(taper).map((line) => annotation(line));
  const state = taper.discontinued
    ? `${stoppedHow(taper, taper.remainingSteps.length > 0)} from ${taper.discontinued.from}: ${taper.discontinued.reason}`
    : taper.completed
      ? `Target of ${doseText(taper.targetDailyDose, taper.unit)} reached by discharge.`
      : `Target ${doseText(taper.targetDailyDose, taper.unit)}; not reached by discharge: continue the remaining steps.`;
  const combination = taperCombinationText(summary.intake, taper, FHIR_DOSES);
  const paracetamol = combination === '' ? [] : [annotation(`${medicationName(taper.drug, taper.formulation)} is ${combination}: count it toward the daily paracetamol limit.`)];
  return [...versions, ...pauses, ...reasons, ...paracetamol, annotation(state)];
}

/** One Dosage per step, those of the stay then those after discharge, with sequence 1..n. What was given is the administration record's (the narrative). */
function taperDosages(taper: HandoffTaper, dischargedOn: string): Dosage[] {
  const steps = [...taper.stepsTaken.map((step) => ({ step, taken: true })), ...taper.remainingSteps.map((step) => ({ step, taken: false }))];
  return steps.map(({ step, taken }, i) => stepDosage(taper, step, { sequence: i + 1, taken, next: steps[i + 1]?.step.startsOn ?? null, dischargedOn }));
}

function stepDosage(taper: HandoffTaper, step: HandoffTaperStep, at: { sequence: number; taken: boolean; next: string | null; dischargedOn: string }): Dosage {
  const inForceAtDischarge = at.taken && step.startsOn === taper.atDischarge.since;
  // A step due on the discharge day the patient left before: still to start.
  const dueOnDischargeDay = !at.taken && step.startsOn <= at.dischargedOn;
  const status =
    step.dailyDose === 0 ? 'stop' : inForceAtDischarge ? 'dose at discharge' : at.taken ? 'scheduled during the stay' : dueOnDischargeDay ? 'due from the day of discharge, not started before the patient left' : 'after discharge';
  return {
    sequence: at.sequence,
    text: `${doseText(step.dailyDose, taper.unit)} from ${step.startsOn} (step ${step.step}, ${mmeText(step.dailyMme)}, ${status})`,
    timing: { repeat: { boundsPeriod: { start: step.startsOn, ...(at.next === null ? {} : { end: addDays(at.next, -1) }) } } },
    doseAndRate: [{ doseQuantity: quantity(step.dailyDose, taper.unit) }],
    ...(taper.unit === 'mg' ? { maxDosePerPeriod: perDay(step.dailyDose, taper.unit) } : {}),
  };
}

export function painPlanSection(ctx: Ctx): CompositionSection {
  const { active, stopped, asNeeded, therapies } = ctx.summary.painPlan;
  const requests = active.map((m) => ctx.add(activeMedicationOf(ctx, m)));
  const statements = stopped.map((m) => ctx.add(stoppedMedicationOf(ctx, m)));
  const asNeededOrders = asNeeded.map((o) => ctx.add(asNeededOrderOf(ctx, o)));
  const plan = therapies.length > 0 ? [ctx.add(therapyPlanOf(ctx))] : [];
  return {
    title: 'Pain plan at discharge',
    code: loinc('10183-2', 'Hospital discharge medications Narrative'),
    text: narrative(
      p('Medicines now:'),
      ul(active.map((m) => `${medicationName(m.drug)} ${activeDoseText(m)}, since ${m.startedOn}${m.indication === null ? '' : `; indication: ${m.indication}`}${overridden(m.override)}`)),
      p('As needed:'),
      ul(asNeeded.filter((o) => o.stoppedOn === null).map((o) => `${medicationName(o.drug)} ${asNeededDoseText(o)}, since ${o.startedOn}; indication: ${o.indication}${overridden(o.override)}`)),
      p('Stopped:'),
      ul([
        ...stopped.map((m) => `${medicationName(m.drug)} ${doseText(m.dailyDose, m.unit)}, ${m.startedOn} to ${m.stoppedOn}: ${m.reason}`),
        ...asNeeded.filter((o) => o.stoppedOn !== null).map((o) => `${medicationName(o.drug)} ${asNeededDoseText(o)}, ${o.startedOn} to ${o.stoppedOn}: ${o.stopReason ?? ''}`),
      ]),
      p('Non-drug treatment:'),
      ul(therapies.map((t) => `${therapyName(t.type)}, ${t.frequency}${t.notes === null ? '' : `: ${t.notes}`}`)),
    ),
    ...entriesOf([...requests, ...statements, ...asNeededOrders, ...plan]),
  };
}

const overridden = (override: HandoffOverride | null): string => (override === null ? '' : `. ${overrideText(override)}`);

type ActiveMedication = HandoffSummary['painPlan']['active'][number];
type StoppedMedication = HandoffSummary['painPlan']['stopped'][number];

function activeDoseText(m: ActiveMedication): string {
  return `${m.dose} ${m.unit} ${timesPerDayText(m.timesPerDay)}, ${m.route.toLowerCase()} (${m.dailyDose} ${m.unit} per day)`;
}

/** A non-opioid medicine in force at discharge (scheduled or as needed): what the next prescriber continues. */
function medicationRequestOf(ctx: Ctx, m: { drug: string; category: string; startedOn: string; reason: string | null; dosage: Dosage; override: HandoffOverride | null }): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    category: [{ text: m.category }],
    medicationCodeableConcept: { text: medicationName(m.drug) },
    subject: ctx.patient,
    encounter: ctx.encounter,
    authoredOn: m.startedOn,
    requester: ctx.clinic,
    ...(m.reason === null ? {} : { reasonCode: [{ text: m.reason }] }),
    ...(m.override === null ? {} : { note: [annotation(overrideText(m.override))] }),
    dosageInstruction: [m.dosage],
  };
}

/** A medicine stopped during the stay, with when and why. */
function stoppedStatementOf(ctx: Ctx, m: { drug: string; reason: string | null; startedOn: string; stoppedOn: string; dosage: Dosage }): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    status: 'stopped',
    ...(m.reason === null ? {} : { statusReason: [{ text: m.reason }] }),
    medicationCodeableConcept: { text: medicationName(m.drug) },
    subject: ctx.patient,
    context: ctx.encounter,
    effectivePeriod: { start: m.startedOn, end: m.stoppedOn },
    dosage: [m.dosage],
  };
}

function activeMedicationOf(ctx: Ctx, m: ActiveMedication): MedicationRequest {
  return medicationRequestOf(ctx, {
    drug: m.drug,
    category: 'Non-opioid pain medication',
    startedOn: m.startedOn,
    reason: m.indication,
    override: m.override,
    dosage: {
      text: activeDoseText(m),
      timing: { repeat: { frequency: m.timesPerDay, period: 1, periodUnit: 'd', boundsPeriod: { start: m.startedOn } } },
      ...routeOf(m.route),
      doseAndRate: [{ doseQuantity: quantity(m.dose, m.unit) }],
      maxDosePerPeriod: perDay(m.dailyDose, m.unit),
    },
  });
}

type AsNeededOrder = HandoffSummary['painPlan']['asNeeded'][number];

function asNeededDoseText(o: AsNeededOrder): string {
  return asNeededInstruction(o, { number: String, perDay: (amount, unit) => `${amount} ${unit} per day` });
}

/** An as-needed dose: PRN for its indication, no sooner than its interval, no more than its most a day. */
function asNeededDosage(o: AsNeededOrder): Dosage {
  return {
    text: asNeededDoseText(o),
    asNeededCodeableConcept: { text: o.indication },
    timing: { repeat: { frequency: 1, period: o.minIntervalHours, periodUnit: 'h', boundsPeriod: { start: o.startedOn, ...(o.stoppedOn === null ? {} : { end: o.stoppedOn }) } } },
    ...routeOf(o.route),
    doseAndRate: [{ doseQuantity: quantity(o.dose, o.unit) }],
    maxDosePerPeriod: perDay(o.maxDailyDose, o.unit),
  };
}

function asNeededOrderOf(ctx: Ctx, o: AsNeededOrder): MedicationRequest | MedicationStatement {
  if (o.stoppedOn !== null) return stoppedStatementOf(ctx, { drug: o.drug, reason: o.stopReason, startedOn: o.startedOn, stoppedOn: o.stoppedOn, dosage: asNeededDosage(o) });
  return medicationRequestOf(ctx, { drug: o.drug, category: 'As needed', startedOn: o.startedOn, reason: o.indication, dosage: asNeededDosage(o), override: o.override });
}

function stoppedMedicationOf(ctx: Ctx, m: StoppedMedication): MedicationStatement {
  const dosage = { text: doseText(m.dailyDose, m.unit), maxDosePerPeriod: perDay(m.dailyDose, m.unit) };
  return stoppedStatementOf(ctx, { drug: m.drug, reason: m.reason, startedOn: m.startedOn, stoppedOn: m.stoppedOn, dosage });
}

const THERAPY_NAMES: Record<string, string> = {
  PHYSIOTHERAPY: 'Physiotherapy',
  MOVEMENT: 'Movement and posture work',
  SLEEP: 'Sleep correction',
  CBT: 'Cognitive behavioural therapy (CBT)',
  ACCEPTANCE: 'Acceptance-based therapy',
  INTERVENTIONAL: 'Interventional procedure',
};
const therapyName = (type: string): string => THERAPY_NAMES[type] ?? type;

function therapyPlanOf(ctx: Ctx): CarePlan {
  const activity: CarePlanActivity[] = ctx.summary.painPlan.therapies.map((t) => ({
    detail: {
      code: { text: therapyName(t.type) },
      status: 'in-progress',
      scheduledString: t.frequency,
      ...(t.notes === null ? {} : { description: t.notes }),
    },
  }));
  return {
    resourceType: 'CarePlan',
    status: 'active',
    intent: 'plan',
    category: [{ text: 'Non-drug pain plan' }],
    title: 'Non-drug pain plan',
    subject: ctx.patient,
    encounter: ctx.encounter,
    author: ctx.clinic,
    addresses: [ctx.pain],
    activity,
  };
}

function mmeText(mme: number | null): string {
  return mme === null ? 'no MME conversion' : `${mme} MME`;
}
