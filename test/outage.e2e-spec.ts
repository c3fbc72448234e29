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
