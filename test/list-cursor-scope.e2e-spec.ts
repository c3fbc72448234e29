import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { admitPatient, createEnquiry } from './support/intake.js';
import { bearer, type Staff, staffForEveryRole } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const API = '/api/v1';
type Json = Record<string, unknown>;
const NOT_OURS = { statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field: 'cursor', reason: 'is not a cursor returned by this list' }] };

/**
 * A cursor belongs to the list that gave it out, and to that list's parent: keys of several lists
 * have the same shape (a charge's [service date, id] under every admission; an invoice's and a
 * taper order's [number, id]; enquiries' and admissions' [position]), so another list's cursor
 * would otherwise page silently from a place that means nothing there.
 */
describe('list cursors belong to their list', () => {
  let t: TestApp;
  let clerk: Staff;
  let psychiatrist: Staff;
  let billing: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    ({ admissions: clerk, psychiatrist, billing } = await staffForEveryRole(t));
    // A known clinic day, before the drafts' start date, whatever the real date.
    t.clock.setTo('2027-01-01T10:00:00+07:00');
  });
  afterAll(async () => {
    await t.close();
  });

  const auditOf = async (response: Response): Promise<Json[]> => (await t.admin.query('SELECT action FROM audit_events WHERE correlation_id = $1', [response.headers['x-correlation-id']])).rows;
  const get = (path: string, as: Staff, query: Json = {}) => t.http.get(`${API}${path}`).query(query).set(bearer(as));

  /** An admission with three charges (days 10, 11, 12), the first page of two and its cursor. */
  async function withCharges(): Promise<{ admissionId: string; cursor: string; rest: string[] }> {
    const { admissionId } = await admitPatient(t, clerk, exampleIntakeBody());
    const ids: string[] = [];
    for (const day of ['2027-01-10', '2027-01-11', '2027-01-12']) {
      const charged = await t.http.post(`${API}/admissions/${admissionId}/charges`).set(bearer(billing)).send({ itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: day, idempotencyKey: `scope-${day}` }).expect(201);
      ids.push(charged.body.id);
    }
    const first = await get(`/admissions/${admissionId}/charges`, billing, { limit: 2 }).expect(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    return { admissionId, cursor: first.body.nextCursor, rest: ids.slice(2) };
  }

  it('its own cursor pages on; the same list under another admission refuses it (400 on cursor, no READ audited)', async () => {
    const a = await withCharges();
    const b = await withCharges();
    expect((await get(`/admissions/${a.admissionId}/charges`, billing, { cursor: a.cursor }).expect(200)).body.items.map((c: Json) => c.id)).toEqual(a.rest);
    const foreign = await get(`/admissions/${b.admissionId}/charges`, billing, { cursor: a.cursor }).expect(400);
    expect(foreign.body).toMatchObject(NOT_OURS);
    expect(await auditOf(foreign)).toEqual([]);
    // The parent id as the client spelled it does not matter.
    await get(`/admissions/${a.admissionId.toUpperCase()}/charges`, billing, { cursor: a.cursor }).expect(200);
  });

  it('another list of the same admission refuses it, even one whose keys have the same shape', async () => {
    const { admissionId, cursor } = await withCharges();
    expect((await get(`/admissions/${admissionId}/psychiatric-consults`, billing, { cursor }).expect(400)).body).toMatchObject(NOT_OURS);
    expect((await get(`/admissions/${admissionId}/invoices`, billing, { cursor }).expect(400)).body).toMatchObject(NOT_OURS);

    // Invoices and taper orders both page by [number, id].
    // Drafts of one admission may repeat.
    for (let i = 0; i < 2; i++) await t.http.post(`${API}/admissions/${admissionId}/taper-orders`).set(bearer(psychiatrist)).send(apiExampleOrder()).expect(201);
    const orders = await get(`/admissions/${admissionId}/taper-orders`, psychiatrist, { limit: 1 }).expect(200);
    expect(orders.body.nextCursor).toEqual(expect.any(String));
    for (const [from, to] of [['2027-01-04', '2027-01-05'], ['2027-01-06', '2027-01-07']]) {
      await t.http.post(`${API}/admissions/${admissionId}/invoices`).set(bearer(billing)).send({ periodStart: from, periodEnd: to }).expect(201);
    }
    const invoices = await get(`/admissions/${admissionId}/invoices`, billing, { limit: 1 }).expect(200);
    expect((await get(`/admissions/${admissionId}/invoices`, billing, { cursor: orders.body.nextCursor }).expect(400)).body).toMatchObject(NOT_OURS);
    expect((await get(`/admissions/${admissionId}/taper-orders`, psychiatrist, { cursor: invoices.body.nextCursor }).expect(400)).body).toMatchObject(NOT_OURS);
    expect((await get(`/admissions/${admissionId}/invoices`, billing, { cursor: invoices.body.nextCursor }).expect(200)).body.items).toHaveLength(1);
  });

  it('lists without a parent too: an enquiries cursor is refused by the admissions list', async () => {
    for (let i = 0; i < 2; i++) await createEnquiry(t, clerk);
    await admitPatient(t, clerk);
    const enquiries = await get('/enquiries', clerk, { limit: 1 }).expect(200);
    const admissions = await get('/admissions', clerk, { limit: 1 }).expect(200);
    expect((await get('/admissions', clerk, { cursor: enquiries.body.nextCursor }).expect(400)).body).toMatchObject(NOT_OURS);
    expect((await get('/enquiries', clerk, { cursor: admissions.body.nextCursor }).expect(400)).body).toMatchObject(NOT_OURS);
    await get('/enquiries', clerk, { cursor: enquiries.body.nextCursor }).expect(200);
  });
});
