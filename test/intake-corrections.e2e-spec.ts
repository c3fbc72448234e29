import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { bearer, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, EXAMPLE_INTAKE_OPIOID, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Correcting the intake of a patient in a stay (domain.md §7: orders are checked against the
 * admission's latest intake assessment; §9: kidney dosing by the clearance on record). An opioid
 * missed at intake could never be ordered, and a clearance measured on the ward never reached the
 * pain-plan checks. Before admission, a new assessment after triage sends the enquiry back to triage.
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';

type Json = Record<string, unknown>;

const TRAMADOL = { drug: 'tramadol', formulation: 'IR', dose: 50, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 14, prescribed: true };
const tramadolOrder = () => apiExampleOrder({ drug: 'tramadol', startDailyDose: 200, unitStrengths: [50] });

describe('correcting the intake of a patient in a stay', () => {
  let t: TestApp;
  let staff: Record<'admissions' | 'psychiatrist' | 'nurse' | 'aftercare' | 'billing', Staff>;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.clock.advance(new Date('2027-01-06T10:00:00+07:00').getTime() - t.clock.now().getTime()));

  const correct = (admissionId: string, body: Json, as: Staff = staff.psychiatrist) => t.http.post(`${API}/admissions/${admissionId}/assessment`).set(bearer(as)).send(body);
  const draftOrder = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body);
  const enquiry = async (id: string): Promise<Json> => (await t.http.get(`${API}/enquiries/${id}`).set(bearer(staff.admissions)).expect(200)).body;

  it('an opioid missed at intake: refused until the intake is corrected with a reason, then ordered; the enquiry stays ADMITTED, the triage stands', async () => {
    const { admissionId, enquiryId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    expect((await draftOrder(admissionId, tramadolOrder()).expect(422)).body.code).toBe('NOT_IN_INTAKE_REGIMEN');

    const body = exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, TRAMADOL], assessedOn: ADMITTED_ON });
    const missing = await correct(admissionId, body).expect(400);
    expect(missing.body.details).toEqual([{ field: 'correctionReason', reason: 'is required' }]);
    const corrected = await correct(admissionId, { ...body, correctionReason: 'Tramadol 50 mg four times a day was missed at intake (pharmacy record).' }).expect(201);
    expect(corrected.body).toMatchObject({ enquiryId, version: 2, totalDailyMme: 130, correctionReason: 'Tramadol 50 mg four times a day was missed at intake (pharmacy record).' });

    expect(await enquiry(enquiryId)).toMatchObject({ status: 'ADMITTED' });
    const current = (await t.http.get(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(staff.psychiatrist)).expect(200)).body;
    expect(current).toMatchObject({ version: 2, correctionReason: expect.any(String) });
    await draftOrder(admissionId, tramadolOrder()).expect(201);

    const [audit] = (await t.admin.query(`SELECT action, patient_id, detail FROM audit_events WHERE resource = 'assessment' AND resource_id = $1`, [corrected.body.id])).rows;
    expect(audit).toMatchObject({ action: 'CREATE', patient_id: corrected.body.patientId, detail: { enquiryId, version: 2, correction: true } });
  });

  it('a kidney function measured on the ward reaches the pain-plan checks from then on', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const gabapentin = { drug: 'gabapentin', dose: 600, unit: 'mg', timesPerDay: 3, route: 'ORAL' };
    const order = () => t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send(gabapentin);
    const intake = exampleIntakeBody({ medical: { renalImpairment: true, creatinineClearance: 40 }, assessedOn: '2027-01-06' });
    await correct(admissionId, { ...intake, correctionReason: 'Creatinine clearance 40 mL/min on the ward (day 3).' }, staff.admissions).expect(201);
    expect((await order().expect(422)).body.code).toBe('RENAL_DOSE_EXCEEDED');
  });

  it('keeps the patient who is in the stay: another name → 409 PATIENT_DETAILS_MISMATCH, nothing stored', async () => {
    const { admissionId, enquiryId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const renamed = exampleIntakeBody({ patient: { givenName: 'Someone', familyName: 'Else', dateOfBirth: '1971-03-09' }, assessedOn: ADMITTED_ON });
    expect((await correct(admissionId, { ...renamed, correctionReason: 'Typo' }).expect(409)).body.code).toBe('PATIENT_DETAILS_MISMATCH');
    const versions = (await t.http.get(`${API}/enquiries/${enquiryId}/assessments`).set(bearer(staff.admissions)).expect(200)).body.items;
    expect(versions).toHaveLength(1);
  });

  it('only during the stay (409 ADMISSION_NOT_ACTIVE after discharge), by admissions or the psychiatrist (403 for the others)', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const body = { ...exampleIntakeBody({ assessedOn: ADMITTED_ON }), correctionReason: 'Pain score re-taken' };
    for (const who of [staff.nurse, staff.aftercare, staff.billing]) await correct(admissionId, body, who).expect(403);
    await t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare))
      .send({ dischargedOn: '2027-01-06', outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: '2027-01-06' } }).expect(201);
    expect((await correct(admissionId, body).expect(409)).body.code).toBe('ADMISSION_NOT_ACTIVE');
  });
});

describe('a new assessment after triage, before admission', () => {
  let t: TestApp;
  let clerk: Staff;
  let admin: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions: clerk, admin } = await staffForEveryRole(t));
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the enquiry back to triage: no admission (409 TRIAGE_REQUIRED) nor override of the old decision (409 STALE_DECISION) until triaged again', async () => {
    const enquiry = (await t.http.post(`${API}/enquiries`).set(bearer(clerk)).send({ contactName: 'Anna Keller', relationship: 'FAMILY', contactPhone: '+66 81 555 0101' }).expect(201)).body;
    const assess = (body: Json) => t.http.post(`${API}/enquiries/${enquiry.id}/assessment`).set(bearer(clerk)).send(body);
    await assess(exampleIntakeBody({ confirmNewPatient: true })).expect(201);
    const first = (await t.http.post(`${API}/enquiries/${enquiry.id}/triage`).set(bearer(clerk)).expect(201)).body;

    const again = await assess(exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, TRAMADOL] })).expect(201);
    expect(again.body.version).toBe(2);
    expect((await t.http.get(`${API}/enquiries/${enquiry.id}`).set(bearer(clerk)).expect(200)).body.status).toBe('ASSESSED');
    const admit = () => t.http.post(`${API}/enquiries/${enquiry.id}/admissions`).set(bearer(clerk)).send({ admittedOn: ADMITTED_ON });
    expect((await admit().expect(409)).body.code).toBe('TRIAGE_REQUIRED');
    const override = await t.http.post(`${API}/triage/${first.id}/override`).set(bearer(admin)).send({ pathway: 'ONSITE_TAPER', reason: 'Seen by the doctor' }).expect(409);
    expect(override.body.code).toBe('STALE_DECISION');

    const second = (await t.http.post(`${API}/enquiries/${enquiry.id}/triage`).set(bearer(clerk)).expect(201)).body;
    expect(second.id).not.toBe(first.id);
    await admit().expect(201);
    const decisions = (await t.http.get(`${API}/enquiries/${enquiry.id}/triage`).set(bearer(clerk)).expect(200)).body.items;
    expect(decisions.map((d: Json) => d.id)).toEqual([first.id, second.id]);
  });
});
