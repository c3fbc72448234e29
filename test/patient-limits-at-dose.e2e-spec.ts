import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { admitPatient } from './support/intake.js';
import { bearer, createStaff, staffForEveryRole, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A dose given is held to the patient's limits as the latest intake gives them (domain.md §8a,
 * §9), not only to its order: an intake corrected after the order was written (a clearance
 * measured on the ward, liver impairment found) lowers the limit, or rules the drug out, until the
 * psychiatrist reviews the order. The nurses' list shows the same figure as `remaining` and says
 * why in `limitedBy`: a dose of exactly `remaining` is accepted, one mg more refused. Clinic time
 * zone Asia/Bangkok (+07:00).
 */
const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
const TODAY = '2027-01-06';

type Json = Record<string, unknown>;
const at = (local: string) => `${local}+07:00`;

describe("a dose given is held to the patient's current limits, and the nurses' list says the same", () => {
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
  beforeEach(() => setNow('2027-01-06T10:00:00'));

  function setNow(local: string): void {
    t.clock.setTo(at(local));
  }

  const admit = (medical: Json = {}) => admitPatient(t, staff.admissions, exampleIntakeBody({ medical }), ADMITTED_ON);
  const order = async (admissionId: string, body: Json): Promise<string> =>
    (await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send({ unit: 'mg', route: 'ORAL', ...body }).expect(201)).body.id;
  const correct = (admissionId: string, medical: Json, reason: string, intake: Json = {}) =>
    t.http
      .post(`${API}/admissions/${admissionId}/assessment`)
      .set(bearer(staff.psychiatrist))
      .send({ ...exampleIntakeBody({ medical, assessedOn: TODAY, ...intake }), correctionReason: reason })
      .expect(201);
  const give = (admissionId: string, orderId: string, dose: number, givenAt: string, extra: Json = {}) =>
    t.http
      .post(`${API}/admissions/${admissionId}/administrations`)
      .set(bearer(staff.nurse))
      .send({ orderKind: 'PAIN_PLAN', orderId, dose, unit: 'mg', givenAt: at(givenAt), outcome: 'GIVEN', idempotencyKey: randomUUID(), ...extra });
  const listed = async (orderId: string, date = TODAY): Promise<Json> =>
    ((await t.http.get(`${API}/taper-doses`).query({ date }).set(bearer(staff.nurse)).expect(200)).body.items as Json[]).find((i) => i.orderId === orderId)!;

  it('a stay booked ahead lists nothing before its first day: no remaining dose the record would refuse (DATE_OUTSIDE_STAY)', async () => {
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody(), '2027-01-07');
    const paracetamol = await order(admissionId, { drug: 'paracetamol', dose: 1000, timesPerDay: 4 });
    expect(await listed(paracetamol)).toBeUndefined();
    expect((await give(admissionId, paracetamol, 1000, '2027-01-06T09:00:00').expect(422)).body.code).toBe('DATE_OUTSIDE_STAY');
    expect(await listed(paracetamol, '2027-01-07')).toMatchObject({ remaining: 4000 });
  });

  it('gabapentin 900 mg/day, then a clearance of 25 mL/min: the day holds 700 mg; 100 mg after 600 fits, 101 mg is refused RENAL_DOSE_EXCEEDED naming the clearance', async () => {
    const { admissionId } = await admit();
    const gabapentin = await order(admissionId, { drug: 'gabapentin', dose: 300, timesPerDay: 3 });
    await give(admissionId, gabapentin, 300, '2027-01-06T08:00:00').expect(201);
    expect(await listed(gabapentin)).toMatchObject({ remaining: 600, limitedBy: null });

    const corrected = await correct(admissionId, { renalImpairment: true, creatinineClearance: 25 }, 'Creatinine clearance 25 mL/min on the ward.');
    expect(corrected.body.ordersToReview).toEqual([{ code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringContaining('gabapentin') }]);

    setNow('2027-01-06T14:00:00');
    expect(await listed(gabapentin)).toMatchObject({
      dailyDose: 900,
      givenSoFar: 300,
      remaining: 400,
      limitedBy: { code: 'RENAL_DOSE_EXCEEDED', reason: expect.stringMatching(/700 mg\/day with a creatinine clearance of 15–29 mL\/min \(25 mL\/min recorded\).*review/) },
    });
    await give(admissionId, gabapentin, 300, '2027-01-06T13:00:00').expect(201);
    expect(await listed(gabapentin)).toMatchObject({ remaining: 100 });

    const over = await give(admissionId, gabapentin, 101, '2027-01-06T14:00:00').expect(422);
    expect(over.body.code).toBe('RENAL_DOSE_EXCEEDED');
    expect(over.body.message).toContain('creatinine clearance of 15–29 mL/min (25 mL/min recorded)');
    expect(over.body.message).toContain("needs the psychiatrist's review");
    await give(admissionId, gabapentin, 100, '2027-01-06T14:00:00').expect(201);
    expect(await listed(gabapentin)).toMatchObject({ givenSoFar: 700, remaining: 0 });

    // Nothing more that day, but a dose not given is always recorded; the next day holds 700 mg again.
    expect((await give(admissionId, gabapentin, 1, '2027-01-06T14:00:00').expect(422)).body.code).toBe('RENAL_DOSE_EXCEEDED');
    await give(admissionId, gabapentin, 300, '2027-01-06T14:00:00', { outcome: 'HELD', reason: 'Kidney function: order under review.' }).expect(201);
    setNow('2027-01-07T08:00:00');
    expect(await listed(gabapentin, '2027-01-07')).toMatchObject({ remaining: 700, limitedBy: { code: 'RENAL_DOSE_EXCEEDED' } });
  });

  it('paracetamol 4000 mg/day, then hepatic impairment: the list’s remaining counts the last 24 hours and is exactly what the record accepts', async () => {
    const { admissionId } = await admit();
    const paracetamol = await order(admissionId, { drug: 'paracetamol', dose: 1000, timesPerDay: 4 });
    await give(admissionId, paracetamol, 1000, '2027-01-05T20:00:00').expect(201);
    await give(admissionId, paracetamol, 500, '2027-01-06T08:00:00').expect(201);
    // 4000 mg in any 24 hours, as the record holds it: last evening's 1000 mg counts too.
    expect(await listed(paracetamol)).toMatchObject({ givenSoFar: 500, remaining: 2500, limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED', reason: expect.stringContaining('4000 mg in any 24 hours') } });

    await correct(admissionId, { hepaticImpairment: true }, 'Liver function tests: hepatic impairment.');
    setNow('2027-01-06T14:00:00');
    // 2000 mg in any 24 hours: 1000 mg last evening and 500 mg this morning leave 500 mg now.
    const item = await listed(paracetamol);
    expect(item).toMatchObject({
      givenSoFar: 500,
      remaining: 500,
      limitedBy: { code: 'MAX_DAILY_DOSE_EXCEEDED', reason: expect.stringMatching(/2000 mg\/day with hepatic impairment, below the 4000 mg\/day ordered: .*review/) },
    });
    const over = await give(admissionId, paracetamol, (item.remaining as number) + 1, '2027-01-06T14:00:00').expect(422);
    expect(over.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    expect(over.body.message).toContain('hepatic impairment');
    expect(over.body.message).toContain('review');
    await give(admissionId, paracetamol, item.remaining as number, '2027-01-06T14:00:00').expect(201);
    expect(await listed(paracetamol)).toMatchObject({ remaining: 0 });

    // Once last evening's dose is more than 24 hours old, the day's own 2000 mg is what holds.
    setNow('2027-01-06T20:30:00');
    const evening = await listed(paracetamol);
    expect(evening).toMatchObject({ givenSoFar: 1000, remaining: 1000 });
    expect((await give(admissionId, paracetamol, 1001, '2027-01-06T20:30:00').expect(422)).body.code).toBe('ABOVE_SCHEDULED_DOSE');
    await give(admissionId, paracetamol, 1000, '2027-01-06T20:30:00').expect(201);
  });

  it('duloxetine, then liver impairment recorded: refused HEPATIC_CONTRAINDICATED, held is recorded, the list shows 0 and why', async () => {
    const { admissionId } = await admit();
    const duloxetine = await order(admissionId, { drug: 'duloxetine', dose: 60, timesPerDay: 1 });
    const corrected = await correct(admissionId, { hepaticImpairment: true }, 'Hepatic impairment found on ultrasound.');
    expect(corrected.body.ordersToReview).toEqual([{ code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringContaining('duloxetine') }]);

    expect(await listed(duloxetine)).toMatchObject({ remaining: 0, limitedBy: { code: 'HEPATIC_CONTRAINDICATED', reason: expect.stringContaining('hepatic impairment') } });
    const refused = await give(admissionId, duloxetine, 30, '2027-01-06T09:00:00').expect(422);
    expect(refused.body.code).toBe('HEPATIC_CONTRAINDICATED');
    expect(refused.body.message).toContain('review the order');
    await give(admissionId, duloxetine, 60, '2027-01-06T09:00:00', { outcome: 'HELD', reason: 'Liver impairment: order under review.' }).expect(201);
  });

  it('an order written past the rule with an override reason is given as ordered: the reason covered the same finding', async () => {
    const { admissionId } = await admit({ hepaticImpairment: true });
    const duloxetine = await order(admissionId, { drug: 'duloxetine', dose: 60, timesPerDay: 1, overrideReason: 'Hepatologist agrees: mild, stable; monitored weekly.' });
    expect(await listed(duloxetine)).toMatchObject({ remaining: 60, limitedBy: null });
    await give(admissionId, duloxetine, 60, '2027-01-06T09:00:00').expect(201);
  });

  describe('an override reason covers the finding it was given for, not a worse or further one found later', () => {
    const overridden = async (admissionId: string, body: Json): Promise<string> => {
      const ordered = await t.http.post(`${API}/admissions/${admissionId}/pain-plan/medications`).set(bearer(staff.psychiatrist)).send({ unit: 'mg', route: 'ORAL', ...body }).expect(201);
      expect(ordered.body.overridden).toHaveLength(1);
      return ordered.body.id;
    };

    it('gabapentin 1800 mg/day ordered past the 1400 row at a clearance of 45, then a clearance of 10: held to 300 mg, the list and the record agree, and the correction names the order', async () => {
      const { admissionId } = await admit({ renalImpairment: true, creatinineClearance: 45 });
      const gabapentin = await overridden(admissionId, { drug: 'gabapentin', dose: 600, timesPerDay: 3, overrideReason: 'Nephrologist agrees at a clearance of 45.' });
      expect(await listed(gabapentin)).toMatchObject({ remaining: 1800, limitedBy: null });

      const corrected = await correct(admissionId, { renalImpairment: true, creatinineClearance: 10 }, 'Creatinine clearance 10 mL/min on the ward.');
      expect(corrected.body.ordersToReview).toEqual([
        { code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringMatching(/^The gabapentin order \(1800 mg\/day\): .*300 mg\/day limit .*below 15 mL\/min \(10 mL\/min recorded\).*given for a limit of 1400 mg\/day, not for this\.$/) },
      ]);
      const item = await listed(gabapentin);
      expect(item).toMatchObject({
        remaining: 300,
        limitedBy: { code: 'RENAL_DOSE_EXCEEDED', reason: expect.stringMatching(/300 mg\/day with a creatinine clearance of below 15 mL\/min .*below the 1800 mg\/day ordered: the order needs the psychiatrist's review\. .*1400 mg\/day/) },
      });
      const over = await give(admissionId, gabapentin, (item.remaining as number) + 1, '2027-01-06T09:00:00').expect(422);
      expect(over.body.code).toBe('RENAL_DOSE_EXCEEDED');
      expect(over.body.message).toContain('below 15 mL/min (10 mL/min recorded)');
      expect(over.body.message).toContain("needs the psychiatrist's review");
      await give(admissionId, gabapentin, item.remaining as number, '2027-01-06T09:00:00').expect(201);
      expect(await listed(gabapentin)).toMatchObject({ remaining: 0 });
    });

    it('ibuprofen ordered past anticoagulant use, then renal impairment recorded: refused NSAID_CONTRAINDICATED, the list shows 0 and why, the correction names the order', async () => {
      const { admissionId } = await admit({ anticoagulants: true });
      const ibuprofen = await overridden(admissionId, { drug: 'ibuprofen', dose: 400, timesPerDay: 3, overrideReason: 'Haematology agrees: short course.' });
      const corrected = await correct(admissionId, { anticoagulants: true, renalImpairment: true, creatinineClearance: 20 }, 'Creatinine clearance 20 mL/min.');
      expect(corrected.body.ordersToReview).toEqual([
        { code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringMatching(/^The ibuprofen order \(1200 mg\/day\): Ibuprofen with renal impairment and anticoagulant use: .*given for anticoagulant use, not for this\.$/) },
      ]);
      expect(await listed(ibuprofen)).toMatchObject({ remaining: 0, limitedBy: { code: 'NSAID_CONTRAINDICATED', reason: expect.stringContaining('renal impairment and anticoagulant use') } });
      const refused = await give(admissionId, ibuprofen, 400, '2027-01-06T09:00:00').expect(422);
      expect(refused.body.code).toBe('NSAID_CONTRAINDICATED');
      expect(refused.body.message).toContain('given for anticoagulant use, not for this');
      expect(refused.body.message).toContain('review the order');
      await give(admissionId, ibuprofen, 400, '2027-01-06T09:00:00', { outcome: 'HELD', reason: 'Kidney function: order under review.' }).expect(201);
    });

    it('duloxetine ordered past heavy alcohol use, then liver impairment recorded: refused HEPATIC_CONTRAINDICATED, the list shows 0, the correction names the order', async () => {
      const { admissionId } = await admit({ heavyAlcoholUse: true });
      const duloxetine = await overridden(admissionId, { drug: 'duloxetine', dose: 60, timesPerDay: 1, overrideReason: 'Abstinent six months, liver tests normal.' });
      const corrected = await correct(admissionId, { heavyAlcoholUse: true, hepaticImpairment: true }, 'Hepatic impairment on ultrasound.');
      expect(corrected.body.ordersToReview).toEqual([
        { code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringMatching(/^The duloxetine order \(60 mg\/day\): Duloxetine with hepatic impairment and heavy alcohol use: .*given for heavy alcohol use, not for this\.$/) },
      ]);
      expect(await listed(duloxetine)).toMatchObject({ remaining: 0, limitedBy: { code: 'HEPATIC_CONTRAINDICATED' } });
      const refused = await give(admissionId, duloxetine, 60, '2027-01-06T09:00:00').expect(422);
      expect(refused.body.code).toBe('HEPATIC_CONTRAINDICATED');
      expect(refused.body.message).toContain('review the order');
    });

    it('the same finding again (a clearance of 50, the same 30–59 row): the override still covers it, nothing to review, the day given as ordered', async () => {
      const { admissionId } = await admit({ renalImpairment: true, creatinineClearance: 45 });
      const gabapentin = await overridden(admissionId, { drug: 'gabapentin', dose: 600, timesPerDay: 3, overrideReason: 'Nephrologist agrees at a clearance of 45.' });
      await give(admissionId, gabapentin, 600, '2027-01-06T07:00:00').expect(201);
      const corrected = await correct(admissionId, { renalImpairment: true, creatinineClearance: 50 }, 'Creatinine clearance re-measured: 50 mL/min.');
      expect(corrected.body.ordersToReview).toEqual([]);
      expect(await listed(gabapentin)).toMatchObject({ givenSoFar: 600, remaining: 1200, limitedBy: null });
      await give(admissionId, gabapentin, 600, '2027-01-06T08:00:00').expect(201);
      await give(admissionId, gabapentin, 600, '2027-01-06T09:00:00').expect(201);
      expect(await listed(gabapentin)).toMatchObject({ givenSoFar: 1800, remaining: 0 });
    });
  });

  it('paracetamol beside a combination opioid, then liver impairment: the list says the order needs review, names the combination, and its remaining is what the record accepts', async () => {
    const hydrocodone = { drug: 'hydrocodone', formulation: 'IR', dose: 5, unit: 'mg', timesPerDay: 4, monthsOnTherapy: 6, prescribed: true, paracetamolPerUnitMg: 325 };
    const { admissionId } = await admitPatient(t, staff.admissions, exampleIntakeBody({ opioids: [hydrocodone] }), ADMITTED_ON);
    const draft = await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(staff.psychiatrist))
      .send(apiExampleOrder({ drug: 'hydrocodone', startDailyDose: 20, unitStrengths: [5], allowHalfTablets: false, overrideReason: 'Test schedule.' })).expect(201);
    const taper = (await t.http.post(`${API}/taper-orders/${draft.body.id}/sign`).set(bearer(staff.psychiatrist)).expect(200)).body.orderId as string;
    const paracetamol = await order(admissionId, { drug: 'paracetamol', dose: 500, timesPerDay: 4 });
    await give(admissionId, taper, 5, '2027-01-06T06:00:00', { orderKind: 'TAPER', witnessId: witness.id }).expect(201);

    const corrected = await correct(admissionId, { hepaticImpairment: true }, 'Liver function tests: hepatic impairment.', { opioids: [hydrocodone] });
    expect(corrected.body.ordersToReview).toEqual([{ code: 'PAIN_ORDER_OUTSIDE_LIMITS', message: expect.stringContaining('3300 mg/day in all') }]);
    for (const time of ['07:00', '08:00', '09:00']) await give(admissionId, paracetamol, 500, `2027-01-06T${time}:00`).expect(201);
    // 2000 mg in any 24 hours: 325 mg carried by the hydrocodone dose and 1500 mg given leave 175 mg.
    const item = await listed(paracetamol);
    expect(item).toMatchObject({
      remaining: 175,
      limitedBy: {
        code: 'MAX_DAILY_DOSE_EXCEEDED',
        reason:
          "The patient's limit of paracetamol is 2000 mg/day with hepatic impairment, below the 2000 mg/day ordered with 1300 mg/day from hydrocodone IR " +
          "(combination product), 3300 mg/day in all: the order needs the psychiatrist's review.",
      },
    });
    const over = await give(admissionId, paracetamol, 176, '2027-01-06T10:00:00').expect(422);
    expect(over.body.code).toBe('MAX_DAILY_DOSE_EXCEEDED');
    expect(over.body.message).toContain("3300 mg/day in all: the order needs the psychiatrist's review");
    await give(admissionId, paracetamol, 175, '2027-01-06T10:00:00').expect(201);
    expect(await listed(paracetamol)).toMatchObject({ remaining: 0 });
  });
});
