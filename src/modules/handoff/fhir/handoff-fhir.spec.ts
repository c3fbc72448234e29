import { describe, expect, it } from '@jest/globals';
import type {
  Bundle,
  CarePlan,
  Composition,
  CompositionSection,
  Condition,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Practitioner,
  Resource,
} from '@medplum/fhirtypes';
import { buildHandoffBundle } from './handoff-fhir.js';
import { HANDOFF_FIXTURE, HYDROCODONE_AS_NEEDED } from '../../../../test/support/handoff-fixture.js';
import type { HandoffSummary, HandoffTaper } from '../handoff-summary.js';

const BUNDLE_ID = '5a1e0c3b-7d2f-4e6a-9b8c-1d2e3f4a5b6c';

/** A fresh, deterministic UUID sequence. */
function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

const build = (summary: HandoffSummary = HANDOFF_FIXTURE): Bundle => buildHandoffBundle(summary, { bundleId: BUNDLE_ID, newId: sequentialIds() }, { timeZone: 'Asia/Bangkok' });

const resourcesOf = (bundle: Bundle): Resource[] => (bundle.entry ?? []).map((e) => e.resource as Resource);

function ofType<K extends Resource['resourceType']>(bundle: Bundle, type: K): Extract<Resource, { resourceType: K }>[] {
  return resourcesOf(bundle).filter((r): r is Extract<Resource, { resourceType: K }> => r.resourceType === type);
}

function compositionOf(bundle: Bundle): Composition {
  return bundle.entry?.[0]?.resource as Composition;
}

function sectionTitled(bundle: Bundle, title: string): CompositionSection {
  const section = compositionOf(bundle).section?.find((s) => s.title === title);
  if (section === undefined) throw new Error(`No section titled ${title}`);
  return section;
}

function resolve<T extends Resource>(bundle: Bundle, reference: string | undefined): T {
  const entry = bundle.entry?.find((e) => e.fullUrl === reference);
  if (entry?.resource === undefined) throw new Error(`Unresolved reference ${reference}`);
  return entry.resource as T;
}

/** Every `reference` string anywhere in the value, with where it was found. */
function referencesIn(value: unknown, path = '$'): { path: string; reference: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => referencesIn(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'reference' && typeof child === 'string' ? [{ path: `${path}.${key}`, reference: child }] : referencesIn(child, `${path}.${key}`),
  );
}

/** Paths of values JSON cannot carry as they are: undefined, functions, non-finite numbers. */
function unserialisable(value: unknown, path = '$'): string[] {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return [path];
  if (typeof value === 'number' && !Number.isFinite(value)) return [path];
  if (Array.isArray(value)) return value.flatMap((item, i) => unserialisable(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => unserialisable(child, `${path}.${key}`));
  return [];
}

function taperRequests(bundle: Bundle): MedicationRequest[] {
  return ofType(bundle, 'MedicationRequest').filter((r) => r.category?.some((c) => c.text === 'Opioid taper'));
}

function withTaper(change: Partial<HandoffTaper>): HandoffSummary {
  return { ...HANDOFF_FIXTURE, tapers: [{ ...HANDOFF_FIXTURE.tapers[0], ...change }] };
}

describe('buildHandoffBundle: document rules', () => {
  const bundle = build();

  it('is a Bundle of type document with an identifier and the generation instant as timestamp', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('document');
    expect(bundle.identifier).toEqual({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${BUNDLE_ID}` });
    expect(bundle.timestamp).toBe(HANDOFF_FIXTURE.generatedAt);
  });

  it('starts with a final Composition coded LOINC 18842-5 with subject, author and sections', () => {
    const composition = compositionOf(bundle);
    expect(composition.resourceType).toBe('Composition');
    expect(composition.status).toBe('final');
    expect(composition.type.coding).toContainEqual({ system: 'http://loinc.org', code: '18842-5', display: 'Discharge summary' });
    expect(composition.date).toBe(HANDOFF_FIXTURE.generatedAt);
    expect(composition.title).toEqual(expect.any(String));
    expect(resolve<Patient>(bundle, composition.subject?.reference).resourceType).toBe('Patient');
    expect(composition.author).toHaveLength(1);
    expect(resolve(bundle, composition.author[0].reference)).toMatchObject({ resourceType: 'Organization', name: HANDOFF_FIXTURE.clinic.name });
    expect(composition.custodian?.reference).toBe(composition.author[0].reference);
    expect(ofType(bundle, 'Composition')).toHaveLength(1);
  });

  it('has the sections in order, each with a generated XHTML narrative', () => {
    const sections = compositionOf(bundle).section ?? [];
    expect(sections.map((s) => [s.title, s.code?.coding?.[0]?.code ?? null])).toEqual([
      ['Risks for the next prescriber', '8653-8'],
      ['Opioid history at intake', '10160-0'],
      ['Opioid taper', '8648-8'],
      ['Pain plan at discharge', '10183-2'],
      ['Findings', '11535-2'],
      ['Aftercare', '18776-5'],
      ['Handoff: recipient and consent', null],
    ]);
    for (const section of sections) {
      expect(section.text?.status).toBe('generated');
      expect(section.text?.div).toMatch(/^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.+<\/div>$/s);
    }
  });

  it('resolves every reference anywhere in the bundle to an entry fullUrl', () => {
    const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
    const references = referencesIn(bundle);
    expect(references.length).toBeGreaterThan(50);
    expect(references.filter((r) => !fullUrls.has(r.reference))).toEqual([]);
    expect(references.every((r) => r.reference.startsWith('urn:uuid:'))).toBe(true);
  });

  it('reaches every entry from the Composition', () => {
    const byUrl = new Map((bundle.entry ?? []).map((e) => [e.fullUrl, e.resource]));
    const reached = new Set<string>([bundle.entry?.[0]?.fullUrl as string]);
    const queue = [compositionOf(bundle) as Resource];
    for (let resource = queue.shift(); resource !== undefined; resource = queue.shift()) {
      for (const { reference } of referencesIn(resource)) {
        if (!reached.has(reference)) {
          reached.add(reference);
          queue.push(byUrl.get(reference) as Resource);
        }
      }
    }
    expect([...byUrl.keys()].filter((url) => !reached.has(url as string))).toEqual([]);
  });

  it('gives every entry a resource whose id matches its urn:uuid fullUrl, with no duplicates', () => {
    const entries = bundle.entry ?? [];
    for (const entry of entries) {
      expect(entry.resource?.id).toEqual(expect.any(String));
      expect(entry.fullUrl).toBe(`urn:uuid:${entry.resource?.id}`);
    }
    const urls = entries.map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).not.toContain(`urn:uuid:${BUNDLE_ID}`);
    const contents = entries.map((e) => JSON.stringify({ ...e.resource, id: undefined }));
    expect(new Set(contents).size).toBe(contents.length);
  });

  it('is deterministic: same summary and id sequence, identical JSON', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(bundle));
  });

  it('is plain JSON: no undefined values, functions or non-finite numbers', () => {
    expect(unserialisable(bundle)).toEqual([]);
    expect(JSON.parse(JSON.stringify(bundle))).toEqual(bundle);
  });

  it('does not change its input', () => {
    const before = JSON.stringify(HANDOFF_FIXTURE);
    build();
    expect(JSON.stringify(HANDOFF_FIXTURE)).toBe(before);
  });
});

describe('buildHandoffBundle: content', () => {
  const bundle = build();
  const taper = HANDOFF_FIXTURE.tapers[0];

  it('describes the patient with name, birth date, gender, the clinic id and the hospital number', () => {
    const [patient] = ofType(bundle, 'Patient');
    expect(patient.name).toEqual([{ use: 'official', family: 'Holloway', given: ['Margaret'] }]);
    expect(patient.birthDate).toBe('1971-08-23');
    expect(patient.gender).toBe('female');
    expect(patient.identifier?.[0]).toMatchObject({ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${HANDOFF_FIXTURE.patient.id}` });
    expect(patient.identifier?.[1]).toMatchObject({
      use: 'official',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      system: 'urn:x-clinic:patient-hn',
      value: HANDOFF_FIXTURE.patient.hn,
      assigner: { display: HANDOFF_FIXTURE.clinic.name },
    });
  });

  it.each([
    ['female', 'female'],
    ['male', 'male'],
    ['other', 'other'],
    ['unknown', 'unknown'],
    ['not-recorded', 'unknown'],
  ])('maps sex %s to gender %s', (sex, gender) => {
    const summary = { ...HANDOFF_FIXTURE, patient: { ...HANDOFF_FIXTURE.patient, sex } };
    expect(ofType(build(summary), 'Patient')[0].gender).toBe(gender);
  });

  it('records the stay as a finished Encounter', () => {
    const [encounter] = ofType(bundle, 'Encounter');
    expect(encounter).toMatchObject({ status: 'finished', period: { start: '2027-01-04', end: '2027-03-14' }, length: { value: 70, code: 'd' } });
    expect(compositionOf(bundle).encounter?.reference).toBe(bundle.entry?.find((e) => e.resource === encounter)?.fullUrl);
  });

  it('puts the intake regimen with its MME in the history section', () => {
    const section = sectionTitled(bundle, 'Opioid history at intake');
    const statements = (section.entry ?? []).map((ref) => resolve<Resource>(bundle, ref.reference)).filter((r): r is MedicationStatement => r.resourceType === 'MedicationStatement');
    expect(statements.map((s) => s.medicationCodeableConcept?.text)).toEqual(['Oxycodone extended-release', 'Oxycodone immediate-release']);
    expect(statements[0].dosage?.[0]).toMatchObject({
      text: '20 mg twice a day (40 mg per day, 60 MME)',
      timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity: { value: 20, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
    });
    expect(statements[1].note?.map((n) => n.text)).toContain('15 MME per day (CDC2022).');
    expect(section.text?.div).toContain('Total 75 MME per day');
    const pain = resolve<Condition>(bundle, section.entry?.[0]?.reference);
    expect(pain.code).toEqual({ text: HANDOFF_FIXTURE.intake.pain.condition });
    expect(pain.note).toEqual([
      { text: 'Pain score 7/10 at intake (2026-12-14).' },
      { text: 'Signs of possible opioid-induced hyperalgesia at intake: a suspicion to look into, not a diagnosis.' },
    ]);
    expect(statements.every((s) => s.reasonReference?.[0]?.reference === section.entry?.[0]?.reference)).toBe(true);
  });

  it('states the dependence classification as a Condition in the careful wording', () => {
    const findings = sectionTitled(bundle, 'Findings');
    const conditions = (findings.entry ?? []).map((ref) => resolve<Resource>(bundle, ref.reference)).filter((r): r is Condition => r.resourceType === 'Condition');
    expect(conditions).toHaveLength(1);
    expect(conditions[0].code?.text).toBe('Physical dependence on opioids (not opioid use disorder)');
    expect(conditions[0].note?.[0].text).toBe(HANDOFF_FIXTURE.intake.classificationText);
    expect(conditions[0].note?.[1].text).toBe('DSM-5: 3 criteria met, 1 counted; not counted: tolerance, withdrawal.');
    expect(JSON.stringify(bundle).toLowerCase()).not.toContain('addict');
  });

  it('writes one taper MedicationRequest per order, active while steps remain', () => {
    const requests = taperRequests(bundle);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      status: 'active',
      intent: 'order',
      identifier: [{ value: `urn:uuid:${taper.orderId}` }],
      medicationCodeableConcept: { text: 'Oxycodone extended-release' },
      authoredOn: '2027-01-05',
    });
    const fullUrlOf = (resource: Resource | undefined) => bundle.entry?.find((e) => e.resource === resource)?.fullUrl;
    expect(sectionTitled(bundle, 'Opioid taper').entry?.map((r) => r.reference)).toEqual([fullUrlOf(requests[0]), fullUrlOf(ofType(bundle, 'MedicationAdministration')[0])]);
  });

  it('gives the last opioid dose given as a completed MedicationAdministration under its taper, in the taper section', () => {
    const [administration, ...others] = ofType(bundle, 'MedicationAdministration');
    const composition = compositionOf(bundle);
    expect(others).toEqual([]);
    expect(administration).toEqual({
      resourceType: 'MedicationAdministration',
      id: expect.any(String),
      status: 'completed',
      category: { text: 'Opioid taper: last dose given' },
      medicationCodeableConcept: { text: 'Oxycodone extended-release' },
      subject: { reference: composition.subject?.reference },
      context: { reference: composition.encounter?.reference },
      effectiveDateTime: '2027-03-14T01:00:00.000Z',
      request: { reference: bundle.entry?.find((e) => e.resource === taperRequests(bundle)[0])?.fullUrl },
      note: [{ text: "The last opioid dose given during the stay, from the clinic's administration record." }],
      dosage: {
        text: 'Oxycodone extended-release 17.5 mg',
        route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }], text: 'oral' },
        dose: { value: 17.5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
      },
    });
    expect(sectionTitled(bundle, 'Opioid taper').entry?.map((r) => r.reference)).toContain(`urn:uuid:${administration?.id}`);
  });

  it('gives the last dose of a product without a taper in the document, with no request', () => {
    const [administration] = ofType(build({ ...HANDOFF_FIXTURE, lastOpioidDose: { drug: 'morphine', formulation: 'IR', dose: 5, unit: 'mg', givenAt: '2027-03-13T18:30:00.000Z', onUntil: null, nextPatch: null, alsoGivenThen: [] } }), 'MedicationAdministration');
    expect(administration).toMatchObject({ medicationCodeableConcept: { text: 'Morphine immediate-release' }, effectiveDateTime: '2027-03-13T18:30:00.000Z' });
    expect(administration?.request).toBeUndefined();
  });

  it('writes no MedicationAdministration, and says so, when no opioid dose was recorded', () => {
    const none = build({ ...HANDOFF_FIXTURE, lastOpioidDose: null });
    expect(ofType(none, 'MedicationAdministration')).toEqual([]);
    expect(sectionTitled(none, 'Opioid taper').text?.div).toContain('<p>Last opioid dose given: no opioid dose recorded during this stay.</p>');
  });

  it('gives each step taken then each remaining step as a Dosage with increasing sequence, dose, unit and start', () => {
    const dosages = taperRequests(bundle)[0].dosageInstruction ?? [];
    const steps = [...taper.stepsTaken, ...taper.remainingSteps];
    expect(dosages).toHaveLength(16);
    const sequences = dosages.map((d) => d.sequence as number);
    expect(sequences.every((s, i) => i === 0 || s > sequences[i - 1])).toBe(true);
    expect(
      dosages.map((d) => [d.sequence, d.doseAndRate?.[0]?.doseQuantity?.value, d.doseAndRate?.[0]?.doseQuantity?.code, d.timing?.repeat?.boundsPeriod?.start]),
    ).toEqual(steps.map((s) => [s.step, s.dailyDose, 'mg', s.startsOn]));
    expect(dosages[0].text).toBe('50 mg per day from 2027-01-06 (step 1, 75 MME, scheduled during the stay)');
    expect(dosages[8].text).toBe('17.5 mg per day from 2027-03-10 (step 9, 26.25 MME, dose at discharge)');
    expect(dosages[9].text).toBe('15 mg per day from 2027-03-17 (step 10, 22.5 MME, after discharge)');
    expect(dosages[15].text).toBe('0 mg per day from 2027-10-14 (step 16, 0 MME, stop)');
  });

  it('bounds each step until the day before the next one and states the daily amount per day', () => {
    const dosages = taperRequests(bundle)[0].dosageInstruction ?? [];
    // Step 3 (40 mg from 2027-01-20) was held through the 7-day pause until step 4 on 2027-02-03.
    expect(dosages[2].timing?.repeat?.boundsPeriod).toEqual({ start: '2027-01-20', end: '2027-02-02' });
    expect(dosages[15].timing?.repeat?.boundsPeriod).toEqual({ start: '2027-10-14' });
    expect(dosages[0].maxDosePerPeriod).toEqual({
      numerator: { value: 50, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
      denominator: { value: 1, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' },
    });
  });

  it('notes every version with its reason and every pause with its reason', () => {
    const notes = taperRequests(bundle)[0].note ?? [];
    const [, pauseVersion, slower] = taper.versions;
    expect(notes).toContainEqual({
      time: '2027-01-05',
      text: 'Version 1 (signed 2027-01-05, in force from 2027-01-06): 10% of the starting dose every 7 days.',
    });
    expect(notes).toContainEqual({
      time: '2027-01-26',
      text: `Version 2 (signed 2027-01-26, in force from 2027-01-27): 10% of the starting dose every 7 days. Reason: ${pauseVersion.reason}`,
    });
    expect(notes).toContainEqual({
      time: '2027-02-23',
      text: `Version 3 (signed 2027-02-23, in force from 2027-02-24): 5% of the starting dose every 7 days. Reason: ${slower.reason}`,
    });
    expect(notes).toContainEqual({ time: '2027-01-27', text: `Pause of 7 days from 2027-01-27: ${taper.pauses[0].reason}` });
    expect(notes.at(-1)?.text).toBe('Target 0 mg per day; not reached by discharge: continue the remaining steps.');
  });

  it('shows the course, the versions, the pause and every step in the taper narrative', () => {
    const div = sectionTitled(bundle, 'Opioid taper').text?.div ?? '';
    expect(div).toContain(
      '<p>Oxycodone extended-release: from 50 mg per day (75 MME) on 2027-01-06 to 17.5 mg per day (26.25 MME) since 2027-03-10; 9 steps scheduled during the stay, 7 after discharge, 1 pause.</p>',
    );
    expect(div).toContain('<li>Pause of 7 days from 2027-01-27: COWS 14 (moderate withdrawal)');
    expect(div).toContain('<li>15 mg per day from 2027-03-17 (step 10, 22.5 MME, after discharge)</li>');
    expect(div.match(/ per day from /g)).toHaveLength(16);
    expect(div).toContain('<p>Last opioid dose given: Oxycodone extended-release 17.5 mg on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00).</p>');
    expect(div).toContain("<p>Doses actually given (administration record): Given on 66 of 68 scheduled days; held on 1 (13 Jan 2027), refused on 1 (27 Feb 2027).</p>");
    expect(div).toContain('<li>40 mg per day, 2027-01-20 to 2027-02-02 (14 days)</li><li>35 mg per day');
    expect(div).toContain('<li>17.5 mg per day, 2027-03-10 to 2027-03-14 (5 days)</li>');
  });

  it('marks a taper that reached zero as completed', () => {
    const done = withTaper({ completed: true, remainingSteps: [], stepsTaken: [...taper.stepsTaken, ...taper.remainingSteps] });
    const [request] = taperRequests(build(done));
    expect(request.status).toBe('completed');
    expect(request.dosageInstruction?.map((d) => d.sequence)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('writes a fentanyl patch taper in ug/h (UCUM) as patch strengths', () => {
    const steps = [
      { step: 1, startsOn: '2027-01-06', dailyDose: 50, dailyMme: 120 },
      { step: 2, startsOn: '2027-01-20', dailyDose: 37, dailyMme: 88.8 },
    ];
    const patch = withTaper({ drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', stepsTaken: steps, remainingSteps: [] });
    const dosages = taperRequests(build(patch))[0].dosageInstruction ?? [];
    expect(dosages[1].doseAndRate?.[0]?.doseQuantity).toEqual({ value: 37, unit: 'mcg/h', system: 'http://unitsofmeasure.org', code: 'ug/h' });
    expect(dosages[1].text).toBe('37 mcg/h patch from 2027-01-20 (step 2, 88.8 MME, scheduled during the stay)');
    expect(dosages[1].maxDosePerPeriod).toBeUndefined();
  });

  it('gives a patch given last over the time it is worn (effectivePeriod), in progress while on, with the next patch due', () => {
    const lastOpioidDose = {
      drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', givenAt: '2027-03-12T05:30:00.000Z',
      onUntil: '2027-03-15T05:30:00.000Z', nextPatch: { dueAt: '2027-03-15T05:30:00.000Z', dose: 37.5 }, alsoGivenThen: [],
    };
    // Made on the afternoon of the discharge, before the patch comes off.
    const on = build({ ...HANDOFF_FIXTURE, generatedAt: '2027-03-14T10:00:00.000Z', lastOpioidDose });
    const [administration] = ofType(on, 'MedicationAdministration');
    expect(administration).toMatchObject({ status: 'in-progress', effectivePeriod: { start: '2027-03-12T05:30:00.000Z', end: '2027-03-15T05:30:00.000Z' } });
    expect(administration?.effectiveDateTime).toBeUndefined();
    const sentence = 'Fentanyl transdermal patch: worn 72 hours, until 15 Mar 2027 at 12:30, Asia/Bangkok time (UTC+07:00); the next patch, 37.5 mcg/h, is due then, not before.';
    expect(administration?.note?.map((n) => n.text)).toContain(sentence);
    expect(sectionTitled(on, 'Opioid taper').text?.div).toContain(sentence);

    // Made weeks later (the fixture's 2027-04-06), when the taper had stopped by then.
    const off = build({ ...HANDOFF_FIXTURE, lastOpioidDose: { ...lastOpioidDose, nextPatch: { dueAt: '2027-03-15T05:30:00.000Z', dose: 0 } } });
    expect(ofType(off, 'MedicationAdministration')[0]).toMatchObject({ status: 'completed', effectivePeriod: { end: '2027-03-15T05:30:00.000Z' } });
    expect(sectionTitled(off, 'Opioid taper').text?.div).toContain('Fentanyl transdermal patch: worn 72 hours, until 15 Mar 2027 at 12:30, Asia/Bangkok time (UTC+07:00); no new patch then: the taper stops.');
  });

  it('marks the discharge day given in part, a step due that day not yet started, and the last dose of each taper', () => {
    const [reached, waiting] = [taper.stepsTaken.at(-1)!, { ...taper.remainingSteps[0]!, startsOn: HANDOFF_FIXTURE.stay.dischargedOn }];
    const summary = withTaper({
      dosesGiven: [{ dailyDose: 10, firstDay: '2027-03-14', lastDay: '2027-03-14', days: 1, partial: true }],
      stepsTaken: [...taper.stepsTaken.slice(0, -1), reached],
      remainingSteps: [waiting, ...taper.remainingSteps.slice(1)],
      lastGiven: { dose: 10, givenAt: '2027-03-14T01:00:00.000Z', onUntil: null },
    });
    const bundle = build(summary);
    const text = sectionTitled(bundle, 'Opioid taper').text?.div ?? '';
    expect(text).toContain('<li>10 mg per day, 2027-03-14 to 2027-03-14 (1 day) (discharge day, partial)</li>');
    expect(text).toContain('<p>Last dose given: 10 mg on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00).</p>');
    const dosages = taperRequests(bundle)[0]?.dosageInstruction ?? [];
    expect(dosages[9]?.text).toBe(`15 mg per day from 2027-03-14 (step 10, 22.5 MME, due from the day of discharge, not started before the patient left)`);
  });

  it('lists the pain plan: active orders, as-needed orders, the stopped medicines with their reasons, the non-drug therapies', () => {
    const section = sectionTitled(bundle, 'Pain plan at discharge');
    const resources = (section.entry ?? []).map((ref) => resolve<Resource>(bundle, ref.reference));
    const active = resources.filter((r): r is MedicationRequest => r.resourceType === 'MedicationRequest');
    expect(active.map((r) => [r.status, r.medicationCodeableConcept?.text, r.dosageInstruction?.[0]?.text])).toEqual([
      ['active', 'Paracetamol', '1000 mg 3 times a day, oral (3000 mg per day)'],
      ['active', 'Gabapentin', '300 mg 3 times a day, oral (900 mg per day)'],
      ['active', 'Clonidine', '0.075 mg oral as needed, at least 6 h apart, at most 3 a day (0.225 mg per day), only at a COWS of 8 or more'],
    ]);
    expect(active[2]?.dosageInstruction?.[0]).toMatchObject({
      asNeededCodeableConcept: { text: 'Sweating and restlessness of withdrawal' },
      timing: { repeat: { frequency: 1, period: 6, periodUnit: 'h', boundsPeriod: { start: '2027-01-06' } } },
      maxDosePerPeriod: { numerator: { value: 0.225, code: 'mg' }, denominator: { value: 1, code: 'd' } },
    });
    const [stopped, stoppedAsNeeded] = resources.filter((r): r is MedicationStatement => r.resourceType === 'MedicationStatement');
    expect(stopped).toMatchObject({
      status: 'stopped',
      statusReason: [{ text: HANDOFF_FIXTURE.painPlan.stopped[0].reason }],
      medicationCodeableConcept: { text: 'Ibuprofen' },
      effectivePeriod: { start: '2027-01-05', end: '2027-02-01' },
    });
    expect(stoppedAsNeeded).toMatchObject({
      status: 'stopped',
      statusReason: [{ text: 'No loose stools for a week.' }],
      medicationCodeableConcept: { text: 'Loperamide' },
      effectivePeriod: { start: '2027-01-06', end: '2027-02-10' },
      dosage: [{ asNeededCodeableConcept: { text: 'Diarrhoea of withdrawal' } }],
    });
    const [therapies] = resources.filter((r): r is CarePlan => r.resourceType === 'CarePlan');
    expect(therapies.activity?.map((a) => [a.detail?.code?.text, a.detail?.scheduledString])).toEqual([
      ['Physiotherapy', '3 times a week'],
      ['Cognitive behavioural therapy (CBT)', 'weekly'],
      ['Sleep correction', 'nightly'],
    ]);
  });

  it('codes every pain score with LOINC 72514-3 and its integer value', () => {
    const pains = ofType(bundle, 'Observation').filter((o) => o.code.coding?.some((c) => c.code === '72514-3'));
    expect(pains).toHaveLength(HANDOFF_FIXTURE.painScores.length);
    expect(pains.map((o) => [o.effectiveDateTime, o.valueInteger])).toEqual(HANDOFF_FIXTURE.painScores.map((s) => [s.recordedAt, s.score]));
    for (const o of pains) {
      expect(o.code.coding).toEqual([{ system: 'http://loinc.org', code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' }]);
    }
  });

  it('records the COWS course with a text code, the score and its band', () => {
    const cows = ofType(bundle, 'Observation').filter((o) => o.code.text?.startsWith('Clinical Opiate Withdrawal Scale'));
    expect(cows).toHaveLength(16);
    expect(cows.every((o) => o.code.coding === undefined)).toBe(true);
    expect(cows[5]).toMatchObject({ valueInteger: 14, effectiveDateTime: '2027-01-26T01:30:00.000Z', interpretation: [{ text: 'moderate withdrawal (COWS 13–24)' }] });
  });

  it('gives the pain-vs-dose finding as an Observation with its text and figures', () => {
    const trend = ofType(bundle, 'Observation').find((o) => o.valueString !== undefined) as Observation;
    expect(trend.valueString).toBe(HANDOFF_FIXTURE.painTrend.text);
    expect(trend.effectivePeriod).toEqual({ start: '2027-01-04', end: '2027-03-14' });
    expect(trend.component?.map((c) => c.valueString ?? c.valueInteger ?? c.valueQuantity?.value)).toEqual([
      'HYPERALGESIA_LIKELY_CONTRIBUTED',
      23,
      0.95,
      7.25,
      3.67,
      75,
      27.32,
    ]);
    expect(trend.derivedFrom).toHaveLength(HANDOFF_FIXTURE.painScores.length);
  });

  it('spells out the risks in the risk section', () => {
    const div = sectionTitled(bundle, 'Risks for the next prescriber').text?.div ?? '';
    for (const risk of HANDOFF_FIXTURE.risks) expect(div).toContain(`<li>${risk.message}</li>`);
  });

  it('schedules the 8 aftercare check-ins in a CarePlan with their status', () => {
    const plan = resolve<CarePlan>(bundle, sectionTitled(bundle, 'Aftercare').entry?.[0]?.reference);
    expect(plan).toMatchObject({ resourceType: 'CarePlan', status: 'active', intent: 'plan', period: { start: '2027-03-14', end: '2027-05-09' } });
    expect(plan.activity?.map((a) => [a.detail?.scheduledPeriod?.start, a.detail?.status])).toEqual([
      ['2027-03-21', 'completed'],
      ['2027-03-28', 'cancelled'],
      ['2027-04-04', 'completed'],
      ['2027-04-11', 'scheduled'],
      ['2027-04-18', 'scheduled'],
      ['2027-04-25', 'scheduled'],
      ['2027-05-02', 'scheduled'],
      ['2027-05-09', 'scheduled'],
    ]);
    expect(plan.activity?.[1].detail?.statusReason?.text).toMatch(/^Missed/);
    expect(plan.activity?.[0].progress?.[0].text).toBe(HANDOFF_FIXTURE.aftercare.checkIns[0].notes);
    expect(plan.activity?.[3].progress).toBeUndefined();
  });

  it('names the recipient as a Practitioner in the handoff section and states the consent date', () => {
    const section = sectionTitled(bundle, 'Handoff: recipient and consent');
    const practitioner = resolve<Practitioner>(bundle, section.entry?.[0]?.reference);
    expect(practitioner).toMatchObject({
      resourceType: 'Practitioner',
      name: [{ text: 'Dr Jonathan Pierce' }],
      telecom: [
        { system: 'phone', value: '+44 113 496 0731', use: 'work' },
        { system: 'email', value: 'jonathan.pierce@riverside-practice.example', use: 'work' },
      ],
    });
    expect(ofType(bundle, 'PractitionerRole')[0].organization?.reference).toBe(
      bundle.entry?.find((e) => e.resource?.resourceType === 'Organization' && e.resource.name === 'Riverside Family Practice, Leeds')?.fullUrl,
    );
    expect(section.text?.div).toContain('written consent on 2027-03-14');
    expect(section.text?.div).toContain('+66 53 000 123');
  });

  it('gives an as-needed combination opioid at intake as needed, never a schedule, with its paracetamol as an ingredient', () => {
    const hydrocodone: HandoffTaper = { ...HANDOFF_FIXTURE.tapers[0], drug: 'hydrocodone', formulation: 'IR', rotation: null };
    const summary: HandoffSummary = { ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [HYDROCODONE_AS_NEEDED] }, tapers: [hydrocodone] };
    const prn = build(summary);
    const section = sectionTitled(prn, 'Opioid history at intake');
    const [statement] = (section.entry ?? []).map((ref) => resolve<Resource>(prn, ref.reference)).filter((r): r is MedicationStatement => r.resourceType === 'MedicationStatement');
    const text = '5 mg as needed, up to 4 a day (at most 20 mg per day, 20 MME), with paracetamol 325 mg in each unit (at most 1300 mg per day of paracetamol)';

    expect(statement?.dosage).toEqual([
      {
        text,
        asNeededBoolean: true,
        maxDosePerPeriod: { numerator: { value: 20, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' }, denominator: { value: 1, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' } },
        route: expect.objectContaining({ text: 'oral' }),
        doseAndRate: [{ doseQuantity: { value: 5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
      },
    ]);
    expect(statement?.medicationCodeableConcept).toBeUndefined();
    const perUnit = (value: number) => ({ numerator: { value, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' }, denominator: { value: 1, unit: 'unit' } });
    expect(resolve(prn, statement?.medicationReference?.reference)).toEqual({
      resourceType: 'Medication',
      id: expect.any(String),
      code: { text: 'Hydrocodone immediate-release with paracetamol' },
      ingredient: [
        { itemCodeableConcept: { text: 'Hydrocodone' }, isActive: true, strength: perUnit(5) },
        { itemCodeableConcept: { text: 'Paracetamol' }, isActive: true, strength: perUnit(325) },
      ],
    });
    expect(statement?.note?.map((n) => n.text)).toContain(
      'A combination product, with paracetamol 325 mg in each unit (at most 1300 mg per day of paracetamol): count it toward the daily paracetamol limit while it is taken.',
    );
    expect(section.text?.div).toContain(`Hydrocodone immediate-release: ${text}`);
    const fullUrls = new Set((prn.entry ?? []).map((e) => e.fullUrl));
    expect(referencesIn(prn).filter((r) => !fullUrls.has(r.reference))).toEqual([]);
    expect(unserialisable(prn)).toEqual([]);
    // The taper of the same product still carries it.
    expect(taperRequests(prn)[0]?.note?.map((n) => n.text)).toContain('Hydrocodone immediate-release is a combination product with paracetamol 325 mg in each unit: count it toward the daily paracetamol limit.');
  });

  it('keeps a scheduled intake opioid on its schedule, with no as-needed flag and no paracetamol', () => {
    const [statement] = ofType(bundle, 'MedicationStatement').filter((s) => s.medicationCodeableConcept?.text === 'Oxycodone extended-release');
    expect(statement?.dosage?.[0]?.asNeededBoolean).toBeUndefined();
    expect(JSON.stringify(statement)).not.toMatch(/paracetamol/i);
    expect(ofType(bundle, 'Medication')).toEqual([]);
  });

  it('gives an intake opioid never ordered as a MedicationStatement stopped on the admission day, saying none was given and tolerance is lost', () => {
    const text = 'Stopped at admission: not ordered during the stay, so none was given by the clinic since 2027-01-04. Tolerance to it is lost: do not restart it at the intake dose (10 mg/day); if it is needed again, start low, as for a patient who has not taken opioids, and increase slowly.';
    const [er, ir] = HANDOFF_FIXTURE.intake.opioids;
    const summary = { ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [er!, { ...ir!, orderedDuringStay: false, stoppedAtAdmission: { on: '2027-01-04', text, orderStoppedBeforeFirstDose: null } }] } };
    const built = build(summary);
    const statements = ofType(built, 'MedicationStatement').filter((s) => s.medicationCodeableConcept?.text?.startsWith('Oxycodone'));
    expect(statements.map((s) => [s.medicationCodeableConcept?.text, s.status])).toEqual([
      ['Oxycodone extended-release', 'completed'],
      ['Oxycodone immediate-release', 'stopped'],
    ]);
    expect(statements[1]).toMatchObject({ statusReason: [{ text: 'Stopped at admission: not ordered during the stay, so none was given by the clinic.' }], effectivePeriod: { end: '2027-01-04' } });
    expect(statements[1]?.note).toContainEqual({ time: '2027-01-04', text });
    expect(statements[0]?.statusReason).toBeUndefined();
    expect(sectionTitled(built, 'Opioid history at intake').text?.div).toContain(`<li>Oxycodone immediate-release: 5 mg twice a day (10 mg per day, 15 MME). ${text}</li>`);
  });

  it('gives a fentanyl patch at intake as a patch changed every 3 days, never once a day', () => {
    const fentanyl = { ...HANDOFF_FIXTURE.intake.opioids[0]!, drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 12, unit: 'mcg/h', timesPerDay: 1, dailyDose: 12, dailyMme: 28.8 };
    const built = build({ ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [fentanyl] } });
    const [statement] = ofType(built, 'MedicationStatement');
    expect(statement?.dosage?.[0]).toMatchObject({ text: '12 mcg/h patch, changed every 3 days (28.8 MME)', timing: { repeat: { frequency: 1, period: 72, periodUnit: 'h' } } });
    expect(JSON.stringify(statement?.dosage)).not.toMatch(/once a day|per day|"periodUnit":"d"/);
  });

  it('notes the version that stopped a taper as a stop from its date, not at the rate it kept', () => {
    const stopping = { version: 4, signedOn: '2027-03-01', effectiveFrom: '2027-03-02', reason: 'Transfer to hospital', reductionPercent: 5, intervalDays: 7 };
    const stopped = withTaper({ discontinued: { from: '2027-03-02', reason: 'Transfer to hospital' }, versions: [...taper.versions, stopping], remainingSteps: [] });
    const notes = (taperRequests(build(stopped))[0]?.note ?? []).map((n) => n.text);
    expect(notes).toContain('Version 4 (signed 2027-03-01, in force from 2027-03-02): stopped from 2027-03-02. Reason: Transfer to hospital');
    expect(notes).toContain('Version 3 (signed 2027-02-23, in force from 2027-02-24): 5% of the starting dose every 7 days. Reason: ' + taper.versions[2]!.reason);
  });

  it('escapes text in the narrative', () => {
    const risky = { ...HANDOFF_FIXTURE, risks: [{ code: 'X', message: 'Dose < 5 mg & "stop"' }] };
    const div = sectionTitled(build(risky), 'Risks for the next prescriber').text?.div;
    expect(div).toContain('<li>Dose &lt; 5 mg &amp; &quot;stop&quot;</li>');
  });
});

describe('buildHandoffBundle: a sparse summary', () => {
  const sparse: HandoffSummary = {
    ...HANDOFF_FIXTURE,
    clinic: { name: 'Clinic', address: [], phone: '', email: '', contact: 'clinic contact not configured' },
    recipient: { name: 'Dr Ana Silva', practice: null, phone: null, email: null },
    lastOpioidDose: null,
    tapers: [],
    painPlan: { active: [], stopped: [], asNeeded: [], therapies: [] },
    cows: { readings: [], highest: null, last: null },
    painScores: [],
    aftercare: { checkIns: [] },
  };
  const bundle = build(sparse);

  it('still meets the document rules and leaves out empty parts instead of writing empty values', () => {
    const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
    expect(referencesIn(bundle).filter((r) => !fullUrls.has(r.reference))).toEqual([]);
    expect(unserialisable(bundle)).toEqual([]);
    expect(ofType(bundle, 'PractitionerRole')).toEqual([]);
    expect(ofType(bundle, 'Practitioner')[0].telecom).toBeUndefined();
    expect(ofType(bundle, 'Organization')[0]).toEqual({ resourceType: 'Organization', name: 'Clinic', id: expect.any(String) });
    expect(sectionTitled(bundle, 'Opioid taper')).toMatchObject({ emptyReason: { coding: [{ code: 'nilknown' }] } });
    expect(sectionTitled(bundle, 'Opioid taper').entry).toBeUndefined();
    expect(sectionTitled(bundle, 'Pain plan at discharge').entry).toBeUndefined();
    expect(JSON.stringify(bundle)).not.toMatch(/\[\]|\{\}|""/);
  });
});

describe('buildHandoffBundle: the review of one whole stay', () => {
  const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
  /** Every human-readable text of the bundle: narratives, `text` of any element, notes. */
  function readableTexts(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(readableTexts);
    if (value === null || typeof value !== 'object') return [];
    return Object.entries(value).flatMap(([key, child]) => ((key === 'div' || key === 'text') && typeof child === 'string' ? [child] : readableTexts(child)));
  }

  it('prints every instant of its readable text on the clinic clock, zone named, as the PDF does; structured dateTimes stay ISO instants', () => {
    const patch = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', givenAt: '2027-03-12T05:30:00.000Z', onUntil: '2027-03-15T05:30:00.000Z', nextPatch: { dueAt: '2027-03-15T05:30:00.000Z', dose: 37.5 }, alsoGivenThen: [] };
    const bundle = build({ ...HANDOFF_FIXTURE, lastOpioidDose: patch });
    const texts = readableTexts(bundle);

    expect(texts.filter((text) => ISO_INSTANT.test(text))).toEqual([]);
    expect(sectionTitled(bundle, 'Opioid taper').text?.div).toContain('<p>Last opioid dose given: Fentanyl transdermal patch 50 mcg/h on 12 Mar 2027 at 12:30, Asia/Bangkok time (UTC+07:00).');
    expect(sectionTitled(bundle, 'Findings').text?.div).toContain('<li>Highest: 14 (moderate withdrawal (COWS 13–24)) on 26 Jan 2027 at 08:30, Asia/Bangkok time (UTC+07:00)</li>');
    expect(ofType(bundle, 'MedicationAdministration')[0]).toMatchObject({ effectivePeriod: { start: '2027-03-12T05:30:00.000Z', end: '2027-03-15T05:30:00.000Z' } });
    expect(ofType(bundle, 'Observation').filter((o) => o.effectiveDateTime !== undefined).every((o) => ISO_INSTANT.test(o.effectiveDateTime!))).toBe(true);
  });

  it('two opioids given at the last instant: both named in the narrative, one MedicationAdministration each under its own taper, each noting the other', () => {
    const [er] = HANDOFF_FIXTURE.tapers;
    const ir = { ...er!, orderId: 'ir', formulation: 'IR' };
    const ir5 = { drug: 'oxycodone', formulation: 'IR', dose: 5, unit: 'mg', givenAt: '2027-03-14T01:00:00.000Z', onUntil: null, nextPatch: null };
    const bundle = build({ ...HANDOFF_FIXTURE, tapers: [er!, ir], lastOpioidDose: { ...HANDOFF_FIXTURE.lastOpioidDose!, alsoGivenThen: [ir5] } });

    expect(sectionTitled(bundle, 'Opioid taper').text?.div).toContain(
      '<p>Last opioid doses given, at the same time: Oxycodone extended-release 17.5 mg and Oxycodone immediate-release 5 mg on 14 Mar 2027 at 08:00, Asia/Bangkok time (UTC+07:00).</p>',
    );
    const administrations = ofType(bundle, 'MedicationAdministration');
    expect(administrations.map((a) => [a.medicationCodeableConcept?.text, a.effectiveDateTime, a.dosage?.dose?.value])).toEqual([
      ['Oxycodone extended-release', '2027-03-14T01:00:00.000Z', 17.5],
      ['Oxycodone immediate-release', '2027-03-14T01:00:00.000Z', 5],
    ]);
    const requests = taperRequests(bundle);
    expect(administrations.map((a) => resolve<MedicationRequest>(bundle, a.request?.reference).medicationCodeableConcept?.text)).toEqual(requests.map((r) => r.medicationCodeableConcept?.text));
    expect(administrations[0]?.note).toContainEqual({ text: 'Given at the same time as Oxycodone immediate-release 5 mg: together, the last opioid doses given.' });
    expect(administrations[1]?.note).toContainEqual({ text: 'Given at the same time as Oxycodone extended-release 17.5 mg: together, the last opioid doses given.' });
    expect(compositionOf(bundle).section?.find((s) => s.title === 'Opioid taper')?.entry?.filter((e) => administrations.some((_, i) => e.reference === bundle.entry?.find((x) => x.resource === administrations[i])?.fullUrl))).toHaveLength(2);
  });

  it('names buprenorphine still taken beside the MME totals, and gives no MME total for buprenorphine alone', () => {
    const notCounted = [{ drug: 'buprenorphine', formulation: 'IR', unit: 'mg', atIntake: 6, atDischarge: 4 }];
    const beside = build({ ...HANDOFF_FIXTURE, mme: { ...HANDOFF_FIXTURE.mme, atDischarge: 0, notCounted } });
    expect(sectionTitled(beside, 'Opioid taper').text?.div).toContain(
      '<p>Total daily MME: 75 at intake, 75 at the start of the taper, 0 at discharge. Not counted (no MME factor): Buprenorphine immediate-release 6 mg per day at intake, 4 mg per day at discharge, still taken.</p>',
    );

    const bup = { ...HANDOFF_FIXTURE.intake.opioids[0]!, drug: 'buprenorphine', formulation: 'IR', dailyMme: null };
    const [er] = HANDOFF_FIXTURE.tapers;
    const alone = build({ ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [bup], totalDailyMme: 0 }, tapers: [{ ...er!, drug: 'buprenorphine', formulation: 'IR', start: { ...er!.start, dailyMme: null } }], mme: { ...HANDOFF_FIXTURE.mme, atIntake: 0, atDischarge: 0, notCounted } });
    expect(sectionTitled(alone, 'Opioid taper').text?.div).toContain('<p>Total daily MME: does not apply (no MME factor). Not counted (no MME factor): Buprenorphine immediate-release');
    expect(sectionTitled(alone, 'Opioid history at intake').text?.div).toContain('Total MME per day: does not apply (no MME factor)');
    expect(sectionTitled(alone, 'Opioid history at intake').text?.div).not.toContain('Total 0 MME');
  });

  it('an intake opioid whose taper order was stopped before its first dose: stopped at admission, saying so', () => {
    const [er, ir] = HANDOFF_FIXTURE.intake.opioids;
    const order = { from: '2027-01-06', reason: 'Oversedation on the ER alone.' };
    const stopped = { on: '2027-01-04', text: 'Stopped at admission: its taper order was stopped before its first dose …', orderStoppedBeforeFirstDose: order };
    const bundle = build({ ...HANDOFF_FIXTURE, intake: { ...HANDOFF_FIXTURE.intake, opioids: [er!, { ...ir!, orderedDuringStay: false, stoppedAtAdmission: stopped }] } });
    const statement = ofType(bundle, 'MedicationStatement').find((s) => s.medicationCodeableConcept?.text === 'Oxycodone immediate-release');
    expect(statement).toMatchObject({
      status: 'stopped',
      statusReason: [{ text: 'Stopped at admission: its taper order was stopped before its first dose (from 2027-01-06: Oversedation on the ER alone), so none was given by the clinic.' }],
    });
  });
});
