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

  it('issuing re-checks the stay: a draft whose period now runs past the discharge is refused (422 PERIOD_OUTSIDE_STAY on periodEnd), nothing changes; one that ends on the discharge day is issued', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    const invoices = `/api/v1/admissions/${admissionId}/invoices`;
    const long = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-21' }).expect(201);
    // Discharged after the draft was made, behind the API's back: the discharge rule would refuse it now (drafts made before it may remain).
    await discharge(admissionId, '2027-01-20');
    const counters = async () => (await t.admin.query(`SELECT coalesce(json_agg(c ORDER BY year), '[]') AS rows FROM invoice_counters c`)).rows[0].rows;
    const before = await counters();
    const refused = await t.http.post(`/api/v1/invoices/${long.body.id}/issue`).set(bearer(billing)).expect(422);
    expect(refused.body).toMatchObject({
      code: 'PERIOD_OUTSIDE_STAY',
      message: '2027-01-21 lies after the stay, which ended on 2027-01-20. This draft bills days outside the stay: void it and draft the period again.',
      details: [{ field: 'periodEnd', reason: 'must not be after 2027-01-20' }],
    });
    const stored = await t.admin.query(`SELECT status, number FROM invoices WHERE id = $1`, [long.body.id]);
    expect(stored.rows).toEqual([{ status: 'DRAFT', number: null }]);
    expect(await counters()).toEqual(before);
    const audit = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1`, [refused.headers['x-correlation-id']]);
    expect(audit.rows[0].n).toBe(0);
    // The correction: void it, draft the stay to the discharge day, issue that.
    await t.http.post(`/api/v1/invoices/${long.body.id}/void`).set(bearer(billing)).send({ reason: 'Runs past the discharge.' }).expect(200);
    const fitting = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-20' }).expect(201);
    expect((await t.http.post(`/api/v1/invoices/${fitting.body.id}/issue`).set(bearer(billing)).expect(200)).body).toMatchObject({ status: 'ISSUED', days: 17 });
  });

  it('bills what no period can take any more on a supplementary invoice of charges alone (chargesOnly): a late bill for invoiced days, the flight home after the stay', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    const invoices = `/api/v1/admissions/${admissionId}/invoices`;
    const whole = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-20' }).expect(201);
    await t.http.post(`/api/v1/invoices/${whole.body.id}/issue`).set(bearer(billing)).expect(200);
    await discharge(admissionId, '2027-01-20');
    const charge = (body: Record<string, unknown>) => t.http.post(`/api/v1/admissions/${admissionId}/charges`).set(bearer(billing)).send({ quantity: 1, idempotencyKey: String(body.itemCode), ...body }).expect(201);
    const transport = await charge({ itemCode: 'HOSPITAL_TRANSPORT', serviceDate: '2027-01-12' });
    const flight = await charge({ itemCode: 'FLIGHT', serviceDate: '2027-01-25', unitPriceMinor: 2_345_600, description: 'Flight home' });
    // Every day is invoiced and the stay is over: no period takes them.
    expect((await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-12', periodEnd: '2027-01-12' }).expect(409)).body.code).toBe('PERIOD_ALREADY_INVOICED');
    expect((await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-21', periodEnd: '2027-01-25' }).expect(422)).body.code).toBe('PERIOD_OUTSIDE_STAY');
    const before = (await t.admin.query(`SELECT count(*)::int AS n FROM invoiced_days WHERE admission_id = $1`, [admissionId])).rows[0].n;
    const supplementary = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-31', chargesOnly: true }).expect(201);
    expect(supplementary.body).toMatchObject({ status: 'DRAFT', chargesOnly: true, days: 0, totalMinor: transport.body.amountMinor + 2_345_600 });
    expect(supplementary.body.lines.map((l: { kind: string; chargeId: string }) => [l.kind, l.chargeId])).toEqual([['CHARGE', transport.body.id], ['CHARGE', flight.body.id]]);
    expect((await t.admin.query(`SELECT count(*)::int AS n FROM invoiced_days WHERE admission_id = $1`, [admissionId])).rows[0].n).toBe(before);
    // Nothing left: a second one is refused; once issued it is numbered like any other.
    const none = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-31', chargesOnly: true }).expect(422);
    expect(none.body).toMatchObject({ statusCode: 422, code: 'NOTHING_TO_INVOICE', correlationId: expect.any(String) });
    const notBoolean = await t.http.post(invoices).set(bearer(billing)).send({ periodStart: '2027-01-04', periodEnd: '2027-01-31', chargesOnly: 'yes' }).expect(400);
    expect(notBoolean.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'chargesOnly', reason: expect.any(String) }] });
    // The audit trail has the supplementary draft, marked as such.
    const audit = await t.admin.query(`SELECT action, patient_id, detail FROM audit_events WHERE resource = 'invoice' AND resource_id = $1`, [supplementary.body.id]);
    expect(audit.rows[0]).toMatchObject({ action: 'CREATE', patient_id: supplementary.body.patientId, detail: { chargesOnly: true, charges: 2 } });
    expect((await t.http.post(`/api/v1/invoices/${supplementary.body.id}/issue`).set(bearer(billing)).expect(200)).body.number).toMatch(/^INV-\d{4}-\d{6}$/);
    const uninvoiced = await t.http.get(`/api/v1/admissions/${admissionId}/charges?uninvoiced=true`).set(bearer(billing)).expect(200);
    expect(uninvoiced.body.items).toEqual([]);
  });

  it('refuses a consult dated after the stay ended', async () => {
    const { admissionId } = await admitPatient(t, clerk);
    await discharge(admissionId, '2027-01-20');
    const response = await t.http.post(`/api/v1/admissions/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send({ date: '2027-01-21', kind: 'ADDITIONAL' }).expect(422);
    expect(response.body).toMatchObject({ code: 'DATE_OUTSIDE_STAY', details: [{ field: 'date', reason: 'must not be after 2027-01-20' }] });
    await t.http.post(`/api/v1/admissions/${admissionId}/psychiatric-consults`).set(bearer(psychiatrist)).send({ date: '2027-01-20', kind: 'ADDITIONAL' }).expect(201);
  });
});
