import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { admitPatient } from './support/intake.js';
import { bearer, createStaff, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Rules that tie billing to the dates of the stay and keep the trail complete. */
describe('billing and the stay', () => {
  let t: TestApp;
  let clerk: Staff;
  let billing: Staff;
  let psychiatrist: Staff;
  beforeAll(async () => {
    t = await startTestApp();
    [clerk, billing, psychiatrist] = await Promise.all([createStaff(t, ['admissions']), createStaff(t, ['billing']), createStaff(t, ['psychiatrist'])]);
  });
  afterAll(async () => {
    await t.close();
  });

  const discharge = (admissionId: string, on: string) =>
    t.admin.query(`UPDATE admissions SET status = 'DISCHARGED', discharged_on = $2 WHERE id = $1`, [admissionId, on]);

  it('a retried charge reads the first one, and that read is on the audit trail', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    const body = { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-10', idempotencyKey: 'spa-1' };
    const first = await t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send(body).expect(201);
    const retry = await t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send(body).expect(200);
    expect(retry.body.id).toBe(first.body.id);
    const reads = await t.admin.query(`SELECT action, detail FROM audit_events WHERE resource = 'charge' AND resource_id = $1 ORDER BY seq`, [first.body.id]);
    expect(reads.rows).toEqual([
      { action: 'CREATE', detail: { itemCode: 'SPA_MASSAGE', amountMinor: 180_000 } },
      { action: 'READ', detail: { idempotentReplay: true } },
    ]);
  });

  it('keeps the idempotency keys of dispensations and consults to themselves', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    const response = await t.http
      .post(`/api/v1/admissions/${admissionId}/charges`)
      .set(bearer(billing))
      .send({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-10', idempotencyKey: 'dispensation:abc' })
      .expect(400);
    expect(response.body.details).toEqual([{ field: 'idempotencyKey', reason: 'must not start with dispensation: or psych-consult: (reserved for those records)' }]);
  });

  it('does not bill the residential fee past the day of discharge', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    await discharge(admissionId, '2027-01-20');
    const late = await t.http.post(`/api/v1/admissions/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-02-02' }).expect(422);
    expect(late.body).toMatchObject({ code: 'PERIOD_OUTSIDE_STAY', details: [{ field: 'periodEnd', reason: 'must not be after 2027-01-20' }] });
    const whole = await t.http.post(`/api/v1/admissions/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-20' }).expect(201);
    expect(whole.body.days).toBe(17);
  });

  it('refuses a consult dated after the stay ended', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    await discharge(admissionId, '2027-01-20');
    const response = await t.http.post(`/api/v1/admissions/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send({ date: '2027-01-21', kind: 'ADDITIONAL' }).expect(422);
    expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'date', reason: 'must not be after 2027-01-20' }] });
    await t.http.post(`/api/v1/admissions/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send({ date: '2027-01-20', kind: 'ADDITIONAL' }).expect(201);
  });
});
