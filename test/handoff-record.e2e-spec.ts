import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Bundle, Composition, MedicationAdministration, MedicationRequest, Resource } from '@medplum/fhirtypes';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { bearer, createStaff, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { readingBytes } from './support/responses.js';

/**
 * The handoff from the administration record (domain.md §8a, §11): a 30-day stay, admitted on
 * 2027-01-04 and discharged on 2027-02-02, on the example order (oxycodone IR 60 mg a day to
 * 01-10, 55 from 01-11, 50 from 01-18, 45 from 01-25, 40 from 02-01). The nurses give half the
 * day's dose at 08:00 and at 20:00 (Asia/Bangkok, +07:00), witnessed; both doses are held on
 * 01-12 and 01-20 (drowsy) and refused on 01-15. On the day of discharge the patient leaves after
 * the morning dose: an evening dose recorded by mistake is voided, so the discharge day has 20 of
 * its 40 mg, a partial day (never a daily dose of 20 mg). Every expected value below is worked out
 * by hand from that record.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
const DISCHARGED_ON = '2027-02-02';

type Json = Record<string, unknown>;

/** Half the day's dose, by the day the step starts. */
const HALF_DOSES: [from: string, mg: number][] = [['2027-01-04', 30], ['2027-01-11', 27.5], ['2027-01-18', 25], ['2027-01-25', 22.5], ['2027-02-01', 20]];
const NOT_GIVEN: Record<string, { outcome: string; reason: string }> = {
  '2027-01-12': { outcome: 'HELD', reason: 'Drowsy, RR 10: held and the psychiatrist informed.' },
  '2027-01-15': { outcome: 'REFUSED', reason: 'Refused: nausea; wants to speak to the psychiatrist first.' },
  '2027-01-20': { outcome: 'HELD', reason: 'Drowsy after a poor night: held.' },
};

const PARTIAL_CLAUSE = "only in part on the discharge day (2027-02-02), before the patient left";

const STAY_DAYS = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2027, 0, 4 + i)).toISOString().slice(0, 10));

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;

/** Page 1 of the PDF as poppler's pdftotext reads it. */
function pdftotextPage1(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'handoff-record-')), 'handoff.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
}

describe('the handoff from the administration record: a 30-day stay', () => {
  let t: TestApp;
  let nurse: Staff;
  let witness: Staff;
  let coordinator: Staff;
  let admissionId: string;
  let orderId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const staff = await staffForEveryRole(t);
    ({ nurse, aftercare: coordinator } = staff);
    witness = await createStaff(t, ['nurse']);
    // Everything is entered on the evening of the day of discharge: no dose lies in the future.
    t.clock.setTo('2027-02-02T21:00:00+07:00');
    const intake = exampleIntakeBody({ patient: { givenName: 'สมชาย', familyName: 'ใจดี', dateOfBirth: '1968-05-02', sex: 'male' } });
    ({ admissionId } = await admitPatient(t, staff.admissions, intake, ADMITTED_ON));
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(apiExampleOrder()).expect(201);
    orderId = (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId;

    const give = (body: Json) =>
      t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(nurse)).send({ orderKind: 'TAPER', orderId, unit: 'mg', idempotencyKey: randomUUID(), ...body }).expect(201);
    for (const day of STAY_DAYS) {
      const dose = HALF_DOSES.filter(([from]) => from <= day).at(-1)![1];
      for (const time of day === DISCHARGED_ON ? ['08:00'] : ['08:00', '20:00']) {
        const notGiven = NOT_GIVEN[day];
        await give({ dose, givenAt: `${day}T${time}:00+07:00`, ...(notGiven ?? { outcome: 'GIVEN', witnessId: witness.id }) });
      }
    }
    const mistaken = await give({ dose: 20, givenAt: '2027-02-02T20:00:00+07:00', outcome: 'GIVEN', witnessId: witness.id });
    await t.http.post(`${API}/administrations/${mistaken.body.id}/void`).set(bearer(nurse)).send({ reason: 'Entered in error: the patient left at noon.' }).expect(200);

    const discharge = { dischargedOn: DISCHARGED_ON, outsidePrescriber: { name: 'Dr Hannah Weber', practice: 'Praxis am Markt, Freiburg' }, consentToShare: { given: true, recordedOn: DISCHARGED_ON } };
    await t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(discharge).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  const handoff = (format?: string) =>
    t.http
      .get(`${API}/admissions/${admissionId}/handoff`)
      .query(format === undefined ? {} : { format })
      .set(bearer(coordinator));

  it('the record holds 59 doses and one voided entry', async () => {
    const list = (await t.http.get(`${API}/admissions/${admissionId}/administrations`).query({ limit: 200 }).set(bearer(nurse)).expect(200)).body;
    const items = list.items as { outcome: string; voided: boolean }[];
    expect(items).toHaveLength(60);
    expect(items.filter((i) => i.voided)).toHaveLength(1);
    expect(items.filter((i) => !i.voided && i.outcome === 'GIVEN')).toHaveLength(53);
    // Without a limit, a page of 50 and the cursor to the rest.
    const first = (await t.http.get(`${API}/admissions/${admissionId}/administrations`).set(bearer(nurse)).expect(200)).body;
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toEqual(expect.any(String));
  });

  it('JSON: the doses actually given in runs, the days held and refused, the adherence line and the last dose given', async () => {
    const summary = (await handoff().expect(200)).body;

    // 08:00 in Bangkok on the day of discharge; the voided 20:00 entry does not count.
    expect(summary.lastOpioidDose).toEqual({ drug: 'oxycodone', formulation: 'IR', dose: 20, unit: 'mg', givenAt: '2027-02-02T01:00:00.000Z', onUntil: null, nextPatch: null, alsoGivenThen: [] });
    expect(summary.tapers).toHaveLength(1);
    expect(summary.tapers[0]).toMatchObject({
      orderId,
      scheduledDays: 30,
      daysGiven: 27,
      dosesGiven: [
        { dailyDose: 60, firstDay: '2027-01-04', lastDay: '2027-01-10', days: 7, partial: false },
        { dailyDose: 55, firstDay: '2027-01-11', lastDay: '2027-01-11', days: 1, partial: false },
        { dailyDose: 55, firstDay: '2027-01-13', lastDay: '2027-01-14', days: 2, partial: false },
        { dailyDose: 55, firstDay: '2027-01-16', lastDay: '2027-01-17', days: 2, partial: false },
        { dailyDose: 50, firstDay: '2027-01-18', lastDay: '2027-01-19', days: 2, partial: false },
        { dailyDose: 50, firstDay: '2027-01-21', lastDay: '2027-01-24', days: 4, partial: false },
        { dailyDose: 45, firstDay: '2027-01-25', lastDay: '2027-01-31', days: 7, partial: false },
        { dailyDose: 40, firstDay: '2027-02-01', lastDay: '2027-02-01', days: 1, partial: false },
        // The morning dose only: the patient left before the evening's.
        { dailyDose: 20, firstDay: '2027-02-02', lastDay: '2027-02-02', days: 1, partial: true },
      ],
      daysHeld: ['2027-01-12', '2027-01-20'],
      daysRefused: ['2027-01-15'],
      daysOmitted: [],
      daysNotRecorded: [],
      adherence: `Given on 27 of 30 scheduled days; held on 2 (2027-01-12, 2027-01-20), refused on 1 (2027-01-15), ${PARTIAL_CLAUSE}.`,
      lastGiven: { dose: 20, givenAt: '2027-02-02T01:00:00.000Z', onUntil: null },
      // The order's plan is still there beside what was given.
      atDischarge: { since: '2027-02-01', dailyDose: 40, dailyMme: 60 },
      stepsTaken: [
        { step: 1, startsOn: '2027-01-04', dailyDose: 60, dailyMme: 90 },
        { step: 2, startsOn: '2027-01-11', dailyDose: 55, dailyMme: 82.5 },
        { step: 3, startsOn: '2027-01-18', dailyDose: 50, dailyMme: 75 },
        { step: 4, startsOn: '2027-01-25', dailyDose: 45, dailyMme: 67.5 },
        { step: 5, startsOn: '2027-02-01', dailyDose: 40, dailyMme: 60 },
      ],
    });
    expect(summary.patient).toMatchObject({ givenName: 'สมชาย', familyName: 'ใจดี' });
  });

  it('PDF: the last dose on page 1, on the clinic’s clock with the zone named; the steps actually taken in the detail', async () => {
    const response = await readingBytes(handoff('pdf')).expect(200);
    const pdf = response.body as Buffer;
    if (process.env.HANDOFF_PDF_SAMPLES) writeFileSync(path.join(process.env.HANDOFF_PDF_SAMPLES, 'handoff-record.pdf'), pdf);
    const text = extractPdfText(pdf).replace(/\s+/g, ' ');
    const page1 = text.split(/(?<=Page 1 of \d+)/)[0] ?? '';

    const lastDose = 'Oxycodone IR 20 mg on 2 Feb 2027 at 08:00, Asia/Bangkok time (UTC+07:00)';
    expect(page1).toContain(`LAST OPIOID DOSE GIVEN ${lastDose} 2 Feb 2027 01:00 UTC.`);
    expect(page1).toContain('สมชาย ใจดี');
    // The PDF prints the sentence's dates as its pages do.
    expect(text).toContain('Doses actually given (administration record): Given on 27 of 30 scheduled days; held on 2 (12 Jan 2027, 20 Jan 2027), refused on 1 (15 Jan 2027), only in part on the discharge day (2 Feb 2027), before the patient left.');
    const rows = ['55 mg/day 11 Jan 2027 11 Jan 2027 1 day', 'Nothing given 12 Jan 2027 12 Jan 2027 1 day held', 'Nothing given 15 Jan 2027 15 Jan 2027 1 day refused', '20 mg/day 2 Feb 2027 2 Feb 2027 1 day discharge day, partial'];
    for (const row of rows) {
      expect(text).toContain(row);
    }
    if (hasPdftotext) {
      const popplerPage1 = pdftotextPage1(pdf).replace(/\s+/g, ' ');
      expect(popplerPage1).toContain(lastDose);
      expect(popplerPage1).toContain('สมชาย ใจดี');
    }
  });

  it('FHIR: the last dose as a completed MedicationAdministration at its instant, referenced from the taper section', async () => {
    const response = await handoff('fhir').expect(200);
    const bundle = JSON.parse(response.text) as Bundle;
    const entries = bundle.entry ?? [];
    const composition = entries[0]?.resource as Composition;
    const administrations = entries.filter((e) => e.resource?.resourceType === 'MedicationAdministration');

    expect(administrations).toHaveLength(1);
    const [{ fullUrl, resource }] = administrations as [{ fullUrl: string; resource: MedicationAdministration }];
    expect(resource).toMatchObject({
      status: 'completed',
      medicationCodeableConcept: { text: 'Oxycodone immediate-release' },
      subject: { reference: composition.subject?.reference },
      effectiveDateTime: '2027-02-02T01:00:00.000Z',
      dosage: { dose: { value: 20, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
    });
    const request = entries.find((e) => e.fullUrl === resource.request?.reference)?.resource as Resource & { category?: { text?: string }[] };
    expect(request).toMatchObject({ resourceType: 'MedicationRequest', category: [{ text: 'Opioid taper' }] });
    const taperSection = composition.section?.find((s) => s.title === 'Opioid taper');
    expect(taperSection?.entry?.map((e) => e.reference)).toContain(fullUrl);
    expect(taperSection?.text?.div).toContain('Given on 27 of 30 scheduled days; held on 2 (12 Jan 2027, 20 Jan 2027), refused on 1 (15 Jan 2027), only in part on the discharge day (2 Feb 2027), before the patient left.');
    expect(taperSection?.text?.div).toContain('<li>20 mg per day, 2027-02-02 to 2027-02-02 (1 day) (discharge day, partial)</li>');
  });
});

describe('the handoff from the administration record: fentanyl patches changed every 72 hours', () => {
  let t: TestApp;

  afterAll(async () => {
    await t.close();
  });

  it('every day of the stay a patch was worn is a day given, none beyond the discharge; the last dose is the last patch applied', async () => {
    t = await startTestApp();
    const staff = await staffForEveryRole(t);
    const witness = await createStaff(t, ['nurse']);
    t.clock.setTo('2027-01-13T21:00:00+07:00');
    const fentanyl = { drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', timesPerDay: 1, monthsOnTherapy: 6, prescribed: true };
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids: [fentanyl] }), ADMITTED_ON);
    // A long interval keeps 50 mcg/h through the stay.
    const order = { drug: 'fentanyl', formulation: 'TRANSDERMAL', unit: 'mcg/h', startDailyDose: 50, unitStrengths: [12.5, 25, 50], allowHalfTablets: false, intervalDays: 14 };
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(apiExampleOrder(order)).expect(201);
    const orderId = (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId;
    for (const day of ['2027-01-04', '2027-01-07', '2027-01-10', '2027-01-13']) {
      await t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.nurse))
        .send({ orderKind: 'TAPER', orderId, dose: 50, unit: 'mcg/h', givenAt: `${day}T08:00:00+07:00`, outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: randomUUID() }).expect(201);
    }
    const discharge = { dischargedOn: '2027-01-13', outsidePrescriber: { name: 'Dr Hannah Weber', practice: 'Praxis am Markt, Freiburg' }, consentToShare: { given: true, recordedOn: '2027-01-13' } };
    await t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare)).send(discharge).expect(201);
    const handoff = (format?: string) => t.http.get(`${API}/admissions/${admissionId}/handoff`).query(format === undefined ? {} : { format }).set(bearer(staff.aftercare));
    const summary = (await handoff().expect(200)).body;
    // Applied at 08:00 on the day of discharge, worn 72 hours: still on when the patient leaves; the next is due when it comes off, at the schedule's 50 mcg/h that day.
    const offAt = '2027-01-16T01:00:00.000Z';
    expect(summary.lastOpioidDose).toEqual({ drug: 'fentanyl', formulation: 'TRANSDERMAL', dose: 50, unit: 'mcg/h', givenAt: '2027-01-13T01:00:00.000Z', onUntil: offAt, nextPatch: { dueAt: offAt, dose: 50 }, alsoGivenThen: [] });
    expect(summary.tapers[0]).toMatchObject({
      scheduledDays: 10,
      daysGiven: 10,
      // The patch applied that day is the whole day's dose: the discharge day is no partial day.
      dosesGiven: [{ dailyDose: 50, firstDay: '2027-01-04', lastDay: '2027-01-13', days: 10, partial: false }],
      daysNotRecorded: [],
      adherence: 'Given on 10 of 10 scheduled days.',
      lastGiven: { dose: 50, givenAt: '2027-01-13T01:00:00.000Z', onUntil: offAt },
    });

    const text = extractPdfText((await readingBytes(handoff('pdf')).expect(200)).body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('LAST OPIOID DOSE GIVEN Fentanyl TRANSDERMAL 50 mcg/h patch applied on 13 Jan 2027 at 08:00, Asia/Bangkok time (UTC+07:00)');
    expect(text).toContain("The patch is still on at discharge: worn 72 hours, it comes off on 16 Jan 2027 at 08:00. Next patch due then: 50 mcg/h, by the taper's schedule; not before.");
    expect(text).toContain('Last patch applied: 50 mcg/h on 13 Jan 2027 at 08:00, Asia/Bangkok time (UTC+07:00); worn until 16 Jan 2027 08:00.');

    const bundle = JSON.parse((await handoff('fhir').expect(200)).text) as Bundle;
    const administration = bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationAdministration')?.resource as MedicationAdministration;
    // Still on when the document was made (21:00 on the day of discharge).
    expect(administration).toMatchObject({ status: 'in-progress', effectivePeriod: { start: '2027-01-13T01:00:00.000Z', end: offAt } });
    expect(administration.effectiveDateTime).toBeUndefined();
  });
});

describe('the handoff from the administration record: discharged on a step day before its first dose', () => {
  let t: TestApp;

  afterAll(async () => {
    await t.close();
  });

  it('the dose at discharge is the one last reached (60 mg), the new step (55 mg from the discharge day) is still due, and the day is no gap', async () => {
    t = await startTestApp();
    const staff = await staffForEveryRole(t);
    const witness = await createStaff(t, ['nurse']);
    // The example order steps from 60 to 55 mg on 01-11; the patient leaves at 07:00 that day, before the 08:00 dose.
    t.clock.setTo('2027-01-11T07:00:00+07:00');
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(apiExampleOrder()).expect(201);
    const orderId = (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId;
    for (const day of STAY_DAYS.slice(0, 7)) {
      for (const time of ['08:00', '20:00']) {
        await t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.nurse))
          .send({ orderKind: 'TAPER', orderId, dose: 30, unit: 'mg', givenAt: `${day}T${time}:00+07:00`, outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: randomUUID() }).expect(201);
      }
    }
    const discharge = { dischargedOn: '2027-01-11', outsidePrescriber: { name: 'Dr Hannah Weber', practice: 'Praxis am Markt, Freiburg' }, consentToShare: { given: true, recordedOn: '2027-01-11' } };
    await t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare)).send(discharge).expect(201);
    const handoff = (format?: string) => t.http.get(`${API}/admissions/${admissionId}/handoff`).query(format === undefined ? {} : { format }).set(bearer(staff.aftercare));

    const summary = (await handoff().expect(200)).body;
    expect(summary.tapers[0]).toMatchObject({
      atDischarge: { since: '2027-01-04', dailyDose: 60, dailyMme: 90 },
      stepsTaken: [{ step: 1, startsOn: '2027-01-04', dailyDose: 60, dailyMme: 90 }],
      completed: false,
      // 7 days given; the discharge day, with nothing recorded, is neither scheduled nor missed.
      scheduledDays: 7,
      daysGiven: 7,
      dosesGiven: [{ dailyDose: 60, firstDay: '2027-01-04', lastDay: '2027-01-10', days: 7, partial: false }],
      daysNotRecorded: [],
      adherence: 'Given on 7 of 7 scheduled days.',
      lastGiven: { dose: 30, givenAt: '2027-01-10T13:00:00.000Z', onUntil: null },
    });
    expect(summary.tapers[0].remainingSteps.slice(0, 2)).toEqual([
      { step: 2, startsOn: '2027-01-11', dailyDose: 55, dailyMme: 82.5 },
      { step: 3, startsOn: '2027-01-18', dailyDose: 50, dailyMme: 75 },
    ]);
    // The MME at discharge (which the risks quote) is the dose last reached, 60 mg = 90 MME, as at intake.
    expect(summary.mme.atDischarge).toBe(90);
    expect(summary.mme.daily.at(-1)).toEqual({ date: '2027-01-11', mme: 90 });

    const pdf = (await readingBytes(handoff('pdf')).expect(200)).body as Buffer;
    if (process.env.HANDOFF_PDF_SAMPLES) writeFileSync(path.join(process.env.HANDOFF_PDF_SAMPLES, 'handoff-step-day.pdf'), pdf);
    const text = extractPdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('60 mg/day (90 MME) since 4 Jan 2027');
    expect(text).toContain('Continuing: next step 11 Jan 2027 to 55 mg/day');
    expect(text).toContain('Step 2 (55 mg/day) was due from the day of discharge, 11 Jan 2027; the patient left before its first dose, so it is still to start.');

    const bundle = JSON.parse((await handoff('fhir').expect(200)).text) as Bundle;
    const request = bundle.entry?.find((e) => e.resource?.resourceType === 'MedicationRequest' && e.resource.category?.[0]?.text === 'Opioid taper')?.resource as MedicationRequest;
    expect(request.dosageInstruction?.slice(0, 2).map((d) => d.text)).toEqual([
      '60 mg per day from 2027-01-04 (step 1, 90 MME, dose at discharge)',
      '55 mg per day from 2027-01-11 (step 2, 82.5 MME, due from the day of discharge, not started before the patient left)',
    ]);
  });
});
