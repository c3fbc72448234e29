import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createStaff, type Staff } from './support/staff.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const API = '/api/v1';

/**
 * The app reaches its database through a proxy the test can cut, as when PostgreSQL dies: every
 * request but the health probes gets 503 SERVICE_UNAVAILABLE with Retry-After (never a 401 that
 * makes clients drop good tokens, never a 500), and the app serves again, without a restart,
 * once the database is back.
 */
describe('a database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let nurse: Staff;
  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    t = await startTestApp({ database, appUrl: (db) => proxy.urlFor(db.url) });
    nurse = await createStaff(t, ['nurse', 'admissions']);
  });
  afterAll(async () => {
    await t.close();
    await proxy.stop();
    await database.drop();
  });

  const expectUnavailable = (response: { status: number; headers: Record<string, string>; body: { code?: string } }) => {
    expect([response.status, response.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  };

  it('answers 503 with Retry-After while the database is gone, and serves again when it is back', async () => {
    await t.http.get(`${API}/auth/me`).set(bearer(nurse)).expect(200);
    await proxy.cut();

    for (let i = 0; i < 3; i++) expectUnavailable(await t.http.get(`${API}/auth/me`).set(bearer(nurse)));
    expectUnavailable(await t.http.get(`${API}/enquiries`).set(bearer(nurse)));
    expectUnavailable(await t.http.post(`${API}/enquiries`).set(bearer(nurse)).send({ contactName: 'During Outage', relationship: 'SELF' }));
    expectUnavailable(await t.http.post(`${API}/auth/login`).send(TEST_ADMIN));
    expectUnavailable(await t.http.post(`${API}/auth/refresh`).send({ refreshToken: nurse.refreshToken }));
    // The probes say what they see; liveness does not ask the database at all.
    expect((await t.http.get(`${API}/health`).expect(503)).body).toEqual({ status: 'error', database: 'down' });
    expect((await t.http.get(`${API}/health/ready`).expect(503)).body).toEqual({ status: 'error', database: 'down' });
    expect((await t.http.get(`${API}/health/live`).expect(200)).body).toEqual({ status: 'ok' });
    // A bad token needs no database to be refused.
    await t.http.get(`${API}/auth/me`).set('authorization', 'Bearer not-a-token').expect(401);

    await proxy.restore();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await t.http.get(`${API}/auth/me`).set(bearer(nurse))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
    await t.http.get(`${API}/health/ready`).expect(200);
    await t.http.post(`${API}/enquiries`).set(bearer(nurse)).send({ contactName: 'After Outage', relationship: 'SELF' }).expect(201);
    await t.http.post(`${API}/auth/login`).send(TEST_ADMIN).expect(200);
  });
});

/**
 * A database that stops answering without going away (a stopped process, a network black hole,
 * a lock never released): requests get 503 with Retry-After within the configured waits instead
 * of hanging, a write that timed out is never committed later, and the connections the app gave
 * up on are not handed to the next request.
 */
describe('a database that stops answering', () => {
  const STATEMENT_MS = 2_000;
  /** The client waits a second more than the server's statement_timeout (data-source-options.ts). */
  const CLIENT_MS = STATEMENT_MS + 1_000;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let clerk: Staff;
  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    t = await startTestApp({
      database,
      appUrl: (db) => proxy.urlFor(db.url),
      env: { DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_MS), DATABASE_LOCK_TIMEOUT_MS: String(STATEMENT_MS), DATABASE_CONNECT_TIMEOUT_MS: '500' },
    });
    clerk = await createStaff(t, ['admissions']);
  });
  afterAll(async () => {
    proxy.thaw();
    await t.close();
    await proxy.stop();
    await database.drop();
  });

  const enquiry = (contactName: string) => t.http.post(`${API}/enquiries`).set(bearer(clerk)).send({ contactName, relationship: 'SELF' });
  const saved = async (contactName: string) => Number((await t.admin.query('SELECT count(*) AS n FROM enquiries WHERE contact_name = $1', [contactName])).rows[0].n);
  const expectUnavailableWithin = async (request: Promise<{ status: number; headers: Record<string, string>; body: { code?: string } }>, ms: number) => {
    const started = Date.now();
    const response = await request;
    expect([response.status, response.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(ms);
  };
  /** Waits until one of the app's statements waits for a lock held by the test. */
  const untilWaitingForLock = async () => {
    const deadline = Date.now() + 1_500;
    while (Date.now() < deadline) {
      const waiting = await t.admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'clinic-api' AND wait_event_type = 'Lock'`);
      if (waiting.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the app never waited for the lock');
  };

  it('answers 503 with Retry-After while the server is frozen, and serves again when it answers', async () => {
    await enquiry('Before Freeze').expect(201);
    proxy.freeze();
    await expectUnavailableWithin(enquiry('During Freeze'), CLIENT_MS + 2_000);
    await expectUnavailableWithin(t.http.get(`${API}/auth/me`).set(bearer(clerk)), CLIENT_MS + 2_000);
    proxy.thaw();
    await enquiry('After Freeze').expect(201);
    expect(await saved('During Freeze')).toBe(0);
  }, 20_000);

  it('answers 503 when a lock is held too long, and the write it had begun is rolled back', async () => {
    const holder = await t.admin.connect();
    try {
      await holder.query('BEGIN');
      // The enquiry is inserted, then its audit row waits for the table.
      await holder.query('LOCK TABLE audit_events IN EXCLUSIVE MODE');
      await expectUnavailableWithin(enquiry('Locked Out'), STATEMENT_MS + 2_000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await saved('Locked Out')).toBe(0);
    await enquiry('After Lock').expect(201);
  }, 20_000);

  it('never commits a write the app gave up on, nor hands its connection to the next request', async () => {
    const holder = await t.admin.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE audit_events IN EXCLUSIVE MODE');
      const response = enquiry('Given Up').then((sent) => sent);
      await untilWaitingForLock();
      // The server now stops answering while the app's transaction holds its new enquiry.
      proxy.freeze();
      await expectUnavailableWithin(response, CLIENT_MS + 2_000);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
      proxy.thaw();
    }
    // Every request after it runs on a clean connection: none inside the abandoned transaction.
    for (let i = 0; i < 12; i++) await enquiry(`Next ${i}`).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await saved('Given Up')).toBe(0);
  }, 30_000);
});
