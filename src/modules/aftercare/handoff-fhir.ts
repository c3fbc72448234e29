/**
 * The handoff summary as a FHIR R4 document (domain.md §11): a `Bundle` of type `document` whose
 * first entry is the `Composition` (LOINC 18842-5, discharge summary) and whose other entries are
 * everything the Composition points at. Pure: the instant comes from `summary.generatedAt` and
 * ids from `ids.newId`, so the same summary and id sequence give the same JSON.
 *
 * Every resource travels in the bundle with a `urn:uuid:` fullUrl and every reference is that
 * fullUrl, so the document stands alone. Codes are LOINC/UCUM/HL7 where a standard code exists
 * and plain `text` otherwise (COWS has no LOINC code; drugs are not mapped to RxNorm).
 */
import type {
  Annotation,
  Bundle,
  BundleEntry,
  CarePlan,
  CarePlanActivity,
  CodeableConcept,
  Composition,
  CompositionSection,
  Condition,
  ContactPoint,
  Dosage,
  Encounter,
  Identifier,
  MedicationRequest,
  MedicationStatement,
  Observation,
  ObservationComponent,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Quantity,
  Ratio,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { COWS_BANDS } from '../../clinical/cows.js';
import { addDays } from '../../clinical/taper-dates.js';
import { painConditionText, type HandoffSummary, type HandoffTaper, type HandoffTaperStep } from './handoff-summary.js';

export interface HandoffBundleIds {
  /** The document's identity: Bundle.id and Bundle.identifier (urn:uuid:<bundleId>). */
  bundleId: string;
  /** A fresh UUID for each resource, called in a fixed order. */
  newId: () => string;
}

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const SNOMED = 'http://snomed.info/sct';
const URI = 'urn:ietf:rfc:3986';
const HL7 = 'http://terminology.hl7.org/CodeSystem';

/** What every section builder needs: the summary, a way to add entries, and the shared resources. */
interface Ctx {
  summary: HandoffSummary;
  add<T extends Resource>(resource: T): Reference<T>;
  patient: Reference<Patient>;
  clinic: Reference<Organization>;
  encounter: Reference<Encounter>;
  dependence: Reference<Condition>;
  pain: Reference<Condition>;
}

export function buildHandoffBundle(summary: HandoffSummary, ids: HandoffBundleIds): Bundle {
  const entries: BundleEntry[] = [];
  const add = <T extends Resource>(resource: T): Reference<T> => {
    const id = ids.newId();
    const fullUrl = `urn:uuid:${id}`;
    entries.push({ fullUrl, resource: withId(resource, id) });
    return { reference: fullUrl };
  };
  // The Composition's id comes first so the ids follow the entry order.
  const compositionId = ids.newId();
  const ctx = sharedResources(summary, add);
  const composition = withId(compositionOf(ctx, sectionsOf(ctx)), compositionId);
  return {
    resourceType: 'Bundle',
    id: ids.bundleId,
    identifier: { system: URI, value: `urn:uuid:${ids.bundleId}` },
    type: 'document',
    timestamp: summary.generatedAt,
    entry: [{ fullUrl: `urn:uuid:${compositionId}`, resource: composition }, ...entries],
  };
}

/** The resource with its id right after resourceType, where a reader looks for it. */
function withId<T extends Resource>(resource: T, id: string): T {
  const { resourceType, ...rest } = resource;
  return { resourceType, id, ...rest } as T;
}

/** Risks first: the one thing a busy prescriber must not miss. */
function sectionsOf(ctx: Ctx): CompositionSection[] {
  return [risksSection(ctx), historySection(ctx), taperSection(ctx), painPlanSection(ctx), findingsSection(ctx), aftercareSection(ctx), handoffSection(ctx)];
}

function compositionOf(ctx: Ctx, section: CompositionSection[]): Composition {
  const { patient, stay } = ctx.summary;
  return {
    resourceType: 'Composition',
    status: 'final',
    type: loinc('18842-5', 'Discharge summary'),
    subject: { ...ctx.patient, display: `${patient.givenName} ${patient.familyName}` },
    encounter: ctx.encounter,
    date: ctx.summary.generatedAt,
    author: [{ ...ctx.clinic, display: ctx.summary.clinic.name }],
    title: `Discharge summary and handoff to the next prescriber (stay ${stay.admittedOn} to ${stay.dischargedOn})`,
    // Records of treatment for substance dependence are specially protected (domain.md §11).
    confidentiality: 'R',
    custodian: { ...ctx.clinic, display: ctx.summary.clinic.name },
    section,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared resources: clinic, patient, stay, the two conditions

function sharedResources(summary: HandoffSummary, add: Ctx['add']): Ctx {
  const clinic = add(clinicOf(summary));
  const patient = add(patientOf(summary, clinic));
  const encounter = add(encounterOf(summary, patient, clinic));
  const pain = add(painConditionOf(summary, patient));
  const dependence = add(dependenceOf(summary, patient, encounter));
  return { summary, add, patient, clinic, encounter, pain, dependence };
}

function clinicOf({ clinic }: HandoffSummary): Organization {
  return {
    resourceType: 'Organization',
    name: clinic.name,
    ...nonEmpty('telecom', telecomOf(clinic.phone, clinic.email)),
    ...nonEmpty('address', clinic.address.length > 0 ? [{ line: clinic.address, text: clinic.address.join(', ') }] : []),
  };
}

const GENDERS: Record<string, Patient['gender']> = { female: 'female', male: 'male', other: 'other', unknown: 'unknown' };

function patientOf({ patient, clinic }: HandoffSummary, clinicRef: Reference<Organization>): Patient {
  return {
    resourceType: 'Patient',
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: `${HL7}/v2-0203`, code: 'MR', display: 'Medical record number' }], text: 'Clinic patient id' },
        ...uuidIdentifier(patient.id),
        assigner: { ...clinicRef, display: clinic.name },
      },
    ],
    name: [{ use: 'official', family: patient.familyName, given: [patient.givenName] }],
    gender: GENDERS[patient.sex] ?? 'unknown',
    birthDate: patient.dateOfBirth,
    managingOrganization: clinicRef,
  };
}

const PATHWAYS: Record<string, string> = {
  HOSPITAL_DETOX_FIRST: 'Partner-hospital detox, then the residential taper programme',
  ONSITE_TAPER: 'Residential taper programme (on-site taper)',
  OUTPATIENT_TAPER: 'Outpatient taper',
};

function encounterOf({ stay }: HandoffSummary, patient: Reference<Patient>, clinic: Reference<Organization>): Encounter {
  const transferred = { coding: [{ system: `${HL7}/admit-source`, code: 'hosp-trans', display: 'Transferred from other hospital' }] };
  return {
    resourceType: 'Encounter',
    identifier: [uuidIdentifier(stay.admissionId)],
    status: 'finished',
    class: { system: `${HL7}/v3-ActCode`, code: 'NONAC', display: 'inpatient non-acute' },
    type: [{ text: PATHWAYS[stay.pathway] ?? stay.pathway }],
    subject: patient,
    period: { start: stay.admittedOn, end: stay.dischargedOn },
    length: { value: stay.days, unit: 'days', system: UCUM, code: 'd' },
    ...(stay.viaPartnerHospital ? { hospitalization: { admitSource: transferred } } : {}),
    serviceProvider: clinic,
  };
}

function painConditionOf({ intake }: HandoffSummary, patient: Reference<Patient>): Condition {
  const notes = [`Pain score ${intake.pain.score}/10 at intake (${intake.assessedOn}).`];
  if (intake.hyperalgesiaSuspected) {
    notes.push('Signs of possible opioid-induced hyperalgesia at intake: a suspicion to look into, not a diagnosis.');
  }
  return {
    resourceType: 'Condition',
    clinicalStatus: conditionClinical('active'),
    verificationStatus: conditionVerification('confirmed'),
    category: [conditionCategory('problem-list-item', 'Problem List Item')],
    code: { text: painConditionText(intake.pain.condition) },
    subject: patient,
    recordedDate: intake.assessedOn,
    note: notes.map((text) => annotation(text)),
  };
}

const DEPENDENCE_LABELS: Record<string, string> = {
  PHYSICAL_DEPENDENCE: 'Physical dependence on opioids (not opioid use disorder)',
  OPIOID_USE_DISORDER: 'Opioid use disorder',
  NO_DEPENDENCE_FOUND: 'Opioid dependence',
};

/** The DSM-5 classification at intake, in the careful wording of domain.md §4. */
function dependenceOf({ intake }: HandoffSummary, patient: Reference<Patient>, encounter: Reference<Encounter>): Condition {
  const { classification, dsm5 } = intake;
  const excluded = dsm5.excluded.length > 0 ? `; not counted: ${dsm5.excluded.join(', ')}` : '';
  return {
    resourceType: 'Condition',
    clinicalStatus: conditionClinical('active'),
    verificationStatus: conditionVerification(classification === 'NO_DEPENDENCE_FOUND' ? 'refuted' : 'confirmed'),
    category: [conditionCategory('encounter-diagnosis', 'Encounter Diagnosis')],
    ...(classification === 'OPIOID_USE_DISORDER' ? { severity: { text: dsm5.severity.toLowerCase() } } : {}),
    code: { text: DEPENDENCE_LABELS[classification] ?? classification },
    subject: patient,
    encounter,
    recordedDate: intake.assessedOn,
    note: [annotation(intake.classificationText), annotation(`DSM-5: ${dsm5.criteriaMet} criteria met, ${dsm5.criteriaCounted} counted${excluded}.`)],
  };
}

// ---------------------------------------------------------------------------------------------
// Risks

function risksSection({ summary }: Ctx): CompositionSection {
  return {
    title: 'Risks for the next prescriber',
    code: loinc('8653-8', 'Hospital discharge instructions'),
    text: narrative(ul(summary.risks.map((risk) => risk.message))),
  };
}

// ---------------------------------------------------------------------------------------------
// Opioid history at intake

function historySection(ctx: Ctx): CompositionSection {
  const { intake } = ctx.summary;
  const statements = intake.opioids.map((opioid) => ctx.add(intakeStatementOf(ctx, opioid)));
  const lines = intake.opioids.map((o) => `${medicationName(o.drug, o.formulation)}: ${intakeDoseText(o)}${o.prescribed ? '' : ' (not prescribed)'}`);
  return {
    title: 'Opioid history at intake',
    code: loinc('10160-0', 'History of Medication use Narrative'),
    text: narrative(
      p(`Assessed on ${intake.assessedOn}. Total ${intake.totalDailyMme} MME per day (${intake.factorTable} factors)${intake.longActing ? ', including a long-acting opioid' : ''}.`),
      ul(lines),
      p(`Pain: ${painConditionText(intake.pain.condition)}; score ${intake.pain.score}/10.`),
      p(intake.classificationText),
    ),
    entry: [ctx.pain, ctx.dependence, ...statements],
  };
}

type IntakeOpioid = HandoffSummary['intake']['opioids'][number];

function intakeDoseText(o: IntakeOpioid): string {
  const mme = o.dailyMme === null ? 'no MME conversion' : `${o.dailyMme} MME`;
  return `${o.dose} ${o.unit} ${timesPerDayText(o.timesPerDay)} (${o.dailyDose} ${o.unit} per day, ${mme})`;
}

function intakeStatementOf(ctx: Ctx, o: IntakeOpioid): MedicationStatement {
  const mme = o.dailyMme === null ? 'No MME conversion for this opioid; left out of the total.' : `${o.dailyMme} MME per day (${ctx.summary.intake.factorTable}).`;
  return {
    resourceType: 'MedicationStatement',
    // Replaced by the taper during the stay.
    status: 'completed',
    medicationCodeableConcept: { text: medicationName(o.drug, o.formulation) },
    subject: ctx.patient,
    dateAsserted: ctx.summary.intake.assessedOn,
    reasonReference: [ctx.pain],
    note: [annotation(mme), annotation(`Taken for about ${o.monthsOnTherapy} months before admission; ${o.prescribed ? 'prescribed' : 'not prescribed'}.`)],
    dosage: [
      {
        text: intakeDoseText(o),
        timing: { repeat: { frequency: o.timesPerDay, period: 1, periodUnit: 'd' } },
        ...routeOf(o.formulation === 'TRANSDERMAL' ? 'TRANSDERMAL' : 'ORAL'),
        doseAndRate: [{ doseQuantity: quantity(o.dose, o.unit) }],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Taper

function taperSection(ctx: Ctx): CompositionSection {
  const { tapers, mme } = ctx.summary;
  const requests = tapers.map((taper) => taperRequestOf(ctx, taper));
  return {
    title: 'Opioid taper',
    code: loinc('8648-8', 'Hospital course Narrative'),
    text: narrative(
      p(`Total daily MME: ${mme.atIntake} at intake, ${mme.atTaperStart ?? 'n/a'} at the start of the taper, ${mme.atDischarge} at discharge.`),
      ...tapers.flatMap((taper, i) => taperNarrative(taper, requests[i])),
    ),
    ...entriesOf(requests.map((request) => ctx.add(request))),
  };
}

/** What a reader of the document sees: the course, the versions and pauses, then every step. */
function taperNarrative(t: HandoffTaper, request: MedicationRequest): string[] {
  const pauses = t.pauses.length === 0 ? '' : `, ${t.pauses.length} ${t.pauses.length === 1 ? 'pause' : 'pauses'}`;
  const course =
    `${medicationName(t.drug, t.formulation)}: from ${doseText(t.start.dailyDose, t.unit)} (${t.start.dailyMme} MME) on ${t.start.date} ` +
    `to ${doseText(t.atDischarge.dailyDose, t.unit)} (${t.atDischarge.dailyMme} MME) since ${t.atDischarge.since}; ` +
    `${t.stepsTaken.length} steps taken, ${t.remainingSteps.length} after discharge${pauses}.`;
  const texts = (items: { text?: string }[] | undefined): string[] => (items ?? []).flatMap((item) => (item.text === undefined ? [] : [item.text]));
  return [p(course), ul(texts(request.note)), p('Steps:'), ul(texts(request.dosageInstruction))];
}

function taperRequestOf(ctx: Ctx, taper: HandoffTaper): MedicationRequest {
  const signedOn = taper.versions.find((v) => v.signedOn !== null)?.signedOn ?? null;
  return {
    resourceType: 'MedicationRequest',
    identifier: [uuidIdentifier(taper.orderId)],
    // A taper to a maintenance dose stays an active prescription once it reaches its target.
    status: taper.completed && taper.targetDailyDose === 0 ? 'completed' : 'active',
    intent: 'order',
    category: [{ text: 'Opioid taper' }],
    medicationCodeableConcept: { text: medicationName(taper.drug, taper.formulation) },
    subject: ctx.patient,
    encounter: ctx.encounter,
    ...(signedOn === null ? {} : { authoredOn: signedOn }),
    requester: ctx.clinic,
    reasonReference: [ctx.dependence],
    note: taperNotes(taper),
    dosageInstruction: taperDosages(taper),
  };
}

function taperNotes(taper: HandoffTaper): Annotation[] {
  const versions = taper.versions.map((v) => {
    const rate = `${v.reductionPercent}% ${taper.basis === 'START' ? 'of the starting dose' : 'of the current dose'} every ${v.intervalDays} days`;
    const when = `${v.signedOn === null ? 'unsigned' : `signed ${v.signedOn}`}${v.effectiveFrom === null ? '' : `, in force from ${v.effectiveFrom}`}`;
    return annotation(`Version ${v.version} (${when}): ${rate}.${v.reason === null ? '' : ` Reason: ${v.reason}`}`, v.signedOn);
  });
  const pauses = taper.pauses.map((pause) => annotation(`Pause of ${pause.days} days from ${pause.from}: ${pause.reason}`, pause.from));
  const state = taper.completed
    ? `Target of ${doseText(taper.targetDailyDose, taper.unit)} reached by discharge.`
    : `Target ${doseText(taper.targetDailyDose, taper.unit)}; not reached by discharge: continue the remaining steps.`;
  return [...versions, ...pauses, annotation(state)];
}

/** One Dosage per step, taken then remaining, with sequence 1..n. */
function taperDosages(taper: HandoffTaper): Dosage[] {
  const steps = [...taper.stepsTaken.map((step) => ({ step, taken: true })), ...taper.remainingSteps.map((step) => ({ step, taken: false }))];
  return steps.map(({ step, taken }, i) => stepDosage(taper, step, { sequence: i + 1, taken, next: steps[i + 1]?.step.startsOn ?? null }));
}

function stepDosage(taper: HandoffTaper, step: HandoffTaperStep, at: { sequence: number; taken: boolean; next: string | null }): Dosage {
  const inForceAtDischarge = at.taken && step.startsOn === taper.atDischarge.since;
  const status = step.dailyDose === 0 ? 'stop' : inForceAtDischarge ? 'dose at discharge' : at.taken ? 'taken' : 'after discharge';
  return {
    sequence: at.sequence,
    text: `${doseText(step.dailyDose, taper.unit)} from ${step.startsOn} (step ${step.step}, ${step.dailyMme} MME, ${status})`,
    timing: { repeat: { boundsPeriod: { start: step.startsOn, ...(at.next === null ? {} : { end: addDays(at.next, -1) }) } } },
    doseAndRate: [{ doseQuantity: quantity(step.dailyDose, taper.unit) }],
    ...(taper.unit === 'mg' ? { maxDosePerPeriod: perDay(step.dailyDose, taper.unit) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Pain plan now

function painPlanSection(ctx: Ctx): CompositionSection {
  const { active, stopped, therapies } = ctx.summary.painPlan;
  const requests = active.map((m) => ctx.add(activeMedicationOf(ctx, m)));
  const statements = stopped.map((m) => ctx.add(stoppedMedicationOf(ctx, m)));
  const plan = therapies.length > 0 ? [ctx.add(therapyPlanOf(ctx))] : [];
  return {
    title: 'Pain plan at discharge',
    code: loinc('10183-2', 'Hospital discharge medications Narrative'),
    text: narrative(
      p('Medicines now:'),
      ul(active.map((m) => `${medicationName(m.drug)} ${activeDoseText(m)}, since ${m.startedOn}${m.indication === null ? '' : `; indication: ${m.indication}`}`)),
      p('Stopped:'),
      ul(stopped.map((m) => `${medicationName(m.drug)} ${doseText(m.dailyDose, m.unit)}, ${m.startedOn} to ${m.stoppedOn}: ${m.reason}`)),
      p('Non-drug treatment:'),
      ul(therapies.map((t) => `${therapyName(t.type)}, ${t.frequency}${t.notes === null ? '' : `: ${t.notes}`}`)),
    ),
    ...entriesOf([...requests, ...statements, ...plan]),
  };
}

type ActiveMedication = HandoffSummary['painPlan']['active'][number];
type StoppedMedication = HandoffSummary['painPlan']['stopped'][number];

function activeDoseText(m: ActiveMedication): string {
  return `${m.dose} ${m.unit} ${timesPerDayText(m.timesPerDay)}, ${m.route.toLowerCase()} (${m.dailyDose} ${m.unit} per day)`;
}

function activeMedicationOf(ctx: Ctx, m: ActiveMedication): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'active',
    intent: 'order',
    category: [{ text: 'Non-opioid pain medication' }],
    medicationCodeableConcept: { text: medicationName(m.drug) },
    subject: ctx.patient,
    encounter: ctx.encounter,
    authoredOn: m.startedOn,
    requester: ctx.clinic,
    ...(m.indication === null ? {} : { reasonCode: [{ text: m.indication }] }),
    dosageInstruction: [
      {
        text: activeDoseText(m),
        timing: { repeat: { frequency: m.timesPerDay, period: 1, periodUnit: 'd', boundsPeriod: { start: m.startedOn } } },
        ...routeOf(m.route),
        doseAndRate: [{ doseQuantity: quantity(m.dose, m.unit) }],
        maxDosePerPeriod: perDay(m.dailyDose, m.unit),
      },
    ],
  };
}

function stoppedMedicationOf(ctx: Ctx, m: StoppedMedication): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    status: 'stopped',
    statusReason: [{ text: m.reason }],
    medicationCodeableConcept: { text: medicationName(m.drug) },
    subject: ctx.patient,
    context: ctx.encounter,
    effectivePeriod: { start: m.startedOn, end: m.stoppedOn },
    dosage: [{ text: doseText(m.dailyDose, m.unit), maxDosePerPeriod: perDay(m.dailyDose, m.unit) }],
  };
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

// ---------------------------------------------------------------------------------------------
// Findings: dependence classification, pain-vs-dose trend, COWS course, pain scores

function findingsSection(ctx: Ctx): CompositionSection {
  const { cows, painTrend, intake } = ctx.summary;
  const pains = ctx.summary.painScores.map((score) => ctx.add(painObservationOf(ctx, score)));
  const trend = ctx.add(trendObservationOf(ctx, pains));
  const readings = cows.readings.map((reading) => ctx.add(cowsObservationOf(ctx, reading)));
  const cowsLine = (label: string, r: CowsReading | null) => (r === null ? `${label}: none` : `${label}: ${r.score} (${bandLabel(r.band)}) on ${r.recordedAt}`);
  return {
    title: 'Findings',
    code: loinc('11535-2', 'Hospital discharge Dx Narrative'),
    text: narrative(
      p(intake.classificationText),
      p(painTrend.text),
      p(`COWS: ${cows.readings.length} readings.`),
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

// ---------------------------------------------------------------------------------------------
// Aftercare

const CHECK_IN_STATUS: Record<string, NonNullable<CarePlanActivity['detail']>['status']> = {
  PLANNED: 'scheduled',
  DONE: 'completed',
  // R4 has no "not-done" for a care plan activity: a missed check-in is one that will not occur.
  MISSED: 'cancelled',
};

function aftercareSection(ctx: Ctx): CompositionSection {
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

// ---------------------------------------------------------------------------------------------
// Handoff: recipient, consent, the clinic's contact

function handoffSection(ctx: Ctx): CompositionSection {
  const { recipient, consent, clinic } = ctx.summary;
  const practitioner = ctx.add(recipientOf(ctx));
  const practice = recipient.practice === null ? [] : recipientPracticeOf(ctx, practitioner, recipient.practice);
  const reach = [recipient.practice, recipient.phone, recipient.email].filter((x): x is string => x !== null);
  const contact = [...clinic.address, clinic.phone, clinic.email].filter((x) => x !== '');
  return {
    title: 'Handoff: recipient and consent',
    code: { text: 'Handoff recipient and consent to share' },
    text: narrative(
      p(`Prepared for ${recipient.name}${reach.length > 0 ? ` (${reach.join('; ')})` : ''}.`),
      p(`The patient gave written consent on ${consent.recordedOn} to share this summary with this named recipient.`),
      p(`Questions: ${clinic.name}${contact.length > 0 ? `, ${contact.join(', ')}` : ''}.`),
    ),
    entry: [{ ...practitioner, display: recipient.name }, ...practice, { ...ctx.clinic, display: clinic.name }],
  };
}

function recipientOf({ summary }: Ctx): Practitioner {
  const { recipient } = summary;
  return {
    resourceType: 'Practitioner',
    name: [{ text: recipient.name }],
    ...nonEmpty('telecom', telecomOf(recipient.phone, recipient.email)),
  };
}

/** The practice as an Organization and the recipient's role in it. */
function recipientPracticeOf(ctx: Ctx, practitioner: Reference<Practitioner>, practice: string): Reference<Resource>[] {
  const { recipient } = ctx.summary;
  const organization = ctx.add<Organization>({ resourceType: 'Organization', name: practice });
  const role = ctx.add<PractitionerRole>({
    resourceType: 'PractitionerRole',
    practitioner,
    organization,
    code: [{ text: 'Prescriber after discharge' }],
    ...nonEmpty('telecom', telecomOf(recipient.phone, recipient.email)),
  });
  return [role, { ...organization, display: practice }];
}

// ---------------------------------------------------------------------------------------------
// Small builders

/** A section's entries, or why it has none (FHIR forbids an empty array). */
function entriesOf(entry: Reference[]): Pick<CompositionSection, 'entry' | 'emptyReason'> {
  if (entry.length > 0) return { entry };
  return { emptyReason: { coding: [{ system: `${HL7}/list-empty-reason`, code: 'nilknown', display: 'Nil Known' }] } };
}

function loinc(code: string, display: string): CodeableConcept {
  return { coding: [{ system: LOINC, code, display }], text: display };
}

function uuidIdentifier(id: string): Pick<Identifier, 'system' | 'value'> {
  return { system: URI, value: `urn:uuid:${id}` };
}

function conditionClinical(code: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-clinical`, code }] };
}

function conditionVerification(code: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-ver-status`, code }] };
}

function conditionCategory(code: string, display: string): CodeableConcept {
  return { coding: [{ system: `${HL7}/condition-category`, code, display }] };
}

function annotation(text: string, time: string | null = null): Annotation {
  return time === null ? { text } : { time, text };
}

function telecomOf(phone: string | null, email: string | null): ContactPoint[] {
  const telecom: ContactPoint[] = [];
  if (phone) telecom.push({ system: 'phone', value: phone, use: 'work' });
  if (email) telecom.push({ system: 'email', value: email, use: 'work' });
  return telecom;
}

/** `{ [key]: values }` when there are values, `{}` otherwise (FHIR forbids empty arrays). */
function nonEmpty<K extends string, V>(key: K, values: V[]): { [P in K]?: V[] } {
  return (values.length > 0 ? { [key]: values } : {}) as { [P in K]?: V[] };
}

const UCUM_UNITS: Record<string, { unit: string; code: string }> = {
  mg: { unit: 'mg', code: 'mg' },
  'mcg/h': { unit: 'mcg/h', code: 'ug/h' },
  patch: { unit: 'patch', code: '{patch}' },
};

function quantity(value: number, unit: string): Quantity {
  const ucum = UCUM_UNITS[unit];
  return ucum === undefined ? { value, unit } : { value, unit: ucum.unit, system: UCUM, code: ucum.code };
}

function perDay(value: number, unit: string): Ratio {
  return { numerator: quantity(value, unit), denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' } };
}

/** "60 mg per day"; a patch is its strength. */
function doseText(dailyDose: number, unit: string): string {
  return unit === 'mcg/h' ? `${dailyDose} mcg/h patch` : `${dailyDose} ${unit} per day`;
}

function timesPerDayText(times: number): string {
  return times === 1 ? 'once a day' : times === 2 ? 'twice a day' : `${times} times a day`;
}

const FORMULATIONS: Record<string, string> = { IR: 'immediate-release', ER: 'extended-release', TRANSDERMAL: 'transdermal patch' };

function medicationName(drug: string, formulation?: string): string {
  const name = drug.charAt(0).toUpperCase() + drug.slice(1);
  return formulation === undefined ? name : `${name} ${FORMULATIONS[formulation] ?? formulation}`;
}

const ROUTES: Record<string, { code: string; display: string }> = {
  ORAL: { code: '26643006', display: 'Oral route' },
  TOPICAL: { code: '6064005', display: 'Topical route' },
  TRANSDERMAL: { code: '45890007', display: 'Transdermal route' },
};

function routeOf(route: string): Pick<Dosage, 'route'> {
  const snomed = ROUTES[route];
  return { route: snomed === undefined ? { text: route.toLowerCase() } : { coding: [{ system: SNOMED, ...snomed }], text: route.toLowerCase() } };
}

// ---------------------------------------------------------------------------------------------
// Narrative (XHTML, escaped)

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const p = (text: string): string => `<p>${escapeXml(text)}</p>`;
/** An empty list says "None." rather than showing nothing. */
const ul = (items: string[]): string => (items.length === 0 ? p('None.') : `<ul>${items.map((item) => `<li>${escapeXml(item)}</li>`).join('')}</ul>`);

function narrative(...blocks: string[]): CompositionSection['text'] {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${blocks.join('')}</div>` };
}
