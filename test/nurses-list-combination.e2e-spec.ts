import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { admitPatient } from './support/intake.js';
import { recordStatements } from './support/sql-statements.js';
import { bearer, createStaff, staffForEveryRole, type Staff } from './support/staff.js';
import { exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A taper of a combination opioid (hydrocodone 10 mg + paracetamol 325 mg a unit) carries
 * paracetamol in every dose, and the record holds each such dose to the patient's paracetamol
 * limit over any 24 hours, every source counted (domain.md §3, §9). The nurses' list offers the
 * same: a taper item's `remaining` is the dose the record accepts now, in steps the order's
 * strengths make, and `limitedBy` says the paracetamol is why (review finding F2: the list offered
 * 30 mg while 2.5 mg was refused). Clinic time zone Asia/Bangkok (+07:00).
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
const TODAY = '2027-01-06';

type Json = Record<string, unknown>;
const at = (local: string) => `${local}+07:00`;

const HYDROCODONE = { drug: 'hydrocodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
const OXYCODONE = { drug: 'oxycodone', formulation: 'IR', dose: 10, unit: 'mg', timesPerDay: 2, monthsOnTherapy: 6, prescribed: true };

describe("the nurses' list holds a combination-opioid taper to the paracetamol its doses carry, as the record does", () => {
  let t: TestApp;
  let staff: Record<'admissions' | 'psychiatrist' | 'nurse', Staff>;
  let witness: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    staff = await staffForEveryRole(t);
    witness = await createStaff(t, ['nurse']);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(() => t.clock.setTo(at(`${TODAY}T10:00:00`)));

  const admit = (opioids: Json[]) => admitPatient(t, staff.admissions, exampleIntakeBody({ opioids }), ADMITTED_ON);
  /** A signed taper from the admission day, holding its start dose for the first week; 5 mg tablets, halves allowed (2.5 mg steps). */
  async function taper(admissionId: string, drug: string, startDailyDose: number, changes: Json = {}): Promise<string> {
    const body = { drug, formulation: 'IR', startDailyDose, unit: 'mg', unitStrengths: [5], allowHalfTablets: true, reductionPercent: 10, intervalDays: 7, basis: 'START', startDate: ADMITTED_ON, targetDailyDose: 0, overrideReason: 'Test schedule.', ...changes };
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist)).send(body).expect(201);
    return (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId as string;
  }
  const paracetamolOrder = async (admissionId: string): Promise<string> =>
    (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send({ drug: 'paracetamol', dose: 500, unit: 'mg', timesPerDay: 4, route: 'ORAL' }).expect(201)).body.id;
  const give = (admissionId: string, body: Json) => t.http.post(`${API}/admissions/${admissionId}/administrations`).set(bearer(staff.nurse)).send({ idempotencyKey: randomUUID(), unit: 'mg', outcome: 'GIVEN', ...body });
  const taperDose = (admissionId: string, orderId: string, dose: number, local = `${TODAY}T10:00:00`) => give(admissionId, { orderKind: 'TAPER', orderId, dose, givenAt: at(local), witnessId: witness.id });
  const tablet = (admissionId: string, orderId: string, dose: number, local: string) => give(admissionId, { orderKind: 'PAIN_PLAN', orderId, dose, givenAt: at(local) });
  const correctToHepatic = (admissionId: string, opioids: Json[]) =>
    t.http
      .post(`${API}/admissions/${admissionId}/assessment`)
      .set(bearer(staff.psychiatrist))
      .send({ ...exampleIntakeBody({ opioids, medical: { hepaticImpairment: true }, assessedOn: TODAY }), correctionReason: 'Liver function tests on the ward.' })
      .expect(201);
  const listed = async (orderId: string): Promise<Json> =>
    ((await t.http.get(`${API}/taper-doses`).query({ date: TODAY }).set(bearer(staff.nurse)).expect(200)).body.items as Json[]).find((i) => i.orderId === orderId)!;

  /**
   * Hydrocodone 10/325 tapered at 40 mg a day and oxycodone IR at 20 mg a day. Within the 24 hours
   * before 10:00 on the 6th: hydrocodone 10 mg at 14:00 on the 5th and 06:00 on the 6th (650 mg of
   * paracetamol), paracetamol 500 mg at 22:00 on the 5th and 08:00 on the 6th: 1650 mg in all.
   */
  async function patientWithCombination(): Promise<{ admissionId: string; hydrocodone: string; oxycodone: string; paracetamol: string }> {
    const { admissionId } = await admit([HYDROCODONE, OXYCODONE]);
    const hydrocodone = await taper(admissionId, 'hydrocodone', 40);
    const oxycodone = await taper(admissionId, 'oxycodone', 20);
    const paracetamol = await paracetamolOrder(admissionId);
    await taperDose(admissionId, hydrocodone, 10, '2027-01-05T14:00:00').expect(201);
    await tablet(admissionId, paracetamol, 500, '2027-01-05T22:00:00').expect(201);
    await taperDose(admissionId, hydrocodone, 10, `${TODAY}T06:00:00`).expect(201);
    await tablet(admissionId, paracetamol, 500, `${TODAY}T08:00:00`).expect(201);
    return { admissionId, hydrocodone, oxycodone, paracetamol };
  }

  it('at 4000 mg in any 24 hours the schedule limits it: 30 mg remaining (975 mg of paracetamol fits beside 1650 mg), limitedBy null', async () => {
    const { hydrocodone } = await patientWithCombination();
    expect(await listed(hydrocodone)).toMatchObject({ kind: 'TAPER', dailyDose: 40, givenSoFar: 10, remaining: 30, limitedBy: null });
  });

  it('with hepatic impairment (2000 mg): 350 mg of room is 10 mg of hydrocodone (325 mg); 10 mg is accepted, 12.5 mg (one half tablet more) refused; then nothing remains and 2.5 mg is refused', async () => {
    const { admissionId, hydrocodone } = await patientWithCombination();
    await correctToHepatic(admissionId, [HYDROCODONE, OXYCODONE]);
    const item = await listed(hydrocodone);
    expect(item).toMatchObject({ givenSoFar: 10, remaining: 10, limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED' } });
    // Around now (the test clock runs on from 10:00).
    expect((item.limitedBy as Json).reason).toMatch(
      /^Hydrocodone IR carries paracetamol, which is held to 2000 mg in any 24 hours with hepatic impairment, counting every source: the doses given around 2027-01-06T03:00:\d\d\.\d{3}Z leave 350 mg of paracetamol, and 12\.5 mg of hydrocodone IR carries 406\.25 mg\.$/,
    );
    const over = await taperDose(admissionId, hydrocodone, (item.remaining as number) + 2.5).expect(422);
    expect(over.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    expect(over.body.message).toMatch(/^12\.5 mg of hydrocodone IR carries 406\.25 mg of paracetamol: /);
    await taperDose(admissionId, hydrocodone, item.remaining as number).expect(201);
    // 25 mg of paracetamol left: not even half a tablet's 81.25 mg.
    expect(await listed(hydrocodone)).toMatchObject({ givenSoFar: 20, remaining: 0, limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED' } });
    expect((await taperDose(admissionId, hydrocodone, 2.5).expect(422)).body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
  });

  it('a paracetamol tablet given after the correction leaves the combination taper only what still fits: 150 mg of room, 2.5 mg (81.25 mg) remaining; 5 mg refused', async () => {
    const { admissionId, hydrocodone, paracetamol } = await patientWithCombination();
    await correctToHepatic(admissionId, [HYDROCODONE, OXYCODONE]);
    await tablet(admissionId, paracetamol, 200, `${TODAY}T09:00:00`).expect(201);
    expect(await listed(hydrocodone)).toMatchObject({ remaining: 2.5, limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED' } });
    expect((await taperDose(admissionId, hydrocodone, 5).expect(422)).body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    await taperDose(admissionId, hydrocodone, 2.5).expect(201);
  });

  it('a taper of a product without paracetamol is unchanged beside a full paracetamol day: oxycodone IR 20 mg remaining, limitedBy null, and 20 mg is accepted', async () => {
    const { admissionId, oxycodone } = await patientWithCombination();
    await correctToHepatic(admissionId, [HYDROCODONE, OXYCODONE]);
    expect(await listed(oxycodone)).toMatchObject({ dailyDose: 20, givenSoFar: 0, remaining: 20, limitedBy: null });
    await taperDose(admissionId, oxycodone, 20).expect(201);
  });

  it('a patient without a combination product: the taper item is the schedule’s alone, limitedBy null', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ medical: { hepaticImpairment: true } }), ADMITTED_ON);
    const oxycodone = await taper(admissionId, 'oxycodone', 60, { unitStrengths: [5, 10] });
    const paracetamol = await paracetamolOrder(admissionId);
    await tablet(admissionId, paracetamol, 500, `${TODAY}T08:00:00`).expect(201);
    await taperDose(admissionId, oxycodone, 20, `${TODAY}T08:00:00`).expect(201);
    expect(await listed(oxycodone)).toMatchObject({ dailyDose: 60, givenSoFar: 20, remaining: 40, limitedBy: null });
  });

  it('still one statement for the whole ward with combination tapers on it', async () => {
    await patientWithCombination();
    const { statements } = await recordStatements(t, () => t.http.get(`${API}/taper-doses`).query({ date: TODAY }).set(bearer(staff.nurse)).expect(200));
    expect(statements.filter((sql) => /taper_orders|pain_medications|as_needed_orders|administrations|assessments/.test(sql))).toHaveLength(1);
  });
});
