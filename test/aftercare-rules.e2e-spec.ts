import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { bearer, createStaff, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Dates of discharge, consent and check-ins must fit the stay and the calendar. */
describe('aftercare dates', () => {
  let t: TestApp;
  let clerk: Staff;
  let coordinator: Staff;
  const today = () => t.clock.today(t.config.clinicTimeZone);
  const body = (dischargedOn: string, consentOn: string) => ({
    dischargedOn,
    outsidePrescriber: { name: 'Dr. Hannah Weber' },
    consentToShare: { given: true, recordedOn: consentOn },
  });
  beforeAll(async () => {
    t = await startTestApp();
    [clerk, coordinator] = await Promise.all([createStaff(t, ['admissions']), createStaff(t, ['aftercare'])]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no aftercare plan before discharge, and the admission shows its discharge date after', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    expect((await t.http.get(`/api/v1/admissions/${admissionId}/aftercare`).set(bearer(coordinator)).expect(409)).body.code).toBe('NOT_DISCHARGED');
    await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), today())).expect(201);
    const admission = await t.http.get(`/api/v1/admissions/${admissionId}`).set(bearer(clerk)).expect(200);
    expect(admission.body).toMatchObject({ status: 'DISCHARGED', dischargedOn: today() });
  });

  it('refuses a discharge dated before care already recorded (422 DISCHARGE_BEFORE_RECORDS naming dischargedOn); on the day of the last record it is accepted; travel after the stay does not count', async () => {
    const [nurse, billing] = await Promise.all([createStaff(t, ['nurse']), createStaff(t, ['billing'])]);
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const discharge = (on: string) => t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(on, '2026-09-01'));
    // 00:30 in the clinic on 21 September, still the 20th in UTC: the clinic's day counts.
    const pain = { type: 'PAIN', recordedAt: '2026-09-20T17:30:00.000Z', score: 4 };
    await t.http.post(`/api/v1/admissions/${admissionId}/observations`).set(bearer(nurse)).send(pain).expect(201);
    expect((await discharge('2026-09-20').expect(422)).body).toMatchObject({
      code: 'DISCHARGE_BEFORE_RECORDS',
      details: [{ field: 'dischargedOn', reason: 'must not be before 2026-09-21 (an observation)' }],
    });
    const charge = (itemCode: string, serviceDate: string, extra = {}) =>
      t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send({ itemCode, quantity: 1, serviceDate, idempotencyKey: `${itemCode}-${serviceDate}`, ...extra }).expect(201);
    await charge('SPA_MASSAGE', '2026-09-23');
    await charge('FLIGHT', '2026-10-10', { unitPriceMinor: 1_500_000, description: 'Flight home' });
    expect((await discharge('2026-09-22').expect(422)).body.details).toEqual([{ field: 'dischargedOn', reason: 'must not be before 2026-09-23 (a charge)' }]);
    expect((await t.http.get(`/api/v1/admissions/${admissionId}`).set(bearer(clerk)).expect(200)).body.status).toBe('ACTIVE');
    await discharge('2026-09-23').expect(201);
  });

  it('a mistyped charge holds the discharge back until it is voided; a void charge counts toward nothing', async () => {
    const billing = await createStaff(t, ['billing']);
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    // 2027 typed for 2026: accepted while the stay is open.
    const typo = await t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-09-12', idempotencyKey: 'typo-year' }).expect(201);
    const discharge = (on: string) => t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(on, '2026-09-01'));
    expect((await discharge('2026-09-20').expect(422)).body.details).toEqual([{ field: 'dischargedOn', reason: 'must not be before 2027-09-12 (a charge)' }]);
    await t.http.post(`/api/v1/charges/${typo.body.id}/void`).set(bearer(billing)).send({ reason: 'Typed 2027 for 2026.' }).expect(200);
    await discharge('2026-09-20').expect(201);
  });

  it('refuses a discharge that cuts through invoiced days (422 DISCHARGE_BEFORE_RECORDS naming the invoice); invoiced to the discharge day it is accepted', async () => {
    const billing = await createStaff(t, ['billing']);
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const discharge = (on: string) => t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(on, '2026-09-01'));
    const draft = await t.http.post(`/api/v1/admissions/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: '2026-09-01', periodEnd: '2026-09-30' }).expect(201);
    const asDraft = await discharge('2026-09-29').expect(422);
    expect(asDraft.body).toMatchObject({
      code: 'DISCHARGE_BEFORE_RECORDS',
      message: 'A draft invoice bills the residential fee to 2026-09-30. To discharge on 2026-09-29, void that invoice and invoice the stay again up to the discharge.',
      details: [{ field: 'dischargedOn', reason: 'must not be before 2026-09-30 (the last day billed on a draft invoice)' }],
    });
    const { number } = (await t.http.post(`/api/v1/invoices/${draft.body.id}/issue`).set(bearer(billing)).expect(200)).body;
    const asIssued = await discharge('2026-09-29').expect(422);
    expect(asIssued.body.message).toContain(`Invoice ${number} bills the residential fee to 2026-09-30.`);
    expect(asIssued.body.details).toEqual([{ field: 'dischargedOn', reason: `must not be before 2026-09-30 (the last day billed on ${number})` }]);
    const unchanged = await t.http.get(`/api/v1/admissions/${admissionId}`).set(bearer(clerk)).expect(200);
    expect(unchanged.body).toMatchObject({ status: 'ACTIVE', dischargedOn: null });
    // Invoiced up to the discharge day itself: accepted.
    await discharge('2026-09-30').expect(201);
  });

  it('a void invoice does not hold the discharge back; the stay is then invoiced again up to the discharge', async () => {
    const billing = await createStaff(t, ['billing']);
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const invoices = `/api/v1/admissions/${admissionId}/invoices`;
    const draft = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2026-09-01', periodEnd: '2026-09-30' }).expect(201);
    await t.http.post(`/api/v1/invoices/${draft.body.id}/issue`).set(bearer(billing)).expect(200);
    await t.http.post(`/api/v1/invoices/${draft.body.id}/void`).set(bearer(billing)).send({ reason: 'Discharged early on 20 September.' }).expect(200);
    await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body('2026-09-20', '2026-09-01')).expect(201);
    const late = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2026-09-01', periodEnd: '2026-09-30' }).expect(422);
    expect(late.body.code).toBe('PERIOD_OUTSIDE_STAY');
    const again = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2026-09-01', periodEnd: '2026-09-20' }).expect(201);
    expect(again.body.days).toBe(20);
  });

  it('a discharge and records of the next day made at the same moment never leave a record after the discharge', async () => {
    const [nurse, billing] = await Promise.all([createStaff(t, ['nurse']), createStaff(t, ['billing'])]);
    for (let round = 0; round < 3; round++) {
      const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
      const pain = (n: number) => ({ type: 'PAIN', recordedAt: `2026-09-11T0${n}:00:00.000Z`, score: 3 });
      const results = await Promise.all([
        ...[1, 2, 3].map((n) => t.http.post(`/api/v1/admissions/${admissionId}/observations`).set(bearer(nurse)).send(pain(n))),
        t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2026-09-11', idempotencyKey: `spa-${round}` }),
        t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body('2026-09-10', '2026-09-01')),
      ]);
      expect(results.map((r) => r.status).every((status) => [201, 422].includes(status))).toBe(true);
      const { rows } = await t.admin.query(
        `SELECT a.discharged_on::text AS discharged,
                (SELECT count(*)::int FROM observations o WHERE o.admission_id = a.id) AS observations,
                (SELECT count(*)::int FROM charges c WHERE c.admission_id = a.id) AS charges
           FROM admissions a WHERE a.id = $1`,
        [admissionId],
      );
      const [stay] = rows;
      // Either the discharge won (nothing of the 11th was kept) or the records did (the discharge was refused).
      if (stay.discharged === '2026-09-10') expect([stay.observations, stay.charges]).toEqual([0, 0]);
      else expect([stay.discharged, stay.observations, stay.charges]).toEqual([null, 3, 1]);
    }
  });

  it('refuses a consent recorded before the patient arrived', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const response = await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), '2026-08-31')).expect(422);
    expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'consentToShare.recordedOn', reason: 'must not be before 2026-09-01' }] });
  });

  it('marks a check-in missed only once it is due (done may come early)', async () => {
    const { admissionId } = await admitPatient(t, clerk, undefined, '2026-09-01');
    const discharged = await t.http.post(`/api/v1/admissions/${admissionId}/discharge`).set(bearer(coordinator)).send(body(today(), today())).expect(201);
    const first = discharged.body.checkIns[0];
    const missed = await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(422);
    expect(missed.body.code).toBe('NOT_DUE_YET');
    await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'DONE', notes: 'Called two days early.' }).expect(200);
    t.clock.advance(8 * 24 * 3600 * 1000);
    const second = discharged.body.checkIns[1];
    await t.http.patch(`/api/v1/aftercare/check-ins/${first.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(200);
    await t.http.patch(`/api/v1/aftercare/check-ins/${second.id}`).set(bearer(coordinator)).send({ status: 'MISSED' }).expect(422);
  });
});
