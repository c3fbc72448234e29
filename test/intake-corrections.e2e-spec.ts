import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { extractPdfText } from './support/pdf-text.js';
import { readingBytes } from './support/responses.js';
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
  beforeEach(() => t.clock.setTo('2027-01-06T10:00:00+07:00'));

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
    expect(corrected.body).toMatchObject({ enquiryId, version: 2, totalDailyMme: 130, correctionReason: 'Tramadol 50 mg four times a day was missed at intake (pharmacy record).', ordersToReview: [] });

    expect(await enquiry(enquiryId)).toMatchObject({ status: 'ADMITTED' });
    const current = (await t.http.get(`${API}/enquiries/${enquiryId}/assessment`).set(bearer(staff.psychiatrist)).expect(200)).body;
    expect(current).toMatchObject({ version: 2, correctionReason: expect.any(String) });
    await draftOrder(admissionId, tramadolOrder()).expect(201);

    const [audit] = (await t.admin.query(`SELECT action, patient_id, detail FROM audit_events WHERE resource = 'assessment' AND resource_id = $1 AND action = 'CREATE'`, [corrected.body.id])).rows;
    expect(audit).toMatchObject({ action: 'CREATE', patient_id: corrected.body.patientId, detail: { enquiryId, version: 2, correction: true } });

    // The handoff prints the corrected intake, and says it was corrected and why.
    await t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare))
      .send({ dischargedOn: '2027-01-06', outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: '2027-01-06' } }).expect(201);
    const handoff = (await t.http.get(`${API}/admissions/${admissionId}/handoff`).set(bearer(staff.aftercare)).expect(200)).body;
    expect(handoff.intake).toMatchObject({ totalDailyMme: 130, correctionReason: 'Tramadol 50 mg four times a day was missed at intake (pharmacy record).' });
    const pdf = extractPdfText((await readingBytes(t.http.get(`${API}/admissions/${admissionId}/handoff`).query({ format: 'pdf' }).set(bearer(staff.aftercare))).expect(200)).body as Buffer);
    expect(pdf.replace(/\s+/g, ' ')).toContain('Corrected during the stay: Tramadol 50 mg four times a day was missed at intake (pharmacy record).');
  });

  it('a kidney function measured on the ward reaches the pain-plan checks from then on, and names the active order it leaves past the limit', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const gabapentin = { drug: 'gabapentin', dose: 600, unit: 'mg', timesPerDay: 3, route: 'ORAL' };
    const order = () => t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send(gabapentin);
    await order().expect(201);
    const intake = exampleIntakeBody({ medical: { renalImpairment: true, creatinineClearance: 40 }, assessedOn: '2027-01-06' });
    const corrected = await correct(admissionId, { ...intake, correctionReason: 'Creatinine clearance 40 mL/min on the ward (day 3).' }, staff.admissions).expect(201);
    expect(corrected.body.ordersToReview).toEqual([{ code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringMatching(/^The gabapentin order \(1800 mg\/day\): .*1400/) }]);
    // Nothing changed behind the psychiatrist's back; a new order meets the new limit.
    const plan = (await t.http.get(`${API}/admissions/${admissionId}/pain-plan`).set(bearer(staff.psychiatrist)).expect(200)).body;
    expect(plan.medications.map((m: Json) => [m.drug, m.status])).toEqual([['gabapentin', 'ACTIVE']]);
    await t.http.post(`${API}/pain-plan/medications/${plan.medications[0].id}/discontinue`).set(bearer(staff.psychiatrist)).send({ reason: 'Kidney function' }).expect(200);
    expect((await order().expect(422)).body.code).toBe('RENAL_DOSE_EXCEEDED');
  });

  it('an override reason covers the finding it was given for: the same kidney row again is not named, a lower one is; an override stored before findings were is read word for word', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ medical: { renalImpairment: true, creatinineClearance: 45 } }), ADMITTED_ON);
    const gabapentin = { drug: 'gabapentin', dose: 600, unit: 'mg', timesPerDay: 3, route: 'ORAL', overrideReason: 'Nephrologist agrees at a clearance of 45.' };
    const id = (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send(gabapentin).expect(201)).body.id as string;
    const stored = async (): Promise<Json[]> => (await t.admin.query(`SELECT overridden FROM pain_medications WHERE id = $1`, [id])).rows[0].overridden;
    // The finding the reason was given for is stored with it: the 30–59 row, 1400 mg/day.
    expect(await stored()).toEqual([{ code: 'RENAL_DOSE_EXCEEDED', message: expect.stringContaining('(45 mL/min recorded)'), finding: { limit: 1400 } }]);
    const withClearance = (creatinineClearance: number, reason: string) =>
      correct(admissionId, { ...exampleIntakeBody({ medical: { renalImpairment: true, creatinineClearance }, assessedOn: '2027-01-06' }), correctionReason: reason }).expect(201);

    expect((await withClearance(35, 'Clearance re-measured: 35 mL/min.')).body.ordersToReview).toEqual([]);
    expect((await withClearance(25, 'Clearance re-measured: 25 mL/min.')).body.ordersToReview).toEqual([
      { code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringMatching(/^The gabapentin order \(1800 mg\/day\): .*700 mg\/day limit .*given for a limit of 1400 mg\/day, not for this\.$/) },
    ]);

    // An order written before findings were stored keeps { code, message } alone: it covers only
    // the refusal worded as it was (the same clearance), and anything else is named for review.
    await t.admin.query(`UPDATE pain_medications SET overridden = (SELECT jsonb_agg(o - 'finding') FROM jsonb_array_elements(overridden) o) WHERE id = $1`, [id]);
    expect((await withClearance(45, 'Clearance as at intake: 45 mL/min.')).body.ordersToReview).toEqual([]);
    expect((await withClearance(40, 'Clearance re-measured: 40 mL/min.')).body.ordersToReview).toEqual([
      { code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringContaining('(40 mL/min recorded)') },
    ]);
    const listed = ((await t.http.get(`${API}/taper-doses`).query({ date: '2027-01-06' }).set(bearer(staff.nurse)).expect(200)).body.items as Json[]).find((i) => i.orderId === id);
    expect(listed).toMatchObject({ remaining: 1400, limitedBy: { code: 'RENAL_DOSE_EXCEEDED' } });
  });

  it('a correction that lowers or removes an ordered product names the orders now above it, and changes none of them', async () => {
    const morphine = { drug: 'morphine', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 6, prescribed: true };
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, morphine] }), ADMITTED_ON);
    for (const body of [apiExampleOrder(), apiExampleOrder({ drug: 'morphine', startDailyDose: 30, unitStrengths: [10] })]) {
      const draft = await draftOrder(admissionId, body).expect(201);
      await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200);
    }
    const lowered = exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID, dose: 5 }], assessedOn: ADMITTED_ON });
    const corrected = await correct(admissionId, { ...lowered, correctionReason: 'The pharmacy record shows 15 mg a day and no morphine.' }).expect(201);
    expect(corrected.body.ordersToReview).toEqual([
      { code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: 'The oxycodone IR order gives 60 mg/day today; the corrected intake has 15 mg/day of it: review the order.' },
      { code: 'ORDER_ABOVE_CORRECTED_INTAKE', message: 'The morphine IR order gives 30 mg/day today; it is not in the corrected intake: review the order.' },
      { code: 'MME_ABOVE_CORRECTED_INTAKE', message: "The orders in force today come to 120 MME a day, above the corrected intake's 22.5: review them." },
    ]);
    const doses = (await t.http.get(`${API}/taper-doses`).query({ date: '2027-01-06' }).set(bearer(staff.nurse)).expect(200)).body.items as Json[];
    expect(doses.filter((i) => i.admissionId === admissionId).map((i) => [i.drug, i.dailyDose])).toEqual([['morphine', 30], ['oxycodone', 60]]);
    const [audit] = (await t.admin.query(`SELECT detail FROM audit_events WHERE resource = 'admission_orders_review' AND resource_id = $1`, [admissionId])).rows;
    expect(audit.detail).toEqual({ assessmentId: corrected.body.id, ordersToReview: ['ORDER_ABOVE_CORRECTED_INTAKE', 'ORDER_ABOVE_CORRECTED_INTAKE', 'MME_ABOVE_CORRECTED_INTAKE'] });
  });

  it('a correction that removes the product a signed rotation replaces names the rotation for review', async () => {
    const morphine = { drug: 'morphine', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 3, monthsOnTherapy: 6, prescribed: true };
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }, morphine] }), ADMITTED_ON);
    const rotation = apiExampleOrder({ drug: 'hydromorphone', startDailyDose: 4, unitStrengths: [2], allowHalfTablets: false, startDate: '2027-01-10', replaces: { drug: 'morphine', formulation: 'IR' }, rotationReason: 'Itching on morphine' });
    const draft = await draftOrder(admissionId, rotation).expect(201);
    await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200);
    const withoutMorphine = exampleIntakeBody({ opioids: [{ ...EXAMPLE_INTAKE_OPIOID }], assessedOn: ADMITTED_ON });
    const corrected = await correct(admissionId, { ...withoutMorphine, correctionReason: 'The morphine was stopped a month before admission.' }).expect(201);
    expect(corrected.body.ordersToReview).toContainEqual({ code: 'ROTATION_OF_PRODUCT_NOT_IN_INTAKE', message: 'The hydromorphone IR rotation replaces morphine IR, which the corrected intake does not list: review the rotation.' });
  });

  it('keeps the patient who is in the stay: another name → 409 PATIENT_DETAILS_MISMATCH, nothing stored', async () => {
    const { admissionId, enquiryId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const renamed = exampleIntakeBody({ patient: { givenName: 'Someone', familyName: 'Else', dateOfBirth: '1971-03-09' }, assessedOn: ADMITTED_ON });
    expect((await correct(admissionId, { ...renamed, correctionReason: 'Typo' }).expect(409)).body.code).toBe('PATIENT_DETAILS_MISMATCH');
    const versions = (await t.http.get(`${API}/enquiries/${enquiryId}/assessments`).set(bearer(staff.admissions)).expect(200)).body.items;
    expect(versions).toHaveLength(1);
  });

  it('an unknown admission → 404, a malformed id or body → 400 naming the field, nothing stored', async () => {
    const body = { ...exampleIntakeBody({ assessedOn: ADMITTED_ON }), correctionReason: 'Pain score re-taken' };
    expect((await correct('00000000-0000-4000-8000-000000000000', body).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await correct('not-a-uuid', body).expect(400)).body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
    const { admissionId, enquiryId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    const blank = await correct(admissionId, { ...body, correctionReason: '   ' }).expect(400);
    expect(blank.body.details).toEqual([{ field: 'correctionReason', reason: expect.any(String) }]);
    const noOpioid = await correct(admissionId, { ...body, opioids: [] }).expect(400);
    expect(noOpioid.body.details.map((d: Json) => d.field)).toEqual(['opioids']);
    expect((await t.http.get(`${API}/enquiries/${enquiryId}/assessments`).set(bearer(staff.admissions)).expect(200)).body.items).toHaveLength(1);
  });

  it('a re-assessment during the stay holds the discharge to its day (422 DISCHARGE_BEFORE_RECORDS the day before, 201 on it), so the handoff never prints an intake after the stay', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), ADMITTED_ON);
    await correct(admissionId, { ...exampleIntakeBody({ assessedOn: '2027-01-05' }), correctionReason: 'Re-assessed on the ward' }).expect(201);
    const discharge = (on: string) =>
      t.http.post(`${API}/admissions/${admissionId}/discharge`).set(bearer(staff.aftercare)).send({ dischargedOn: on, outsidePrescriber: { name: 'Dr Hannah Weber' }, consentToShare: { given: true, recordedOn: ADMITTED_ON } });
    expect((await discharge('2027-01-04').expect(422)).body).toMatchObject({
      code: 'DISCHARGE_BEFORE_RECORDS',
      details: [{ field: 'dischargedOn', reason: 'must not be before 2027-01-05 (the intake assessment)' }],
    });
    await discharge('2027-01-05').expect(201);
    const handoff = (await t.http.get(`${API}/admissions/${admissionId}/handoff`).set(bearer(staff.aftercare)).expect(200)).body;
    expect(handoff.intake.assessedOn).toBe('2027-01-05');
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
