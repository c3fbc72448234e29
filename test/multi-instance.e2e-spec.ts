import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { AuditSealer } from '../src/common/audit/audit-sealer.js';
import { admitPatient } from './support/intake.js';
import { burst, dbRows, statusTally } from './support/races.js';
import { bearer, createStaff, signIn, signInFirstAdmin, type Staff } from './support/staff.js';
import { apiExampleOrder, exampleIntakeBody } from './support/taper-example.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const API = '/api/v1';
const ADMITTED_ON = '2027-01-04';
const TODAY = '2027-01-20';
const ROUNDS = 4;

type Json = Record<string, unknown>;

/**
 * Two instances of the service on one PostgreSQL, as deployed behind a load balancer: requests
 * alternate between them under concurrency. Nothing that matters may live in one process's
 * memory: no duplicate charge for one idempotency key, invoice numbers without gap or repeat,
 * no day of administrations above its schedule, one amendment of a version, sessions ended on
 * one instance ended on the other, and one audit chain, intact, sealed by both.
 */
describe('two instances on one database', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const sealed = [0, 0];
  let admin: Staff;
  let clerk: Staff;
  let billing: Staff;
  let psychiatrist: Staff;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One secret, as every instance of a deployment shares it (passport's strategy registry is
    // per process, so in one test process the last instance's strategy verifies for both); a
    // short seal interval so that both sealers run often and meet on the chain head.
    const env = { AUDIT_SEAL_INTERVAL_MS: '200', JWT_SECRET: randomUUID() + randomUUID() };
    a = await startTestApp({ database, env });
    b = await startTestApp({ database, env });
    [a, b].forEach((instance, i) => {
      instance.clock.advance(Date.parse(`${TODAY}T10:00:00+07:00`) - instance.clock.now().getTime());
      const sealer = instance.app.get(AuditSealer);
      const seal = sealer.seal.bind(sealer);
      sealer.seal = async () => {
        const n = await seal();
        sealed[i] += n;
        return n;
      };
    });
    admin = await signInFirstAdmin(a);
    [clerk, billing, psychiatrist] = await Promise.all((['admissions', 'billing', 'psychiatrist'] as const).map((role) => createStaff(a, [role])));
  });
  afterAll(async () => {
    await a?.closeApp();
    await b?.closeApp();
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  /** Request i goes to instance a when even, b when odd. */
  const on = (i: number) => (i % 2 === 0 ? a : b);
  const post = (i: number, path: string, as: Staff, body?: Json) => {
    const request = on(i).http.post(`${API}${path}`).set(bearer(as));
    return body ? request.send(body) : request;
  };

  it('one charge per idempotency key, whichever instance each retry reaches', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { admissionId } = await admitPatient(a, clerk, undefined, ADMITTED_ON);
      const body = { itemCode: 'SPA_MASSAGE', quantity: 1, serviceDate: '2027-01-10', idempotencyKey: `multi-${randomUUID()}` };
      const responses = await burst(12, (i) => post(i, `/admissions/${admissionId}/charges`, billing, body));
      expect(responses.filter((r) => r.status !== 200 && r.status !== 201)).toEqual([]);
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await dbRows(a, 'SELECT count(*)::int AS n FROM charges WHERE idempotency_key = $1', [body.idempotencyKey])).toEqual([{ n: 1 }]);
    }
  });

  it('invoice numbers without gap or repeat when both instances issue at once', async () => {
    const drafts: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { admissionId } = await admitPatient(a, clerk, undefined, ADMITTED_ON);
      drafts.push((await post(i, `/admissions/${admissionId}/invoices`, billing, { periodStart: ADMITTED_ON, periodEnd: '2027-01-17' }).expect(201)).body.id);
    }
    // Each draft issued twice, once through each instance: one issue wins, the other is 409.
    const responses = await burst(drafts.length * 2, (i) => post(i, `/invoices/${drafts[Math.floor(i / 2)]}/issue`, billing));
    expect(statusTally(responses)).toEqual({ 200: drafts.length, 409: drafts.length });
    const issued = await dbRows<{ sequence: number }>(a, `SELECT sequence FROM invoices WHERE status <> 'DRAFT' ORDER BY sequence`);
    expect(issued.map((row) => row.sequence)).toEqual(Array.from({ length: issued.length }, (_, i) => i + 1));
    expect(issued.length).toBeGreaterThanOrEqual(drafts.length);
  });

  it('one amendment of a taper version, whichever instance each request reaches', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { admissionId } = await admitPatient(a, clerk, exampleIntakeBody(), ADMITTED_ON);
      const draft = (await post(round, `/admissions/${admissionId}/taper-orders`, psychiatrist, apiExampleOrder({ startDate: ADMITTED_ON })).expect(201)).body;
      const signed = await burst(6, (i) => post(i, `/taper-orders/${draft.id}/sign`, psychiatrist));
      expect(statusTally(signed)).toEqual({ 200: 1, 409: 5 });
      const amended = await burst(8, (i) => post(i, `/taper-orders/${draft.id}/amendments`, psychiatrist, { effectiveFrom: '2027-02-01', reason: `Amendment ${i}`, pauseDays: 7 }));
      expect(statusTally(amended)).toEqual({ 201: 1, 409: 7 });
      const versions = await dbRows(a, 'SELECT version, status FROM taper_orders WHERE order_id = $1 ORDER BY version', [draft.id]);
      expect(versions).toEqual([{ version: 1, status: 'SUPERSEDED' }, { version: 2, status: 'ACTIVE' }]);
    }
  });

  it('administrations of one scheduled dose through both instances: the day never exceeds the schedule, one entry per key', async () => {
    const [nurse, witness] = await Promise.all([createStaff(a, ['nurse']), createStaff(a, ['nurse'])]);
    for (let round = 0; round < ROUNDS; round++) {
      const { admissionId } = await admitPatient(a, clerk, exampleIntakeBody(), ADMITTED_ON);
      const draft = (await post(round, `/admissions/${admissionId}/taper-orders`, psychiatrist, apiExampleOrder({ startDate: ADMITTED_ON })).expect(201)).body;
      await post(round, `/taper-orders/${draft.id}/sign`, psychiatrist).expect(200);
      // 60 mg scheduled on 2027-01-05: 20 mg doses under 10 keys, each key sent to both instances.
      const dose = (key: number) => ({ orderKind: 'TAPER', orderId: draft.id, dose: 20, unit: 'mg', givenAt: '2027-01-05T08:00:00+07:00', outcome: 'GIVEN', witnessId: witness.id, idempotencyKey: `multi-${round}-${key}` });
      const responses = await burst(20, (i) => post(i, `/admissions/${admissionId}/administrations`, nurse, dose(Math.floor(i / 2))));
      expect(responses.filter((r) => ![200, 201, 422].includes(r.status))).toEqual([]);
      const rows = await dbRows<{ n: number; total: number; keys: number }>(
        a,
        `SELECT count(*)::int AS n, sum(dose)::float AS total, count(DISTINCT idempotency_key)::int AS keys FROM administrations WHERE order_id = $1 AND given_on = '2027-01-05'`,
        [draft.id],
      );
      expect(rows).toEqual([{ n: 3, total: 60, keys: 3 }]);
      expect(responses.filter((r) => r.status === 201)).toHaveLength(3);
    }
  });

  it('a session ended on one instance is ended on the other at the next request', async () => {
    const nurse = await createStaff(a, ['nurse']);
    const session = await signIn(b, nurse.email, nurse.password);
    await b.http.get(`${API}/auth/me`).set(bearer(session)).expect(200);
    await a.http.post(`${API}/auth/logout`).set(bearer(session)).send({ refreshToken: session.refreshToken }).expect(204);
    await b.http.get(`${API}/auth/me`).set(bearer(session)).expect(401);
  });

  it('keeps one audit chain, intact, sealed by both instances', async () => {
    const deadline = Date.now() + 10_000;
    while ((sealed[0] === 0 || sealed[1] === 0) && Date.now() < deadline) {
      await Promise.all([a, b].map((instance) => instance.http.get(`${API}/auth/me`).set(bearer(admin))));
      await burst(10, (i) => post(i, '/enquiries', clerk, { contactName: 'Two Instances', relationship: 'SELF' }));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(sealed.every((n) => n > 0)).toBe(true);
    for (const instance of [a, b]) {
      const verify = (await instance.http.get(`${API}/audit-events/verify`).set(bearer(admin)).expect(200)).body;
      expect(verify).toMatchObject({ intact: true, pendingEvents: 0, firstBreak: null });
    }
    const positions = await dbRows<{ n: number; max: number }>(a, 'SELECT count(*)::int AS n, max(chain_position)::int AS max FROM audit_events WHERE chain_position IS NOT NULL');
    expect(positions[0]!.n).toBe(positions[0]!.max);
  });
});
