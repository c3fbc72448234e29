import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jwt from 'jsonwebtoken';
import { bearer, createStaff, signIn, signInFirstAdmin, type Staff } from './support/staff.js';
import { startTestApp, TEST_ADMIN, type TestApp } from './support/test-app.js';

const LOGIN = '/api/v1/auth/login';
const REFRESH = '/api/v1/auth/refresh';
const LOGOUT = '/api/v1/auth/logout';
const ME = '/api/v1/auth/me';

async function auditRows(t: TestApp, action: string): Promise<{ actor_id: string | null; outcome: string; address: string; detail: Record<string, unknown> | null }[]> {
  const result = await t.admin.query('SELECT actor_id, outcome, address, detail FROM audit_events WHERE action = $1 ORDER BY seq', [action]);
  return result.rows;
}

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Low address limit so the per-address rule can be shown without hundreds of requests.
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_ADDRESS: '12', LOGIN_THROTTLE_WINDOW_SECONDS: '900' } });
  });
  afterAll(async () => {
    await t.close();
  });

  describe('login', () => {
    it('creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD and signs them in', async () => {
      const response = await t.http.post(LOGIN).send({ email: TEST_ADMIN.email.toUpperCase(), password: TEST_ADMIN.password }).expect(200);
      expect(response.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 900,
        user: { id: expect.any(String), email: TEST_ADMIN.email, displayName: 'Administrator', roles: ['admin'] },
        deviceToken: expect.any(String),
      });
      const claims = jwt.decode(response.body.accessToken) as jwt.JwtPayload;
      expect(claims.exp! - claims.iat!).toBe(900);
      expect(claims.sub).toBe(response.body.user.id);
    });

    it('gives the same 401 for an unknown email and for a wrong password, and audits both', async () => {
      const nurse = await createStaff(t, ['nurse']);
      const unknown = await t.http.post(LOGIN).send({ email: 'nobody@clinic.test', password: 'whatever-password' }).expect(401);
      const wrong = await t.http.post(LOGIN).send({ email: nurse.email, password: 'not-the-password' }).expect(401);
      const strip = (body: Record<string, unknown>) => ({ ...body, correlationId: undefined });
      expect(strip(unknown.body)).toEqual(strip(wrong.body));
      expect(wrong.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Invalid email or password.' });
      const failures = await auditRows(t, 'LOGIN_FAILED');
      expect(failures).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actor_id: null, outcome: 'DENIED', detail: { reason: 'UNKNOWN_ACCOUNT' } }),
          expect.objectContaining({ actor_id: nurse.id, outcome: 'DENIED', detail: { reason: 'WRONG_PASSWORD' } }),
        ]),
      );
      expect(failures.every((row) => row.address.length > 0)).toBe(true);
    });

    it('refuses a deactivated account with the same 401', async () => {
      const admin = await signInFirstAdmin(t);
      const billing = await createStaff(t, ['billing']);
      await t.http.patch(`/api/v1/users/${billing.id}`).set(bearer(admin)).send({ active: false }).expect(200);
      const response = await t.http.post(LOGIN).send({ email: billing.email, password: billing.password }).expect(401);
      expect(response.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('throttles an account after repeated failures, even with the right password, until the window passes', async () => {
      const nurse = await createStaff(t, ['nurse']);
      for (let i = 0; i < 5; i++) {
        await t.http.post(LOGIN).send({ email: nurse.email, password: `wrong-${i}-password` }).expect(401);
      }
      const throttled = await t.http.post(LOGIN).send({ email: nurse.email, password: nurse.password }).expect(429);
      expect(throttled.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(throttled.headers['retry-after'])).toBeLessThanOrEqual(900);
      expect((await auditRows(t, 'LOGIN_FAILED')).some((row) => row.detail?.reason === 'THROTTLED')).toBe(true);

      t.clock.advance(901_000);
      await t.http.post(LOGIN).send({ email: nurse.email, password: nurse.password }).expect(200);
    });

    it('throttles parallel guesses as strictly as sequential ones', async () => {
      const nurse = await createStaff(t, ['nurse']);
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => t.http.post(LOGIN).send({ email: nurse.email, password: `guess-${i}-password` }).then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
      t.clock.advance(901_000);
    });

    it('throttles an address that tries many accounts', async () => {
      t.clock.advance(901_000);
      for (let i = 0; i < 12; i++) {
        await t.http.post(LOGIN).send({ email: `spray-${i}@clinic.test`, password: 'spray-password' }).expect(401);
      }
      const response = await t.http.post(LOGIN).send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).expect(429);
      expect(response.body.code).toBe('TOO_MANY_ATTEMPTS');
      t.clock.advance(901_000);
      await t.http.post(LOGIN).send({ email: TEST_ADMIN.email, password: TEST_ADMIN.password }).expect(200);
    });

    it('holds the address limit under a burst: 30 guesses at once across 30 accounts → exactly 12 passwords checked, the rest 429', async () => {
      t.clock.advance(901_000);
      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => t.http.post(LOGIN).send({ email: `burst-${i}@clinic.test`, password: 'spray-password' })));
      const statuses = burst.map((r) => r.status);
      expect([statuses.filter((s) => s === 401).length, statuses.filter((s) => s === 429).length]).toEqual([12, 18]);
      t.clock.advance(901_000);
    });

    it('validates the body', async () => {
      const response = await t.http.post(LOGIN).send({ email: 42 }).expect(400);
      expect(response.body.details).toEqual([
        { field: 'email', reason: 'must be a string' },
        { field: 'password', reason: 'is required' },
      ]);
    });
  });

  describe('tokens', () => {
    let nurse: Staff;
    beforeAll(async () => {
      nurse = await createStaff(t, ['nurse']);
    });

    it('GET /auth/me returns the signed-in user; no or bad tokens get 401', async () => {
      const me = await t.http.get(ME).set(bearer(nurse)).expect(200);
      expect(me.body).toEqual({ id: nurse.id, email: nurse.email, displayName: 'Test nurse', roles: ['nurse'] });
      await t.http.get(ME).expect(401);
      await t.http.get(ME).set('authorization', 'Bearer not-a-jwt').expect(401);
      const forged = jwt.sign({}, 'some-other-secret-of-sufficient-length', { subject: nurse.id, issuer: 'clinic-api', audience: 'clinic-staff', expiresIn: 900 });
      await t.http.get(ME).set('authorization', `Bearer ${forged}`).expect(401);
    });

    it('refuses an expired access token', async () => {
      const expired = jwt.sign({ iat: Math.floor(Date.now() / 1000) - 1000 }, t.config.jwtSecret, {
        algorithm: 'HS256',
        subject: nurse.id,
        issuer: 'clinic-api',
        audience: 'clinic-staff',
        expiresIn: 900,
      });
      const response = await t.http.get(ME).set('authorization', `Bearer ${expired}`).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('rotates refresh tokens: each works once, and a reused one revokes the whole chain', async () => {
      const session = await signIn(t, nurse.email, nurse.password);
      const first = await t.http.post(REFRESH).send({ refreshToken: session.refreshToken }).expect(200);
      expect(first.body.refreshToken).not.toBe(session.refreshToken);
      await t.http.get(ME).set(bearer(first.body)).expect(200);
      const second = await t.http.post(REFRESH).send({ refreshToken: first.body.refreshToken }).expect(200);

      const reuse = await t.http.post(REFRESH).send({ refreshToken: session.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
      // The newest token of the chain died with it.
      const after = await t.http.post(REFRESH).send({ refreshToken: second.body.refreshToken }).expect(401);
      expect(after.body.code).toBe('INVALID_REFRESH_TOKEN');
      const denied = await auditRows(t, 'REFRESH');
      expect(denied.some((row) => row.detail?.reason === 'TOKEN_REUSED_CHAIN_REVOKED' && row.actor_id === nurse.id)).toBe(true);
    });

    it('leaves other sessions of the same user alone when one chain is revoked', async () => {
      const a = await signIn(t, nurse.email, nurse.password);
      const b = await signIn(t, nurse.email, nurse.password);
      const a2 = await t.http.post(REFRESH).send({ refreshToken: a.refreshToken }).expect(200);
      await t.http.post(REFRESH).send({ refreshToken: a.refreshToken }).expect(401);
      await t.http.post(REFRESH).send({ refreshToken: a2.body.refreshToken }).expect(401);
      await t.http.post(REFRESH).send({ refreshToken: b.refreshToken }).expect(200);
    });

    it('two parallel refreshes with one token: one succeeds, the other is a reuse', async () => {
      const session = await signIn(t, nurse.email, nurse.password);
      const results = await Promise.all([1, 2].map(() => t.http.post(REFRESH).send({ refreshToken: session.refreshToken })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      await t.http.post(REFRESH).send({ refreshToken: winner.body.refreshToken }).expect(401);
    });

    it('refuses expired, malformed and unknown refresh tokens', async () => {
      const session = await signIn(t, nurse.email, nurse.password);
      await t.http.post(REFRESH).send({ refreshToken: 'garbage' }).expect(401);
      await t.http.post(REFRESH).send({ refreshToken: `${session.refreshToken.split('.')[0]}.wrong-secret` }).expect(401);
      await t.http.post(REFRESH).send({ refreshToken: `${session.refreshToken}.more` }).expect(401);
      await t.http.post(REFRESH).send({}).expect(400);
      t.clock.advance(7 * 24 * 3600 * 1000 + 1000);
      const expired = await t.http.post(REFRESH).send({ refreshToken: session.refreshToken }).expect(401);
      expect(expired.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('logout ends the session: its refresh token stops working', async () => {
      const session = await signIn(t, nurse.email, nurse.password);
      await t.http.post(LOGOUT).send({ refreshToken: session.refreshToken }).expect(401);
      await t.http.post(LOGOUT).set(bearer(session)).send({ refreshToken: session.refreshToken }).expect(204);
      await t.http.post(REFRESH).send({ refreshToken: session.refreshToken }).expect(401);
      const logouts = await auditRows(t, 'LOGOUT');
      expect(logouts.at(-1)).toMatchObject({ actor_id: nurse.id, outcome: 'SUCCESS', detail: { sessionEnded: true } });
    });

    it("cannot log out someone else's session", async () => {
      const other = await createStaff(t, ['billing']);
      await t.http.post(LOGOUT).set(bearer(nurse)).send({ refreshToken: other.refreshToken }).expect(204);
      await t.http.post(REFRESH).send({ refreshToken: other.refreshToken }).expect(200);
    });
  });
});

describe('client address', () => {
  const failedLoginFrom = async (t: TestApp, forwardedFor: string) => {
    const email = `addr-${Math.random().toString(36).slice(2)}@clinic.test`;
    await t.http.post(LOGIN).set('x-forwarded-for', forwardedFor).send({ email, password: 'wrong-password' }).expect(401);
    const rows = await t.admin.query(`SELECT address FROM audit_events WHERE action = 'LOGIN_FAILED' ORDER BY seq DESC LIMIT 1`);
    return rows.rows[0].address as string;
  };

  it('ignores X-Forwarded-For unless a proxy is trusted, then takes it from that proxy only', async () => {
    const direct = await startTestApp();
    const proxied = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      expect(await failedLoginFrom(direct, '203.0.113.9')).toMatch(/127\.0\.0\.1|::1/);
      expect(await failedLoginFrom(proxied, '203.0.113.9')).toBe('203.0.113.9');
      // A client cannot push a forged address past the one trusted hop.
      expect(await failedLoginFrom(proxied, '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});
