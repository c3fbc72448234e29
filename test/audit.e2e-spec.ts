import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '../src/common/audit/audit-event.js';
import { AuditService } from '../src/common/audit/audit.service.js';
import type { RequestContext } from '../src/common/auth/request-context.js';
import { bearer, createStaff, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const AUDIT = '/api/v1/audit-events';
const VERIFY = '/api/v1/audit-events/verify';
const LOGIN = '/api/v1/auth/login';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_FIELDS = ['id', 'at', 'actorId', 'action', 'resource', 'resourceId', 'patientId', 'outcome', 'correlationId', 'sequence', 'address', 'detail'];

interface AuditItem {
  id: string;
  sequence: number;
  at: string;
  actorId: string | null;
  action: string;
  resource: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: string;
  correlationId: string | null;
  address: string | null;
  detail: Record<string, unknown> | null;
}

/** A request context as a later module would pass it, with a correlation id to find the row by. */
function contextFor(actor: Staff | null): RequestContext {
  return {
    actor: actor && { id: actor.id, email: actor.email, displayName: 'Test', roles: ['admin'] },
    correlationId: `test:${randomUUID()}`,
    address: '10.1.2.3',
  };
}

/** Writes one event through the service later modules use (there are no patient endpoints yet). */
async function record(t: TestApp, entry: AuditEntry, context: RequestContext = contextFor(null)): Promise<RequestContext> {
  await t.app.get(AuditService).record(context, entry);
  return context;
}

async function list(t: TestApp, admin: Staff, query: Record<string, string | number> = {}): Promise<{ items: AuditItem[]; nextCursor: string | null }> {
  const response = await t.http.get(AUDIT).query(query).set(bearer(admin)).expect(200);
  return response.body;
}

const sequences = (items: { sequence: number }[]) => items.map((item) => item.sequence);

/** Sequence numbers straight from the table, newest first. */
async function storedSequences(t: TestApp, where = 'true', params: unknown[] = []): Promise<number[]> {
  const result = await t.admin.query(`SELECT seq FROM audit_events WHERE ${where} ORDER BY seq DESC`, params);
  return result.rows.map((row: { seq: string }) => Number(row.seq));
}

async function newestRow(t: TestApp): Promise<Record<string, unknown>> {
  const result = await t.admin.query('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1');
  return result.rows[0];
}

async function rowCount(t: TestApp): Promise<number> {
  const result = await t.admin.query('SELECT count(*)::int AS n FROM audit_events');
  return result.rows[0].n;
}

/** What a superuser with direct database access could do: change rows with the triggers off. */
async function tamper(t: TestApp, change: (client: pg.PoolClient) => Promise<unknown>): Promise<void> {
  const client = await t.admin.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await change(client);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function verify(t: TestApp, admin: Staff): Promise<{ intact: boolean; checkedEvents: number; firstBreak: { sequence: number; id: string | null; problem: string } | null }> {
  const response = await t.http.get(VERIFY).set(bearer(admin)).expect(200);
  return response.body;
}

describe('audit trail', () => {
  let t: TestApp;
  let admin: Staff;
  let nurse: Staff;
  beforeAll(async () => {
    // The concurrency test sends many failed logins from one address.
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' } });
    admin = await signInFirstAdmin(t);
    nurse = await createStaff(t, ['nurse']);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('listing GET /audit-events', () => {
    it('is for admins only: 401 without a token, 403 for other roles (listing and verify)', async () => {
      for (const path of [AUDIT, VERIFY]) {
        expect((await t.http.get(path).expect(401)).body.code).toBe('UNAUTHENTICATED');
        expect((await t.http.get(path).set(bearer(nurse)).expect(403)).body.code).toBe('FORBIDDEN');
      }
      const billing = await createStaff(t, ['billing', 'psychiatrist']);
      await t.http.get(AUDIT).set(bearer(billing)).expect(403);
    });

    it('lists newest first, each event with exactly the documented fields', async () => {
      const stored = await storedSequences(t);
      const { items } = await list(t, admin, { limit: 200 });
      expect(sequences(items)).toEqual(stored);
      for (const item of items) {
        expect(Object.keys(item).sort()).toEqual([...EVENT_FIELDS].sort());
        expect(item.id).toMatch(UUID);
        expect(new Date(item.at).toISOString()).toBe(item.at);
      }
      for (let i = 1; i < items.length; i++) expect(items[i - 1]!.at >= items[i]!.at).toBe(true);
      const nurseLogin = items.find((item) => item.action === 'LOGIN' && item.actorId === nurse.id);
      expect(nurseLogin).toMatchObject({
        resource: 'session',
        resourceId: null,
        patientId: null,
        outcome: 'SUCCESS',
        correlationId: expect.any(String),
        address: expect.any(String),
      });
    });

    it('filters by actor and by action, alone and combined', async () => {
      await t.http.post(LOGIN).send({ email: nurse.email, password: 'not-the-password' }).expect(401);

      const byActor = await list(t, admin, { actorId: nurse.id, limit: 200 });
      expect(sequences(byActor.items)).toEqual(await storedSequences(t, 'actor_id = $1', [nurse.id]));
      expect(new Set(byActor.items.map((item) => item.action))).toEqual(new Set(['LOGIN', 'LOGIN_FAILED', 'READ']));
      expect(byActor.items.every((item) => item.actorId === nurse.id)).toBe(true);

      const byAction = await list(t, admin, { action: 'LOGIN', limit: 200 });
      expect(sequences(byAction.items)).toEqual(await storedSequences(t, `action = 'LOGIN'`));
      expect(byAction.items.length).toBeGreaterThanOrEqual(3);

      const both = await list(t, admin, { actorId: nurse.id, action: 'LOGIN_FAILED' });
      expect(both.items).toHaveLength(1);
      expect(both.items[0]).toMatchObject({ actorId: nurse.id, action: 'LOGIN_FAILED', outcome: 'DENIED', detail: { reason: 'WRONG_PASSWORD' } });

      expect((await list(t, admin, { actorId: randomUUID() })).items).toEqual([]);
    });

    it("filters by patient, and an admin reading a patient's trail is recorded under that patient", async () => {
      const patient = randomUUID();
      const other = randomUUID();
      const nurseContext = contextFor(nurse);
      await record(t, { action: 'CREATE', resource: 'patient', resourceId: patient, patientId: patient, detail: { fields: ['status'] } }, nurseContext);
      await record(t, { action: 'READ', resource: 'patient', resourceId: patient, patientId: patient }, nurseContext);
      await record(t, { action: 'READ', resource: 'patient', resourceId: other, patientId: other }, nurseContext);
      await record(t, { action: 'SIGN', resource: 'taper_plan', resourceId: 'plan-1', patientId: patient, outcome: 'DENIED' }, nurseContext);

      const first = await list(t, admin, { patientId: patient });
      expect(first.items.map((item) => [item.action, item.resource, item.outcome])).toEqual([
        ['SIGN', 'taper_plan', 'DENIED'],
        ['READ', 'patient', 'SUCCESS'],
        ['CREATE', 'patient', 'SUCCESS'],
      ]);
      expect(first.items[2]).toEqual({
        id: expect.stringMatching(UUID),
        sequence: expect.any(Number),
        at: expect.any(String),
        actorId: nurse.id,
        action: 'CREATE',
        resource: 'patient',
        resourceId: patient,
        patientId: patient,
        outcome: 'SUCCESS',
        correlationId: nurseContext.correlationId,
        address: '10.1.2.3',
        detail: { fields: ['status'] },
      });

      const second = await list(t, admin, { patientId: patient });
      expect(second.items).toHaveLength(4);
      expect(second.items[0]).toMatchObject({ action: 'READ', resource: 'audit_events', actorId: admin.id, patientId: patient });
    });

    it('filters by time: from is inclusive, to is exclusive, offsets other than Z work', async () => {
      const patient = randomUUID();
      for (const step of ['one', 'two', 'three']) {
        await record(t, { action: 'UPDATE', resource: 'patient', patientId: patient, detail: { step } });
        await sleep(5); // distinct milliseconds, since the API shows millisecond instants
      }
      const steps = async (query: Record<string, string>) =>
        (await list(t, admin, { patientId: patient, action: 'UPDATE', ...query })).items.map((item) => item.detail?.step);
      const [three, two, one] = (await list(t, admin, { patientId: patient, action: 'UPDATE' })).items.map((item) => item.at);

      expect(await steps({ from: two! })).toEqual(['three', 'two']);
      expect(await steps({ to: two! })).toEqual(['one']);
      expect(await steps({ from: two!, to: three! })).toEqual(['two']);
      expect(await steps({ from: one!, to: one! })).toEqual([]);
      expect(await steps({ from: new Date(Date.parse(three!) + 1).toISOString() })).toEqual([]);
      // The same instant as two, written in UTC+02:00.
      const twoPlus2 = new Date(Date.parse(two!) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      expect(await steps({ from: twoPlus2 })).toEqual(['three', 'two']);
    });

    it('pages with limit and nextCursor over every event exactly once while new events keep arriving', async () => {
      const expected = await storedSequences(t);
      const seen: number[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(t, admin, cursor ? { limit: 7, cursor } : { limit: 7 });
        seen.push(...sequences(page.items));
        pageSizes.push(page.items.length);
        cursor = page.nextCursor;
        // Newer events must not push older ones across page boundaries.
        await record(t, { action: 'READ', resource: 'patient', patientId: randomUUID() });
        await record(t, { action: 'UPDATE', resource: 'patient', patientId: randomUUID() });
      } while (cursor);

      expect(seen).toEqual(expected);
      expect(pageSizes.length).toBe(Math.ceil(expected.length / 7));
      expect(pageSizes.slice(0, -1).every((size) => size === 7)).toBe(true);
      expect(pageSizes.at(-1)).toBeGreaterThan(0);
    });

    it('keeps the filters while paging', async () => {
      const expected = await storedSequences(t, `action = 'LOGIN'`);
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(t, admin, cursor ? { action: 'LOGIN', limit: 1, cursor } : { action: 'LOGIN', limit: 1 });
        seen.push(...sequences(page.items));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    const forgedCursor = (key: unknown) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
    it.each([
      ['patientId', 'not-a-uuid'],
      ['actorId', '12345'],
      ['action', 'DELETE'],
      ['from', 'yesterday'],
      ['from', '2025-02-30T00:00:00Z'],
      ['from', '2025-01-31'],
      ['from', '2025-01-31T08:00:00'],
      ['to', '2025-W05-1'],
      ['to', '20250131T080000Z'],
      ['limit', '0'],
      ['limit', '201'],
      ['limit', 'ten'],
      ['cursor', 'garbage!'],
      ['cursor', forgedCursor(['seven'])],
      ['cursor', forgedCursor([1.5])],
      ['cursor', forgedCursor([1e300])],
      ['cursor', forgedCursor([-1])],
      ['sort', 'seq'],
    ])('refuses %s=%s with a 400 naming the field', async (field, value) => {
      const response = await t.http.get(AUDIT).query({ [field]: value }).set(bearer(admin)).expect(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([{ field, reason: expect.any(String) }]);
    });

    it('records every read of the trail as a READ of audit_events by the admin', async () => {
      const response = await t.http.get(AUDIT).query({ actorId: nurse.id }).set(bearer(admin)).expect(200);
      expect(await newestRow(t)).toMatchObject({
        actor_id: admin.id,
        action: 'READ',
        resource: 'audit_events',
        outcome: 'SUCCESS',
        correlation_id: response.headers['x-correlation-id'],
      });
      const { items } = await list(t, admin, { actorId: admin.id, action: 'READ', limit: 1 });
      expect(items[0]).toMatchObject({ resource: 'audit_events', correlationId: response.headers['x-correlation-id'] });
    });
  });

  describe('refusals', () => {
    it('a 403 is recorded as DENIED with the actor, the route and the id', async () => {
      const target = randomUUID();
      const read = await t.http.get(`/api/v1/users/${target}`).set(bearer(nurse)).expect(403);
      expect(await newestRow(t)).toMatchObject({
        actor_id: nurse.id,
        action: 'READ',
        resource: '/api/v1/users/:id',
        resource_id: target,
        outcome: 'DENIED',
        correlation_id: read.headers['x-correlation-id'],
        address: expect.any(String),
      });

      await t.http.patch(`/api/v1/users/${target}`).set(bearer(nurse)).send({ active: false }).expect(403);
      expect(await newestRow(t)).toMatchObject({ actor_id: nurse.id, action: 'UPDATE', resource: '/api/v1/users/:id', resource_id: target, outcome: 'DENIED' });

      await t.http.get(AUDIT).set(bearer(nurse)).expect(403);
      expect(await newestRow(t)).toMatchObject({ actor_id: nurse.id, action: 'READ', resource: '/api/v1/audit-events', resource_id: null, outcome: 'DENIED' });

      const { items } = await list(t, admin, { actorId: nurse.id, limit: 3 });
      expect(items.map((item) => [item.action, item.outcome])).toEqual([
        ['READ', 'DENIED'],
        ['UPDATE', 'DENIED'],
        ['READ', 'DENIED'],
      ]);
    });
  });

  describe('append-only', () => {
    const refusals: [string, RegExp][] = [
      [`UPDATE audit_events SET outcome = 'DENIED' WHERE seq = 1`, /append-only: UPDATE on audit_events refused/],
      [`UPDATE audit_events SET detail = '{"edited":true}'`, /append-only: UPDATE on audit_events refused/],
      ['DELETE FROM audit_events WHERE seq = 1', /append-only: DELETE on audit_events refused/],
      ['DELETE FROM audit_events', /append-only: DELETE on audit_events refused/],
      ['TRUNCATE audit_events', /append-only: TRUNCATE on audit_events refused/],
      ['UPDATE audit_chain_head SET seq = 0', /append-only: UPDATE on audit_chain_head refused/],
      ['DELETE FROM audit_chain_head', /append-only: DELETE on audit_chain_head refused/],
      ['TRUNCATE audit_chain_head', /append-only: TRUNCATE on audit_chain_head refused/],
    ];

    it.each(refusals)('the database refuses, through the app’s own connection: %s', async (sql, message) => {
      const tableBefore = (await t.admin.query('SELECT * FROM audit_events ORDER BY seq')).rows;
      const headBefore = (await t.admin.query('SELECT * FROM audit_chain_head')).rows;

      await expect(t.app.get(DataSource).query(sql)).rejects.toMatchObject({ message: expect.stringMatching(message), code: '42501' });

      expect((await t.admin.query('SELECT * FROM audit_events ORDER BY seq')).rows).toEqual(tableBefore);
      expect((await t.admin.query('SELECT * FROM audit_chain_head')).rows).toEqual(headBefore);
    });

    it('an INSERT cannot choose its own place, time or hash in the chain', async () => {
      const [head] = (await t.admin.query('SELECT seq FROM audit_chain_head')).rows;
      const [inserted] = await t.app.get(DataSource).query(
        `INSERT INTO audit_events (seq, at, action, resource, outcome, prev_hash, hash)
         VALUES (1, '2001-01-01T00:00:00Z', 'READ', 'forged', 'SUCCESS', '\\x00', '\\x00')
         RETURNING seq, at, prev_hash, hash`,
      );
      expect(Number(inserted.seq)).toBe(Number(head.seq) + 1);
      expect(Math.abs(new Date(inserted.at).getTime() - Date.now())).toBeLessThan(60_000);
      expect(inserted.hash).toHaveLength(32);
      expect(await verify(t, admin)).toMatchObject({ intact: true, firstBreak: null });
    });
  });

  describe('concurrent writers', () => {
    it('75 parallel writers (and 10 that roll back) form one gapless, intact chain', async () => {
      const dataSource = t.app.get(DataSource);
      const audit = t.app.get(AuditService);
      const before = await rowCount(t);
      const batch = `batch-${randomUUID()}`;
      const inTransaction = (i: number, rollBack: boolean) =>
        dataSource
          .transaction(async (manager) => {
            await audit.record({ ...contextFor(null), correlationId: `${batch}:${i}` }, { action: 'UPDATE', resource: 'patient', patientId: randomUUID() }, manager);
            await sleep(i % 3); // hold the chain head a little, so writers queue behind each other
            if (rollBack) throw new Error('rolled back on purpose');
          })
          .catch((error: Error) => {
            if (!rollBack) throw error;
          });
      const failedLogin = (i: number) => t.http.post(LOGIN).send({ email: `${batch}-${i}@clinic.test`, password: 'wrong-password' }).expect(401);

      // More parallel logins than the pool has connections: each must finish on its own one.
      await Promise.all([
        ...Array.from({ length: 45 }, (_, i) => inTransaction(i, false)),
        ...Array.from({ length: 10 }, (_, i) => inTransaction(100 + i, true)),
        ...Array.from({ length: 30 }, (_, i) => failedLogin(i)),
      ]);

      const all = await storedSequences(t);
      expect(all.length).toBe(before + 75);
      expect(all).toEqual(Array.from({ length: all.length }, (_, i) => all.length - i));
      const committed = await t.admin.query(`SELECT count(*)::int AS n FROM audit_events WHERE correlation_id LIKE $1`, [`${batch}:%`]);
      expect(committed.rows[0].n).toBe(45);
      expect(await verify(t, admin)).toEqual({ intact: true, checkedEvents: before + 75, firstBreak: null });
    });
  });

  describe('same transaction as the write', () => {
    it('an audit row written with a transaction’s EntityManager rolls back with it, head included', async () => {
      const dataSource = t.app.get(DataSource);
      const audit = t.app.get(AuditService);
      const headBefore = (await t.admin.query('SELECT seq, hash FROM audit_chain_head')).rows[0];
      const context = contextFor(admin);

      await expect(
        dataSource.transaction(async (manager) => {
          await audit.record(context, { action: 'UPDATE', resource: 'patient', patientId: randomUUID() }, manager);
          const seen = await manager.query('SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1', [context.correlationId]);
          expect(seen[0].n).toBe(1);
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');

      expect((await t.admin.query('SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1', [context.correlationId])).rows[0].n).toBe(0);
      expect((await t.admin.query('SELECT seq, hash FROM audit_chain_head')).rows[0]).toEqual(headBefore);

      // The next row takes the sequence the rolled-back one had.
      const next = await record(t, { action: 'UPDATE', resource: 'patient', patientId: randomUUID() });
      const [row] = (await t.admin.query('SELECT seq FROM audit_events WHERE correlation_id = $1', [next.correlationId])).rows;
      expect(Number(row.seq)).toBe(Number(headBefore.seq) + 1);
      expect(await verify(t, admin)).toMatchObject({ intact: true, firstBreak: null });
    });

    it('and commits with it', async () => {
      const context = contextFor(admin);
      await t.app.get(DataSource).transaction(async (manager) => {
        await t.app.get(AuditService).record(context, { action: 'CREATE', resource: 'patient', patientId: randomUUID() }, manager);
      });
      expect((await t.admin.query('SELECT count(*)::int AS n FROM audit_events WHERE correlation_id = $1', [context.correlationId])).rows[0].n).toBe(1);
    });
  });
});

describe('hash chain GET /audit-events/verify', () => {
  let t: TestApp;
  let admin: Staff;
  let rowAt: (seq: number) => Promise<{ id: string; seq: string }>;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signInFirstAdmin(t);
    for (let i = 0; i < 6; i++) await record(t, { action: 'READ', resource: 'patient', patientId: randomUUID(), detail: { i } });
    rowAt = async (seq) => (await t.admin.query('SELECT id, seq FROM audit_events WHERE seq = $1', [seq])).rows[0];
  });
  afterAll(async () => {
    await t.close();
  });

  // Each test tampers with a copy kept aside, and afterwards puts the rows back exactly as they were.
  beforeEach(async () => {
    await t.admin.query('DROP TABLE IF EXISTS audit_backup');
    await t.admin.query('CREATE TABLE audit_backup AS SELECT * FROM audit_events');
  });

  afterEach(async () => {
    // With the rows restored and the triggers back on, the chain must be intact again.
    await tamper(t, async (db) => {
      await db.query('DELETE FROM audit_events WHERE seq IN (SELECT seq FROM audit_backup)');
      await db.query('INSERT INTO audit_events SELECT * FROM audit_backup');
    });
    const triggers = await t.admin.query(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid IN ('audit_events'::regclass, 'audit_chain_head'::regclass) AND NOT tgisinternal ORDER BY tgname`,
    );
    expect(triggers.rows).toEqual([
      { tgname: 'audit_chain_head_append_only', tgenabled: 'O' },
      { tgname: 'audit_chain_head_no_truncate', tgenabled: 'O' },
      { tgname: 'audit_events_append_only', tgenabled: 'O' },
      { tgname: 'audit_events_chain', tgenabled: 'O' },
      { tgname: 'audit_events_no_truncate', tgenabled: 'O' },
    ]);
    expect(await verify(t, admin)).toMatchObject({ intact: true, firstBreak: null });
  });

  it('reports an untouched trail intact, counting every event, and records the check', async () => {
    const n = await rowCount(t);
    expect(n).toBeGreaterThanOrEqual(7);
    const response = await t.http.get(VERIFY).set(bearer(admin)).expect(200);
    expect(response.body).toEqual({ intact: true, checkedEvents: n, firstBreak: null });
    expect(await newestRow(t)).toMatchObject({
      seq: String(n + 1),
      actor_id: admin.id,
      action: 'READ',
      resource: 'audit_chain',
      detail: { intact: true },
      correlation_id: response.headers['x-correlation-id'],
    });
  });

  it.each([
    ['outcome', `outcome = 'DENIED'`],
    ['detail', `detail = '{"i": 99}'`],
    ['actor', `actor_id = gen_random_uuid()`],
    ['time', `at = at - interval '1 hour'`],
    ['patient', `patient_id = gen_random_uuid()`],
  ])('finds a row whose %s was changed by a superuser: ROW_ALTERED at that row', async (_field, change) => {
    const n = await rowCount(t);
    await tamper(t, (db) => db.query(`UPDATE audit_events SET ${change} WHERE seq = 4`));
    expect(await verify(t, admin)).toEqual({ intact: false, checkedEvents: n, firstBreak: { sequence: 4, id: (await rowAt(4)).id, problem: 'ROW_ALTERED' } });
  });

  it.each([1, 4])('finds a deleted row (seq %i): ROW_MISSING at the next sequence', async (seq) => {
    const n = await rowCount(t);
    await tamper(t, (db) => db.query('DELETE FROM audit_events WHERE seq = $1', [seq]));
    expect(await verify(t, admin)).toEqual({ intact: false, checkedEvents: n - 1, firstBreak: { sequence: seq + 1, id: (await rowAt(seq + 1)).id, problem: 'ROW_MISSING' } });
  });

  it('finds rows cut from the end: ROWS_MISSING_AT_END after the last remaining row', async () => {
    const n = await rowCount(t);
    await tamper(t, (db) => db.query('DELETE FROM audit_events WHERE seq > $1', [n - 2]));
    expect(await verify(t, admin)).toEqual({ intact: false, checkedEvents: n - 2, firstBreak: { sequence: n - 1, id: null, problem: 'ROWS_MISSING_AT_END' } });
  });

  it('finds an edited row whose own hash was recomputed: CHAIN_BROKEN at the next row', async () => {
    const n = await rowCount(t);
    await tamper(t, async (db) => {
      await db.query(`UPDATE audit_events SET outcome = 'DENIED' WHERE seq = 3`);
      await db.query('UPDATE audit_events e SET hash = audit_event_hash(e) WHERE seq = 3');
    });
    expect(await verify(t, admin)).toEqual({ intact: false, checkedEvents: n, firstBreak: { sequence: 4, id: (await rowAt(4)).id, problem: 'CHAIN_BROKEN' } });
  });

  it('finds an edit even when every later row was rehashed, because the chain head remembers the last hash', async () => {
    const n = await rowCount(t);
    await tamper(t, async (db) => {
      await db.query(`UPDATE audit_events SET outcome = 'DENIED' WHERE seq = 3`);
      for (let seq = 3; seq <= n; seq++) {
        await db.query('UPDATE audit_events SET prev_hash = (SELECT hash FROM audit_events WHERE seq = $1) WHERE seq = $2', [seq - 1, seq]);
        await db.query('UPDATE audit_events e SET hash = audit_event_hash(e) WHERE seq = $1', [seq]);
      }
    });
    expect(await verify(t, admin)).toEqual({ intact: false, checkedEvents: n, firstBreak: { sequence: n, id: (await rowAt(n)).id, problem: 'CHAIN_BROKEN' } });
  });
});
